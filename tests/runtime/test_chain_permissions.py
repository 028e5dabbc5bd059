"""The permissions issue end to end: access policies, signed reads, membership and proof of authority on real chains.

One chain per preset (private, governmental, surveillance, public), built once per
module in a temporary directory, with one key per chain role, a non-member and an
anonymous requester. Each row of TABLE is one cell: a real signed read request
through the node's read interface (`chain/reads.py`), or a real signed transaction
through `Chain.propose`, with the expected outcome written out from the rules of
docs/permissions.md (not computed by `access.decide`). A denied write must leave
the chain as it was: no block, no nonce used.
"""

from __future__ import annotations

import attrs
import pytest
from tabellion.runtime import access
from tabellion.runtime.access import AccessDenied, Action, Policy
from tabellion.runtime.chain.errors import ChainError, VerificationFailed, WriteDenied
from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.reads import Reads, sign_read
from tabellion.runtime.chain.transactions import (
    Call,
    Deploy,
    Membership,
    contract_address,
    sign_transaction,
)
from tabellion.runtime.chain.verify import verify_chain
from tabellion.runtime.consensus.authority import detect_equivocations
from tabellion.runtime.keys import KeyPair
from tabellion.runtime.membership import add_member, remove_member
from tabellion.runtime.read_requests import ReadRequest, ReadRequestRejected
from tabellion.runtime.values import Party

ALLOW, DENY = True, False
GAS = 1_000_000

VAULT = """
contract Vault {
    role keeper
    state count: Int = 0
    state secret: Int = 42 visible to keeper
    event Bumped(count: Int)
    entry bump() by anyone {
        count += 1
        emit Bumped(count)
    }
}
"""

