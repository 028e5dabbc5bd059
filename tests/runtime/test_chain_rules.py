"""Tests of the chain's admission rules (runtime/chain/executor.py): what is rejected, and that
a rejection changes nothing; and of what a transaction that is admitted but fails does."""

import pytest
from chain_world import BOX, Signer, commit, new_chain
from tabellion.runtime import gas
from tabellion.runtime.chain.errors import ChainError
from tabellion.runtime.chain.transactions import (
    Call,
    Deploy,
    Fund,
    Membership,
    Transfer,
    sign_transaction,
)
from tabellion.runtime.keys import KeyPair, dev_keypair
from tabellion.runtime.membership import add_member
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party


def _fingerprint(chain):
    counts = chain.storage.counts()
    return (chain.height, chain.head.hash, chain.tree.root(), dict(chain.state.nonces), dict(chain.state.balances),
            counts["blocks"], counts["txs"], counts["state"])


@pytest.fixture
def dev_chain(tmp_path):
    chain, validator = new_chain(tmp_path / "chain")
    alice = Signer("alice")
    commit(chain, validator, [Signer("faucet").tx(Fund(alice.party, Money(100_00, "EUR")))])
    yield chain, validator, alice
    chain.close()


def _reject(chain, validator, tx):
    before = _fingerprint(chain)
    result = chain.propose([tx], validator)
    assert result.header is None and not result.included
    assert _fingerprint(chain) == before, "a rejected transaction changed something"
    (_, reason), = result.rejected
    return reason


BOB = Party(dev_keypair("bob").address)


def test_a_bad_signature_is_rejected(dev_chain):
    chain, validator, alice = dev_chain
    tx = alice.tx(Transfer(BOB, Money(1, "EUR")))
    from tabellion.runtime.encoding import encode

    forged = encode([tx.body, bytes(64)])
    assert _reject(chain, validator, forged).startswith("bad signature")
    signed_by_another = encode([tx.body, dev_keypair("mallory").sign(tx.body)])
    assert _reject(chain, validator, signed_by_another).startswith("bad signature")


def test_a_wrong_chain_id_is_rejected(dev_chain):
    chain, validator, alice = dev_chain
    reason = _reject(chain, validator, alice.tx(Transfer(BOB, Money(1, "EUR")), chain_id="other"))
    assert reason == "wrong chain: the transaction is for chain 'other', this is 'test'"


def test_nonces_must_be_exactly_the_next_one(dev_chain):
    chain, validator, alice = dev_chain
    skipped = alice.tx(Transfer(BOB, Money(1, "EUR")), nonce=3)
    assert "skips ahead: its next nonce is 0" in _reject(chain, validator, skipped)
    first = alice.tx(Transfer(BOB, Money(1, "EUR")))
    commit(chain, validator, [first])
    assert chain.nonce(alice.keypair.address) == 1
    replayed = _reject(chain, validator, first.wire)
    assert "nonce 0 of" in replayed and "was already used: its next nonce is 1" in replayed
    again = alice.tx(Transfer(BOB, Money(2, "EUR")), nonce=0)
    assert "already used" in _reject(chain, validator, again)


def test_several_transactions_of_one_sender_in_one_block_take_consecutive_nonces(dev_chain):
    chain, validator, alice = dev_chain
    txs = [alice.tx(Transfer(BOB, Money(1, "EUR"))) for _ in range(3)]
    result = chain.propose(list(reversed(txs)), validator)
    assert [tx.nonce for tx, _ in result.included] == [0]  # only the one whose turn it was
    assert [reason for _, reason in result.rejected] == [
        f"nonce 2 of {alice.party} skips ahead: its next nonce is 0",
        f"nonce 1 of {alice.party} skips ahead: its next nonce is 0"]
    assert len(commit(chain, validator, txs[1:]).included) == 2


def test_malformed_bytes_are_rejected(dev_chain):
    chain, validator, _ = dev_chain
    assert _reject(chain, validator, b"\x06\x02junk").startswith("malformed transaction")


def test_a_gas_limit_above_the_block_limit_is_rejected(dev_chain):
    chain, validator, alice = dev_chain
    reason = _reject(chain, validator, alice.tx(Transfer(BOB, Money(1, "EUR")), gas=gas.BLOCK_GAS_LIMIT + 1))
    assert reason == f"gas limit {gas.BLOCK_GAS_LIMIT + 1:_} is above the block gas limit {gas.BLOCK_GAS_LIMIT:_}"


