"""Tests of runtime/read_requests.py: signing, the wire form, and what verification refuses."""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.access import Account, Action, Block, Contract, Events, Field, Membership, Transaction
from tabellion.runtime.encoding import decode, encode
from tabellion.runtime.keys import dev_keypair
from tabellion.runtime.read_requests import (
    DOMAIN,
    ReadRequest,
    ReadRequestRejected,
    ReplayGuard,
    resource_from_plain,
    resource_to_plain,
    verify_read_request,
)

ALICE = dev_keypair("alice")
MALLORY = dev_keypair("mallory")
NOW = 1_767_225_600
CHAIN = "registry-1"


def signed(**changes):
    options = {"chain_id": CHAIN, "action": Action.READ_BLOCKS, "resource": Block(7), "timestamp": NOW}
    options.update(changes)
    keypair = options.pop("keypair", ALICE)
    return ReadRequest.sign(keypair, options.pop("chain_id"), options.pop("action"), options.pop("resource"),
                            **options)


def test_a_signed_request_verifies_and_names_its_reader():
    assert verify_read_request(signed(), chain_id=CHAIN, now=NOW) == ALICE.address


def test_the_signed_bytes_are_the_documented_map():
    request = signed(nonce=b"\x07" * 16)
    assert decode(request.signing_bytes()) == {
        "domain": DOMAIN, "chain": CHAIN, "reader": ALICE.public_key, "action": "read-blocks",
        "resource": ("block", 7), "nonce": b"\x07" * 16, "timestamp": NOW,
    }
    assert decode(request.to_bytes())["signature"] == request.signature


def test_a_request_replayed_from_another_chain_is_refused():
    request = signed(chain_id="registry-2")
    with pytest.raises(ReadRequestRejected, match="it is for chain 'registry-2', not 'registry-1'"):
        verify_read_request(request, chain_id=CHAIN, now=NOW)
    # Rewriting the chain id breaks the signature instead.
    with pytest.raises(ReadRequestRejected, match="signature is invalid"):
        verify_read_request(attrs.evolve(request, chain_id=CHAIN), chain_id=CHAIN, now=NOW)


@pytest.mark.parametrize("change", [
    {"action": Action.READ_STATE, "resource": Contract("tb1" + "0" * 40)},
    {"resource": Block(8)},
    {"nonce": b"\0" * 16},
    {"timestamp": NOW + 1},
    {"public_key": MALLORY.public_key},
])
def test_any_tampering_breaks_the_signature(change):
    with pytest.raises(ReadRequestRejected, match="signature is invalid"):
        verify_read_request(attrs.evolve(signed(), **change), chain_id=CHAIN, now=NOW)


def test_stale_and_future_requests_are_refused():
    with pytest.raises(ReadRequestRejected, match="more than 300 s from the node's clock"):
        verify_read_request(signed(timestamp=NOW - 301), chain_id=CHAIN, now=NOW)
    with pytest.raises(ReadRequestRejected, match="more than 60 s"):
        verify_read_request(signed(timestamp=NOW + 61), chain_id=CHAIN, now=NOW, max_skew=60)
    assert verify_read_request(signed(timestamp=NOW - 300), chain_id=CHAIN, now=NOW)


def test_the_replay_guard_honours_a_nonce_once():
    guard = ReplayGuard()
    request = signed()
    verify_read_request(request, chain_id=CHAIN, now=NOW, replay_guard=guard)
    with pytest.raises(ReadRequestRejected, match="already used"):
        verify_read_request(request, chain_id=CHAIN, now=NOW + 1, replay_guard=guard)
    verify_read_request(signed(), chain_id=CHAIN, now=NOW + 1, replay_guard=guard)  # a fresh nonce


def test_the_replay_guard_forgets_nonces_older_than_its_window():
    guard = ReplayGuard(window=10)
    for second in range(1100):
        guard.check_and_remember(signed(timestamp=NOW + second), NOW + second)
    assert len(guard) < 1100


def test_a_read_request_cannot_carry_a_write():
    with pytest.raises(ValueError, match="must be a read"):
        signed(action=Action.SUBMIT_CALL, resource=None)


addresses = st.sampled_from([ALICE.address, MALLORY.address, "Film#1"])
resources = st.one_of(
    st.builds(Account, addresses), st.builds(Contract, addresses),
    st.builds(Field, addresses, st.sampled_from(["count", "policies"])),
    st.builds(Block, st.none() | st.integers(0, 2**40)),
    st.builds(Transaction, st.none() | st.binary(min_size=32, max_size=32), st.none() | addresses),
    st.builds(Events, st.none() | addresses), st.just(Membership()),
)


@given(resources, st.sampled_from([a for a in Action if a.is_read]), st.integers(0, 2**40))
def test_the_wire_form_round_trips(resource, action, timestamp):
    request = signed(resource=resource, action=action, timestamp=timestamp)
    parsed = ReadRequest.from_bytes(request.to_bytes())
    assert parsed == request
    assert resource_from_plain(resource_to_plain(resource)) == resource


def _wire(**changes):
    plain = decode(signed().to_bytes())
    plain.update(changes)
    return encode({key: value for key, value in plain.items() if value is not ...})


@pytest.mark.parametrize("data, message", [
    (b"\x07", "truncated"),
    (encode([1, 2]), "not a map of the read request's fields"),
    (_wire(extra=1), "not a map of the read request's fields"),
    (_wire(signature=...), "not a map of the read request's fields"),
    (_wire(domain="tabellion/transaction/1"), "unknown domain"),
    (_wire(action="submit-call"), "'submit-call' is not a read"),
    (_wire(action="read-everything"), "unknown action"),
    (_wire(resource=("planet", 3)), "not a resource"),
    (_wire(resource=("block", -1)), "not a block height"),
    (_wire(resource=("account",)), "has 1 items, not 0"),
    (_wire(reader=b"\0" * 31), "reader must be 32 bytes"),
    (_wire(timestamp=-5), "timestamp must be a non-negative integer"),
    (_wire(chain=""), "chain id must be a non-empty string"),
])
def test_malformed_wire_forms_are_refused(data, message):
    with pytest.raises(ReadRequestRejected, match=message):
        ReadRequest.from_bytes(data)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_refused_cleanly(data):
    try:
        ReadRequest.from_bytes(data)
    except ReadRequestRejected:
        pass