# (preset, requester, operation, expected): one row per cell. The `visible to` field is
# visible to the contract's keeper role, which the writer holds.
TABLE = [
    ("private", "admin", "read state", ALLOW),
    ("private", "admin", "read visible field", ALLOW),
    ("private", "admin", "read blocks", ALLOW),
    ("private", "admin", "read events", ALLOW),
    ("private", "admin", "submit call", DENY),
    ("private", "admin", "deploy", DENY),
    ("private", "admin", "propose membership", ALLOW),
    ("private", "validator", "read state", ALLOW),
    ("private", "validator", "read visible field", DENY),
    ("private", "validator", "read blocks", ALLOW),
    ("private", "validator", "read events", ALLOW),
    ("private", "validator", "submit call", DENY),
    ("private", "validator", "deploy", DENY),
    ("private", "validator", "propose membership", DENY),
    ("private", "writer", "read state", ALLOW),
    ("private", "writer", "read visible field", ALLOW),
    ("private", "writer", "read blocks", ALLOW),
    ("private", "writer", "read events", ALLOW),
    ("private", "writer", "submit call", ALLOW),
    ("private", "writer", "deploy", ALLOW),
    ("private", "writer", "propose membership", DENY),
    ("private", "reader", "read state", ALLOW),
    ("private", "reader", "read visible field", DENY),
    ("private", "reader", "read blocks", ALLOW),
    ("private", "reader", "read events", ALLOW),
    ("private", "reader", "submit call", DENY),
    ("private", "reader", "deploy", DENY),
    ("private", "reader", "propose membership", DENY),
    ("private", "auditor", "read state", ALLOW),
    ("private", "auditor", "read visible field", ALLOW),
    ("private", "auditor", "read blocks", ALLOW),
    ("private", "auditor", "read events", ALLOW),
    ("private", "auditor", "submit call", DENY),
    ("private", "auditor", "deploy", DENY),
    ("private", "auditor", "propose membership", DENY),
    ("private", "non-member", "read state", DENY),
    ("private", "non-member", "read visible field", DENY),
    ("private", "non-member", "read blocks", DENY),
    ("private", "non-member", "read events", DENY),
    ("private", "non-member", "submit call", DENY),
    ("private", "non-member", "deploy", DENY),
    ("private", "non-member", "propose membership", DENY),
    ("private", "anonymous", "read state", DENY),
    ("private", "anonymous", "read visible field", DENY),
    ("private", "anonymous", "read blocks", DENY),
    ("private", "anonymous", "read events", DENY),
    ("private", "anonymous", "submit call", DENY),
    ("private", "anonymous", "deploy", DENY),
    ("private", "anonymous", "propose membership", DENY),
    ("governmental", "admin", "read state", ALLOW),
    ("governmental", "admin", "read visible field", ALLOW),
    ("governmental", "admin", "read blocks", ALLOW),
    ("governmental", "admin", "read events", ALLOW),
    ("governmental", "admin", "submit call", DENY),
    ("governmental", "admin", "deploy", DENY),
    ("governmental", "admin", "propose membership", ALLOW),
    ("governmental", "validator", "read state", ALLOW),
    ("governmental", "validator", "read visible field", DENY),
    ("governmental", "validator", "read blocks", ALLOW),
    ("governmental", "validator", "read events", ALLOW),
    ("governmental", "validator", "submit call", DENY),
    ("governmental", "validator", "deploy", DENY),
    ("governmental", "validator", "propose membership", DENY),
    ("governmental", "writer", "read state", ALLOW),
    ("governmental", "writer", "read visible field", ALLOW),
    ("governmental", "writer", "read blocks", ALLOW),
    ("governmental", "writer", "read events", ALLOW),
    ("governmental", "writer", "submit call", ALLOW),
    ("governmental", "writer", "deploy", ALLOW),
    ("governmental", "writer", "propose membership", DENY),
    ("governmental", "reader", "read state", ALLOW),
    ("governmental", "reader", "read visible field", DENY),
    ("governmental", "reader", "read blocks", ALLOW),
    ("governmental", "reader", "read events", ALLOW),
    ("governmental", "reader", "submit call", DENY),
    ("governmental", "reader", "deploy", DENY),
    ("governmental", "reader", "propose membership", DENY),
    ("governmental", "auditor", "read state", ALLOW),
    ("governmental", "auditor", "read visible field", ALLOW),
    ("governmental", "auditor", "read blocks", ALLOW),
    ("governmental", "auditor", "read events", ALLOW),
    ("governmental", "auditor", "submit call", DENY),
    ("governmental", "auditor", "deploy", DENY),
    ("governmental", "auditor", "propose membership", DENY),
    ("governmental", "non-member", "read state", ALLOW),
    ("governmental", "non-member", "read visible field", DENY),
    ("governmental", "non-member", "read blocks", ALLOW),
    ("governmental", "non-member", "read events", ALLOW),
    ("governmental", "non-member", "submit call", DENY),
    ("governmental", "non-member", "deploy", DENY),
    ("governmental", "non-member", "propose membership", DENY),
    ("governmental", "anonymous", "read state", ALLOW),
    ("governmental", "anonymous", "read visible field", DENY),
    ("governmental", "anonymous", "read blocks", ALLOW),
    ("governmental", "anonymous", "read events", ALLOW),
    ("governmental", "anonymous", "submit call", DENY),
    ("governmental", "anonymous", "deploy", DENY),
    ("governmental", "anonymous", "propose membership", DENY),
    ("surveillance", "admin", "read state", ALLOW),
    ("surveillance", "admin", "read visible field", ALLOW),
    ("surveillance", "admin", "read blocks", ALLOW),
    ("surveillance", "admin", "read events", ALLOW),
    ("surveillance", "admin", "submit call", ALLOW),
    ("surveillance", "admin", "deploy", ALLOW),
    ("surveillance", "admin", "propose membership", ALLOW),
    ("surveillance", "validator", "read state", ALLOW),
    ("surveillance", "validator", "read visible field", DENY),
    ("surveillance", "validator", "read blocks", ALLOW),
    ("surveillance", "validator", "read events", ALLOW),
    ("surveillance", "validator", "submit call", ALLOW),
    ("surveillance", "validator", "deploy", ALLOW),
    ("surveillance", "validator", "propose membership", DENY),
    ("surveillance", "writer", "read state", ALLOW),
    ("surveillance", "writer", "read visible field", ALLOW),
    ("surveillance", "writer", "read blocks", ALLOW),
    ("surveillance", "writer", "read events", ALLOW),
    ("surveillance", "writer", "submit call", ALLOW),
    ("surveillance", "writer", "deploy", ALLOW),
    ("surveillance", "writer", "propose membership", DENY),
    ("surveillance", "reader", "read state", ALLOW),
    ("surveillance", "reader", "read visible field", DENY),
    ("surveillance", "reader", "read blocks", ALLOW),
    ("surveillance", "reader", "read events", ALLOW),
    ("surveillance", "reader", "submit call", ALLOW),
    ("surveillance", "reader", "deploy", ALLOW),
    ("surveillance", "reader", "propose membership", DENY),
    ("surveillance", "auditor", "read state", ALLOW),
    ("surveillance", "auditor", "read visible field", ALLOW),
    ("surveillance", "auditor", "read blocks", ALLOW),
    ("surveillance", "auditor", "read events", ALLOW),
    ("surveillance", "auditor", "submit call", ALLOW),
    ("surveillance", "auditor", "deploy", ALLOW),
    ("surveillance", "auditor", "propose membership", DENY),
    ("surveillance", "non-member", "read state", DENY),
    ("surveillance", "non-member", "read visible field", DENY),
    ("surveillance", "non-member", "read blocks", DENY),
    ("surveillance", "non-member", "read events", DENY),
    ("surveillance", "non-member", "submit call", ALLOW),
    ("surveillance", "non-member", "deploy", ALLOW),
    ("surveillance", "non-member", "propose membership", DENY),
    ("surveillance", "anonymous", "read state", DENY),
    ("surveillance", "anonymous", "read visible field", DENY),
    ("surveillance", "anonymous", "read blocks", DENY),
    ("surveillance", "anonymous", "read events", DENY),
    ("surveillance", "anonymous", "submit call", DENY),
    ("surveillance", "anonymous", "deploy", DENY),
    ("surveillance", "anonymous", "propose membership", DENY),
    ("public", "admin", "read state", ALLOW),
    ("public", "admin", "read visible field", ALLOW),
    ("public", "admin", "read blocks", ALLOW),
    ("public", "admin", "read events", ALLOW),
    ("public", "admin", "submit call", ALLOW),
    ("public", "admin", "deploy", ALLOW),
    ("public", "admin", "propose membership", ALLOW),
    ("public", "validator", "read state", ALLOW),
    ("public", "validator", "read visible field", DENY),
    ("public", "validator", "read blocks", ALLOW),
    ("public", "validator", "read events", ALLOW),
    ("public", "validator", "submit call", ALLOW),
    ("public", "validator", "deploy", ALLOW),
    ("public", "validator", "propose membership", DENY),
    ("public", "writer", "read state", ALLOW),
    ("public", "writer", "read visible field", ALLOW),
    ("public", "writer", "read blocks", ALLOW),
    ("public", "writer", "read events", ALLOW),
    ("public", "writer", "submit call", ALLOW),
    ("public", "writer", "deploy", ALLOW),
    ("public", "writer", "propose membership", DENY),
    ("public", "reader", "read state", ALLOW),
    ("public", "reader", "read visible field", DENY),
    ("public", "reader", "read blocks", ALLOW),
    ("public", "reader", "read events", ALLOW),
    ("public", "reader", "submit call", ALLOW),
    ("public", "reader", "deploy", ALLOW),
    ("public", "reader", "propose membership", DENY),
    ("public", "auditor", "read state", ALLOW),
    ("public", "auditor", "read visible field", ALLOW),
    ("public", "auditor", "read blocks", ALLOW),
    ("public", "auditor", "read events", ALLOW),
    ("public", "auditor", "submit call", ALLOW),
    ("public", "auditor", "deploy", ALLOW),
    ("public", "auditor", "propose membership", DENY),
    ("public", "non-member", "read state", ALLOW),
    ("public", "non-member", "read visible field", DENY),
    ("public", "non-member", "read blocks", ALLOW),
    ("public", "non-member", "read events", ALLOW),
    ("public", "non-member", "submit call", ALLOW),
    ("public", "non-member", "deploy", ALLOW),
    ("public", "non-member", "propose membership", DENY),
    ("public", "anonymous", "read state", ALLOW),
    ("public", "anonymous", "read visible field", DENY),
    ("public", "anonymous", "read blocks", ALLOW),
    ("public", "anonymous", "read events", ALLOW),
    ("public", "anonymous", "submit call", DENY),
    ("public", "anonymous", "deploy", DENY),
    ("public", "anonymous", "propose membership", DENY),
]

