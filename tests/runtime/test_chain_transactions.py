"""Tests of runtime/chain/transactions.py: canonical bytes, round trips, signatures, malformed input."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabellion.runtime.chain import fast_decode
from tabellion.runtime.chain import transactions as tx_module
from tabellion.runtime.chain.errors import MalformedTransaction
from tabellion.runtime.chain.transactions import (
    Call,
    Deploy,
    Fund,
    Membership,
    Transfer,
    contract_address,
    decode_transaction,
    sign_transaction,
)
from tabellion.runtime.encoding import encode
from tabellion.runtime.keys import dev_keypair, is_address
from tabellion.runtime.membership import add_member
from tabellion.runtime.numeric import Money
from tabellion.runtime.temporal import Date
from tabellion.runtime.values import Party

ALICE, BOB = dev_keypair("alice"), dev_keypair("bob")
TO = Party(BOB.address)

_money = st.builds(Money, st.integers(-10**30, 10**30), st.sampled_from(["EUR", "USD", "JPY"]))
_party = st.builds(lambda k: Party(dev_keypair(k).address), st.sampled_from(["alice", "bob", "carol"]))
_arg = st.one_of(st.integers(-10**80, 10**80), st.text(max_size=30), _money, _party, st.booleans(),
                 st.lists(st.integers(), max_size=4), st.builds(Date, st.integers(0, 30000)))
_payload = st.one_of(
    st.builds(Transfer, _party, _money),
    st.builds(Fund, _party, _money),
    st.builds(Call, _party, st.text(min_size=1, max_size=12), st.lists(_arg, max_size=4).map(tuple),
              st.none() | _money),
    st.builds(lambda source, contract, args, paying: Deploy("x.sc", source, (("token", "contract T {}"),),
                                                              contract, args, paying),
              st.text(max_size=200), st.text(min_size=1, max_size=10),
              st.dictionaries(st.text(min_size=1, max_size=8), _arg, max_size=3), st.none() | _money),
    st.builds(lambda who: Membership({"op": "propose", "change": add_member(dev_keypair(who).address, ("writer",))}),
              st.sampled_from(["dan", "eve"])),
    st.builds(lambda n: Membership({"op": "approve", "proposal": n}), st.integers(0, 99)),
)
_transactions = st.builds(
    lambda payload, nonce, gas, chain: sign_transaction(ALICE, chain, nonce, gas, payload),
    _payload, st.integers(0, 2**64 - 1), st.integers(0, 2**63 - 1), st.sampled_from(["dev", "main-1", "x.y_z"]))


@given(_transactions)
def test_a_transaction_round_trips_through_its_bytes(tx):
    back = decode_transaction(tx.wire)
    assert back == tx
    assert back.payload == tx.payload
    assert (back.chain_id, back.sender, back.nonce, back.gas_limit, back.signature) == \
           (tx.chain_id, tx.sender, tx.nonce, tx.gas_limit, tx.signature)
    assert back.hash == hashlib.sha256(tx.wire).digest()
    assert back.signature_ok()


@given(_payload, st.integers(0, 1000))
def test_the_same_transaction_always_has_the_same_bytes(payload, nonce):
    first = sign_transaction(ALICE, "dev", nonce, 5_000, payload)
    second = sign_transaction(ALICE, "dev", nonce, 5_000, payload)
    assert first.wire == second.wire and first.hash == second.hash


def test_the_body_is_the_documented_list():
    tx = sign_transaction(ALICE, "dev", 7, 50_000, Transfer(TO, Money(250, "EUR")))
    assert tx.body == encode(["tabellion-tx/1", "dev", "transfer", ALICE.public_key, 7, 50_000,
                              [TO, Money(250, "EUR")]])
    assert tx.wire == encode([tx.body, tx.signature])
    assert ALICE.verify(tx.body, tx.signature)


@settings(max_examples=300)
@given(_transactions, st.data())
def test_the_fast_decoder_agrees_with_the_generic_one_on_mutated_bytes(tx, data):
    wire = bytearray(tx.wire)
    for _ in range(data.draw(st.integers(0, 3))):
        position = data.draw(st.integers(0, len(wire) - 1))
        wire[position] = data.draw(st.integers(0, 255))
    wire = bytes(wire)
    try:
        generic = tx_module._decode_generic(wire)
    except MalformedTransaction:
        generic = None
    try:
        fast = fast_decode.decode_fast(wire)
    except Exception:  # noqa: BLE001 - the fast path gives up; the generic verdict stands
        return
    assert generic is not None, "the fast path accepted bytes the generic decoder refuses"
    assert fast == generic and fast.payload == generic.payload and fast.chain_id == generic.chain_id


def _body(*fields):
    return encode(list(fields))


def _wire(body, signature=bytes(64)):
    return encode([body, signature])


GOOD = ["tabellion-tx/1", "dev", "transfer", ALICE.public_key, 0, 10, [TO, Money(1, "EUR")]]


@pytest.mark.parametrize("wire, message", [
    (b"", "truncated"),
    (b"\x06\x02", "truncated"),
    (_wire(_body(*GOOD)) + b"\x00", "trailing"),
    (encode([_body(*GOOD)]), "expected [body, signature]"),
    (_wire(_body(*GOOD[:-1])), "list of 7 fields"),
    (_wire(_body("tabellion-tx/2", *GOOD[1:])), "list of 7 fields"),
    (_wire(_body(*GOOD[:2], "mint", *GOOD[3:])), "unknown kind 'mint'"),
    (_wire(_body(*GOOD[:3], b"short", *GOOD[4:])), "32-byte public key"),
    (_wire(_body(*GOOD[:4], -1, *GOOD[5:])), "nonce"),
    (_wire(_body(*GOOD[:5], -1, GOOD[6])), "gas limit"),
    (_wire(_body(*GOOD[:1], "bad id!", *GOOD[2:])), "chain id"),
    (_wire(_body(*GOOD[:6], [TO])), "has 1 field, not 2"),
    (_wire(_body(*GOOD[:6], ["not a party", Money(1, "EUR")])), "recipient is not a party"),
    (_wire(_body(*GOOD[:6], [TO, 5])), "amount is not an amount of money"),
    (_wire(_body(*GOOD), bytes(63)), "64 bytes"),
    (_wire(_body(*GOOD[:2], "call", *GOOD[3:6], [TO, "", [], None])), "entry is not a non-empty text"),
    (_wire(_body(*GOOD[:2], "membership", *GOOD[3:6], [{"op": "vote"}])), "'propose' or 'approve'"),
    (_wire(_body(*GOOD[:2], "deploy", *GOOD[3:6], ["x.sc", "src", [["b", ""], ["a", ""]], "C", {}, None])),
     "sorted by name"),
])
def test_malformed_transactions_are_refused_with_a_reason(wire, message):
    with pytest.raises(MalformedTransaction, match="malformed transaction") as caught:
        decode_transaction(wire)
    assert message in str(caught.value)


def test_a_changed_byte_breaks_the_signature():
    tx = sign_transaction(ALICE, "dev", 3, 50_000, Transfer(TO, Money(250, "EUR")))
    forged = tx.wire.replace(Money(250, "EUR").units.to_bytes(2, "big"), (999).to_bytes(2, "big"))
    assert forged != tx.wire
    assert not decode_transaction(forged).signature_ok()
    other_key = decode_transaction(encode([tx.body.replace(ALICE.public_key, BOB.public_key), tx.signature]))
    assert not other_key.signature_ok()


def test_contract_addresses_depend_on_the_deployer_and_nonce():
    first = contract_address(ALICE.address, 0)
    assert is_address(first)
    assert first == contract_address(ALICE.address, 0)
    assert len({first, contract_address(ALICE.address, 1), contract_address(BOB.address, 0)}) == 3