def test_transactions_that_do_not_fit_in_a_block_are_deferred(dev_chain):
    chain, validator, alice = dev_chain
    big = [alice.tx(Transfer(BOB, Money(1, "EUR")), gas=gas.BLOCK_GAS_LIMIT // 2) for _ in range(3)]
    result = chain.propose(big, validator)
    assert len(result.included) == 3  # each uses only TRANSACTION gas: room remains
    huge = [alice.tx(Call(BOB, "x", (), None), gas=gas.BLOCK_GAS_LIMIT) for _ in range(2)]
    result = chain.propose(huge, validator)
    assert len(result.included) == 1 and result.deferred == (huge[1],)
    assert not result.included[0][1].ok  # no contract at that address: it reverts, and is kept


def test_members_write_chains_reject_strangers(tmp_path):
    alice = Signer("alice")
    chain, validator = new_chain(tmp_path / "chain", members_only=True, members=[(alice.keypair.address, ("writer",))])
    with chain:
        stranger = Signer("mallory")
        reason = _reject(chain, validator, stranger.tx(Transfer(BOB, Money(0, "EUR"))))
        assert reason == ("access denied: submitting a transfer transaction on a governmental chain needs the "
                          "writer role")
        assert chain.nonce(stranger.party.name) == 0 and chain.height == 0
        assert commit(chain, validator, [alice.tx(Transfer(BOB, Money(1, "EUR")))]).included[0][1].reason == (
            f"insufficient balance: {alice.party} holds 0.00 EUR, needs 0.01 EUR")


def test_a_chain_not_in_dev_mode_refuses_dev_keys_and_fund(tmp_path):
    notary = KeyPair.generate()
    chain, validator = new_chain(tmp_path / "chain", dev=False, validator=notary)
    with chain:
        alice = Signer("alice")
        reason = _reject(chain, validator, alice.tx(Transfer(BOB, Money(1, "EUR"))))
        assert reason == ("the sender's key is the development key of 'alice', refused on a chain that is not in "
                          "dev mode")
        stranger = Signer("x", keypair=KeyPair.generate())
        assert _reject(chain, validator, stranger.tx(Fund(stranger.party, Money(5, "EUR")), nonce=0)) == (
            "fund transactions are accepted only on development chains")
        ok = commit(chain, validator, [stranger.tx(Transfer(BOB, Money(0, "EUR")))])
        assert ok.included[0][1].reason == "cannot transfer 0.00 EUR: amounts are positive"


def test_only_validators_propose_blocks(dev_chain):
    chain, _, alice = dev_chain
    with pytest.raises(ChainError, match="is not a validator"):
        chain.propose([alice.tx(Transfer(BOB, Money(1, "EUR")))], dev_keypair("alice"))


def test_a_failed_transaction_is_kept_uses_its_nonce_and_changes_nothing_else(dev_chain):
    chain, validator, alice = dev_chain
    deploy = alice.tx(Deploy("box.sc", BOX, (), "Box", {"keeper": [alice.party]}))
    box = commit(chain, validator, [deploy]).included[0][1].address
    before = chain.state.snapshot()
    receipt = commit(chain, validator, [alice.tx(Call(box, "fail", (4,), None))]).included[0][1]
    assert not receipt.ok and receipt.reason == "always fails"
    balances, storage = chain.state.snapshot()[:2]
    assert (balances, storage) == before[:2]
    assert chain.nonce(alice.keypair.address) == 2


@pytest.mark.parametrize("args, reason", [
    ((1, 2, 3), "echo takes 3 arguments, got 3"),
    ((1, "t"), "echo takes 3 arguments, got 2"),
    (("1", "t", None), "argument 'x' of echo: expected Int, got Text \"1\""),
    ((1, "t", Party("alice")), "argument 'who' of echo: a party on a chain is an address (tb1...), not 'alice'"),
])
def test_arguments_are_checked_against_the_entry(dev_chain, args, reason):
    chain, validator, alice = dev_chain
    box = commit(chain, validator, [alice.tx(Deploy("box.sc", BOX, (), "Box", {"keeper": [alice.party]}))]) \
        .included[0][1].address
    receipt = commit(chain, validator, [alice.tx(Call(box, "echo", args, None))]).included[0][1]
    if args == (1, 2, 3):
        assert receipt.reason == "argument 't' of echo: expected Text, got Int 2"
    else:
        assert receipt.reason == reason


def test_deploy_arguments_are_checked_and_roles_required(dev_chain):
    chain, validator, alice = dev_chain
    cases = [
        ({}, "a deploy of Box on a chain must name its role 'keeper'"),
        ({"keeper": [alice.party], "fee": 3}, "argument 'fee' of the deploy of Box: expected Money, got Int 3"),
        ({"keeper": [alice.party], "colour": 1}, "Box has no param, role or party named 'colour'"),
    ]
    for args, reason in cases:
        receipt = commit(chain, validator, [alice.tx(Deploy("box.sc", BOX, (), "Box", args))]).included[0][1]
        assert receipt.reason == reason
    receipt = commit(chain, validator, [alice.tx(Deploy("box.sc", "contract {", (), "Box", {}))]).included[0][1]
    assert receipt.reason.startswith("the source does not compile: box.sc:1:")


def test_membership_changes_go_through_the_quorum_rules(dev_chain):
    chain, validator, alice = dev_chain
    admin = Signer("validator")
    stranger_change = {"op": "propose", "change": add_member(alice.keypair.address, ("writer",))}
    # A non-admin's membership transaction is refused before it runs: no receipt, its nonce stays free.
    reason = _reject(chain, validator, alice.tx(Membership(stranger_change)))
    assert reason == "access denied: submitting a membership change needs the admin role"
    assert chain.nonce(alice.keypair.address) == 0
    alice.nonce = 0
    applied = commit(chain, validator, [admin.tx(Membership(stranger_change))]).included[0][1]
    assert applied.ok and applied.entry == "propose (applied)"
    assert chain.state.membership["members"][alice.keypair.address] == ("writer",)


def test_signing_helper_checks_shapes():
    with pytest.raises(Exception, match="malformed transaction"):
        sign_transaction(dev_keypair("a"), "bad id!", 0, 1, Transfer(BOB, Money(1, "EUR")))