ROLES = {"admin": ("admin",), "validator": ("validator",), "writer": ("writer",), "reader": ("reader",),
         "auditor": ("auditor",)}


@attrs.define
class World:
    chain: Chain
    keys: dict          # requester name -> KeyPair (None for anonymous)
    validator: KeyPair
    vault: str
    reads: Reads


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    built = {}
    yield lambda preset: built.get(preset) or built.setdefault(preset, _build(tmp_path_factory, preset))
    for world in built.values():
        world.chain.close()


def _build(factory, preset) -> World:
    keys = {name: KeyPair.generate() for name in (*ROLES, "non-member")}
    members = [(keys[name].address, roles) for name, roles in ROLES.items() if name != "validator"]
    chain = Chain.init(factory.mktemp(preset) / "chain", keys["validator"], dev=False, chain_id=f"{preset}-chain",
                       policy=Policy.preset(preset), members=members, validator_roles=("validator",))
    writer = keys["writer"]
    deploy = sign_transaction(writer, chain.config.chain_id, 0, GAS,
                              Deploy("vault.sc", VAULT, (), "Vault", {"keeper": [Party(writer.address)]}))
    bump = sign_transaction(writer, chain.config.chain_id, 1, GAS,
                            Call(Party(contract_address(writer.address, 0)), "bump", (), None))
    result = chain.propose([deploy, bump], keys["validator"])
    assert not result.rejected and all(receipt.ok for _, receipt in result.included), result
    keys["anonymous"] = None
    return World(chain, keys, keys["validator"], contract_address(writer.address, 0), Reads(chain))


def _read(world, key, operation):
    chain, vault = world.chain, world.vault
    chain_id = chain.config.chain_id
    if operation == "read state":
        request = sign_read(key, chain_id, Action.READ_STATE, access.Contract(vault))
        view = world.reads.state(request, vault)
        assert view.name == "Vault" and view.fields["count"] >= 1
    elif operation == "read visible field":
        request = sign_read(key, chain_id, Action.READ_FIELD, access.Field(vault, "secret"))
        assert world.reads.field(request, vault, "secret") == (True, 42)
    elif operation == "read blocks":
        request = sign_read(key, chain_id, Action.READ_BLOCKS, access.Block(None))
        assert [height for height, _, _ in world.reads.blocks(request)][:2] == [0, 1]
    else:
        request = sign_read(key, chain_id, Action.READ_EVENTS, access.Events(vault))
        assert [event[3] for event in world.reads.events(request, vault)][:1] == ["Bumped"]


def _payload(world, operation):
    if operation == "submit call":
        return Call(Party(world.vault), "bump", (), None)
    if operation == "deploy":
        return Deploy("vault.sc", VAULT, (), "Vault", {"keeper": [Party(world.keys["writer"].address)]})
    return Membership({"op": "propose", "change": add_member(KeyPair.generate().address, ("reader",))})


def _write(world, key, operation):
    """Submit a signed transaction; (allowed, reason). An anonymous one carries no valid signature."""
    chain = world.chain
    signer = key or KeyPair.generate()
    tx = sign_transaction(signer, chain.config.chain_id, chain.nonce(signer.address), GAS,
                          _payload(world, operation))
    if key is None:
        tx = attrs.evolve(tx, signature=bytes(64))
    before = (chain.height, chain.head.hash, chain.nonce(signer.address))
    result = chain.propose([tx], world.validator)
    if result.included:
        assert result.header is not None and chain.nonce(signer.address) == before[2] + 1
        return True, None
    assert result.header is None and (chain.height, chain.head.hash, chain.nonce(signer.address)) == before
    (_, reason), = result.rejected
    return False, reason


@pytest.mark.parametrize(("preset", "requester", "operation", "expected"), TABLE,
                         ids=[f"{p}-{r}-{o.replace(' ', '_')}" for p, r, o, _ in TABLE])
def test_access_cell(worlds, preset, requester, operation, expected):
    world = worlds(preset)
    key = world.keys[requester]
    if operation.startswith("read"):
        try:
            _read(world, key, operation)
        except AccessDenied as denied:
            assert expected is DENY, f"denied: {denied.decision.reason}"
            assert denied.decision.reason.startswith("access denied")
        else:
            assert expected is ALLOW, "allowed"
        return
    allowed, reason = _write(world, key, operation)
    assert allowed is expected, reason
    if not allowed:
        assert reason.startswith("access denied") or (requester == "anonymous" and reason.startswith("bad signature"))


def test_the_table_covers_every_cell():
    cells = {(p, r, o) for p, r, o, _ in TABLE}
    assert len(cells) == len(TABLE) == 4 * 7 * 7


def test_a_denied_field_is_an_error_in_place_and_the_rest_is_returned(worlds):
    world = worlds("governmental")
    reads, chain_id, vault = world.reads, world.chain.config.chain_id, world.vault
    for name in ("reader", "non-member", "anonymous"):
        view = reads.state(sign_read(world.keys[name], chain_id, Action.READ_STATE, access.Contract(vault)), vault)
        assert view.fields["count"] >= 1
        assert isinstance(view.fields["secret"], AccessDenied)
        assert "visible to keeper only" in view.fields["secret"].decision.reason
    view = reads.state(sign_read(world.keys["writer"], chain_id, Action.READ_STATE, access.Contract(vault)), vault)
    assert view.fields["secret"] == 42


def test_anonymous_readers_of_a_members_chain_learn_nothing(worlds):
    world = worlds("private")
    reasons = set()
    for address in (world.vault, KeyPair.generate().address):  # a contract, and nothing at all
        with pytest.raises(AccessDenied) as denied:
            world.reads.state(None, address)
        reasons.add(denied.value.decision.reason)
        with pytest.raises(AccessDenied) as denied:
            world.reads.field(None, address, "secret")
        reasons.add(denied.value.decision.reason)
    assert len(reasons) == 2 and not any(world.vault in reason for reason in reasons)


# -- bad input: forged signatures, removed members, equivocation, replayed reads


def test_a_forged_transaction_signature_is_rejected_and_changes_nothing(worlds):
    world = worlds("public")
    chain, writer = world.chain, world.keys["writer"]
    tx = sign_transaction(writer, chain.config.chain_id, chain.nonce(writer.address), GAS,
                          Call(Party(world.vault), "bump", (), None))
    forged = attrs.evolve(tx, signature=KeyPair.generate().sign(b"something else"))
    before = (chain.height, chain.head.hash, chain.nonce(writer.address))
    result = chain.propose([forged], world.validator)
    assert result.rejected[0][1].startswith("bad signature")
    assert (chain.height, chain.head.hash, chain.nonce(writer.address)) == before


def test_a_forged_or_misdirected_read_request_is_refused(worlds):
    world = worlds("private")
    reader, chain_id = world.keys["reader"], world.chain.config.chain_id
    good = ReadRequest.from_bytes(sign_read(reader, chain_id, Action.READ_BLOCKS, access.Block(None)))
    forged = attrs.evolve(good, signature=KeyPair.generate().sign(good.signing_bytes()))
    with pytest.raises(ReadRequestRejected, match="signature is invalid"):
        world.reads.blocks(forged.to_bytes())
    impostor = attrs.evolve(good, public_key=world.keys["admin"].public_key)  # claims to be the admin
    with pytest.raises(ReadRequestRejected, match="signature is invalid"):
        world.reads.blocks(impostor.to_bytes())
    elsewhere = sign_read(reader, "public-chain", Action.READ_BLOCKS, access.Block(None))
    with pytest.raises(ReadRequestRejected, match="it is for chain 'public-chain', not 'private-chain'"):
        world.reads.blocks(elsewhere)
    once = sign_read(reader, chain_id, Action.READ_BLOCKS, access.Block(None))
    world.reads.blocks(once)
    with pytest.raises(ReadRequestRejected, match="already used"):
        world.reads.blocks(once)
    other = sign_read(reader, chain_id, Action.READ_MEMBERSHIP, access.Membership())
    with pytest.raises(ReadRequestRejected, match="asks for read-membership"):
        world.reads.blocks(other)


def test_a_removed_member_still_signing_is_refused(tmp_path):
    admin, notary, clerk = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()
    chain = Chain.init(tmp_path / "chain", notary, dev=False, chain_id="land", policy=Policy.preset("private"),
                       members=[(admin.address, ("admin",)), (clerk.address, ("writer",))],
                       validator_roles=("validator",))
    with chain:
        change = Membership({"op": "propose", "change": remove_member(clerk.address)})
        removal = chain.propose([sign_transaction(admin, "land", 0, GAS, change)], notary)
        assert removal.included[0][1].ok and clerk.address not in chain.state.membership["members"]
        head = chain.head.hash
        late = sign_transaction(clerk, "land", 0, GAS, Deploy("vault.sc", VAULT, (), "Vault", {"keeper": []}))
        result = chain.propose([late], notary)
        assert result.rejected[0][1] == ("access denied: submitting a deploy transaction on a private chain needs "
                                         "the writer role")
        assert chain.head.hash == head and chain.nonce(clerk.address) == 0
        with pytest.raises(AccessDenied, match="needs the reader role"):
            Reads(chain).blocks(sign_read(clerk, "land", Action.READ_BLOCKS, access.Block(None)))


def test_write_denials_are_transaction_rejections_and_access_denials():
    decision = access.Decision(False, "access denied: test")
    error = WriteDenied(decision)
    assert isinstance(error, AccessDenied) and error.reason == "access denied: test" and str(error) == error.reason


# -- proof of authority


def _two_validators(tmp_path):
    first, second = sorted((KeyPair.generate(), KeyPair.generate()), key=lambda k: k.address)
    writer = KeyPair.generate()
    chain = Chain.init(tmp_path / "chain", first, dev=False, chain_id="poa", policy=Policy.preset("governmental"),
                       members=[(second.address, ("validator",)), (writer.address, ("writer",))])
    return chain, first, second, writer


def _bump(writer, nonce):
    return sign_transaction(writer, "poa", nonce, GAS, Deploy("vault.sc", VAULT, (), "Vault", {"keeper": []}))


def test_validators_sign_in_turn(tmp_path):
    chain, first, second, writer = _two_validators(tmp_path)
    with chain:
        stamp = chain.head.timestamp
        assert chain.proposer_for(stamp) == first.address  # block 1: validators[0]
        with pytest.raises(ChainError, match="out of turn"):
            chain.propose([_bump(writer, 0)], second, timestamp=stamp)
        with pytest.raises(ChainError, match="not a validator"):
            chain.propose([_bump(writer, 0)], writer, timestamp=stamp)
        assert chain.height == 0 and chain.nonce(writer.address) == 0
        chain.propose([_bump(writer, 0)], first, timestamp=stamp)
        assert chain.proposer_for(stamp) == second.address  # block 2: the next one
        # after a silence of one timeout, the turn passes on to the next validator
        assert chain.proposer_for(stamp + 10) == first.address
        chain.propose([_bump(writer, 1)], first, timestamp=stamp + 10)
        assert verify_chain(chain.directory).head == 2


@pytest.mark.parametrize("who", ["out of turn", "a non-validator"])
def test_a_block_signed_out_of_turn_or_by_a_non_validator_fails_on_replay(tmp_path, monkeypatch, who):
    chain, _first, second, writer = _two_validators(tmp_path)
    with chain:
        signer = second if who == "out of turn" else writer
        # Forge what a misbehaving node would store: skip this node's own turn check.
        monkeypatch.setattr(Chain, "proposer_for", lambda self, timestamp: signer.address)
        monkeypatch.setattr(Chain, "is_validator", lambda self, public_key: True)
        chain.propose([_bump(writer, 0)], signer, timestamp=chain.head.timestamp)
        monkeypatch.undo()
        with pytest.raises(VerificationFailed) as failure:
            verify_chain(chain.directory)
        assert failure.value.height == 1
        expected = "signed out of turn" if who == "out of turn" else "which is not a validator"
        assert expected in failure.value.reason


def test_a_validator_signing_twice_at_one_height_is_caught(tmp_path):
    chain, first, _second, writer = _two_validators(tmp_path)
    with chain:
        chain.propose([_bump(writer, 0)], first, timestamp=chain.head.timestamp)
        _, _header_bytes, proof = chain.storage.block(1)
        stored = chain.head.signed(proof)
        other = attrs.evolve(chain.head, gas_used=chain.head.gas_used + 1)  # a different block, same height
        rival = other.signed(first.sign(other.signed().signing_bytes()))
        found = detect_equivocations([stored, rival])
        assert len(found) == 1 and found[0].is_valid() and found[0].proposer == first.address
        assert detect_equivocations([stored, attrs.evolve(rival, signature=bytes(64))]) == ()


# -- through the command line


def _cli(capsys, *argv):
    from tabellion.runtime import cli

    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return status, out + err


def test_a_private_chain_through_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    chain = tmp_path / "chain"
    for name in ("n1", "n2", "a1", "a2", "clerk", "reader", "auditor", "stranger"):
        assert _cli(capsys, "keys", "new", name)[0] == 0
    status, out = _cli(capsys, "chain", "init", chain, "--preset", "private", "--chain-id", "registry",
                       "--validator", "n1", "--validator", "n2", "--admin", "a1", "--admin", "a2", "--quorum", "2",
                       "--member", "clerk:writer", "--member", "reader:reader", "--member", "auditor:auditor")
    assert status == 0 and "private: read members, write members" in out and "members     7 (quorum 2)" in out
    source = tmp_path / "vault.sc"
    source.write_text(VAULT)
    status, out = _cli(capsys, "deploy", source, "Vault", "--chain", chain, "--as", "clerk", "--arg", "keeper=clerk")
    assert status == 0, out
    vault = out.split("deployed at ")[1].split()[0]
    assert _cli(capsys, "call", vault, "bump", "--chain", chain, "--as", "clerk")[0] == 0
    # writes
    status, out = _cli(capsys, "call", vault, "bump", "--chain", chain, "--as", "reader")
    assert status == 1 and "access denied: submitting a call transaction on a private chain needs the writer role" in out
    # reads: anonymous and strangers learn nothing, members read, `visible to` narrows
    for argv in (("query", vault, "--chain", chain), ("query", vault, "--chain", chain, "--as", "stranger"),
                 ("chain", "blocks", chain), ("chain", "status", chain), ("chain", "events", chain),
                 ("chain", "members", "list", chain), ("chain", "show", chain, "1")):
        status, out = _cli(capsys, *argv)
        assert status == 1 and "access denied: reading" in out and vault not in out, (argv, out)
    status, out = _cli(capsys, "query", vault, "--chain", chain, "--as", "reader")
    assert status == 0 and "state     count = 1" in out and "state     secret = (error: access denied: field 'secret'" in out
    assert _cli(capsys, "query", vault, "secret", "--chain", chain, "--as", "auditor")[1].strip() == "42"
    status, out = _cli(capsys, "query", vault, "secret", "--chain", chain, "--as", "reader")
    assert status == 1 and "visible to keeper only" in out
    assert "Bumped(count: 1)" in _cli(capsys, "chain", "events", chain, "--as", "reader")[1]
    assert "proposer" in _cli(capsys, "chain", "blocks", chain, "--as", "reader")[1]
    # membership: a quorum of two admins adds the stranger as a reader
    status, out = _cli(capsys, "chain", "members", "propose", chain, "add", "stranger", "reader", "--as", "clerk")
    assert status == 1 and "needs the admin role" in out
    status, out = _cli(capsys, "chain", "members", "propose", chain, "add", "stranger", "reader", "--as", "a1")
    assert status == 0 and "proposal 1 pending: 1 of 2 approvals" in out
    assert "open, approved by 1" in _cli(capsys, "chain", "members", "list", chain, "--as", "reader")[1]
    assert _cli(capsys, "chain", "members", "approve", chain, "1", "--as", "a2")[1].count("proposal 1 applied") == 1
    assert _cli(capsys, "chain", "blocks", chain, "--as", "stranger")[0] == 0
    status, out = _cli(capsys, "chain", "verify", chain)
    assert status == 0 and "verified" in out


def test_simulate_pow_is_a_chain_command(capsys):
    status, out = _cli(capsys, "chain", "simulate-pow", "--blocks", "400", "--hashrate", "0:100,200:400")
    assert status == 0 and "400 blocks in 4 retarget epochs" in out


# -- examples/surveillance_oracle.sc on a surveillance chain


def test_oracles_on_a_surveillance_chain(tmp_path):
    from pathlib import Path

    from tabellion.runtime.numeric import Money

    source = (Path(__file__).resolve().parents[2] / "examples" / "surveillance_oracle.sc").read_text()
    notary, admin, axa, regulator, meteo, ferme, voisin = (KeyPair.generate() for _ in range(7))
    chain = Chain.init(tmp_path / "chain", notary, dev=False, chain_id="hail", policy=Policy.preset("surveillance"),
                       members=[(admin.address, ("admin",)), (axa.address, ("reader",)),
                                (regulator.address, ("reader",))],
                       allocations=[(Party(axa.address), Money(500_00, "EUR"))], validator_roles=("validator",))
    with chain:
        args = {"payout": Money(500_00, "EUR"), "insurer": [Party(axa.address)], "oracle": [Party(meteo.address)],
                "farmer": Party(ferme.address)}
        deploy = sign_transaction(axa, "hail", 0, GAS, Deploy("hail.sc", source, (), "HailCover", args,
                                                              Money(500_00, "EUR")))
        assert chain.propose([deploy], notary).included[0][1].ok
        cover = Party(contract_address(axa.address, 0))

        def report(key, hail):  # open write: any signed key, member or not, submits a report
            tx = sign_transaction(key, "hail", chain.nonce(key.address), GAS, Call(cover, "report", ("Beauce", hail),
                                                                                     None))
            (_, receipt), = chain.propose([tx], notary).included
            assert receipt.ok
            return [event.name for event in receipt.events]

        assert report(ferme, True) == ["Tip"] and report(voisin, True) == ["Tip"]
        assert chain.state.balance(Party(ferme.address), "EUR") == Money(0, "EUR")
        assert report(meteo, True) == ["Confirmed", "Paid"]
        assert chain.state.balance(Party(ferme.address), "EUR") == Money(500_00, "EUR")
        reads = Reads(chain)

        def view(key):
            return reads.state(sign_read(key, "hail", Action.READ_STATE, access.Contract(cover.name)), cover.name)

        for outsider in (voisin, meteo, None):  # reporting gives no right to read
            with pytest.raises(AccessDenied, match="needs the reader role"):
                view(outsider)
        assert view(axa).fields["tips"] == 2 and view(axa).fields["last_tip"] == "Beauce"
        assert view(regulator).fields["tips"] == 2
        assert isinstance(view(regulator).fields["last_tip"], AccessDenied)  # visible to the insurer only
        assert verify_chain(chain.directory).head == 4
