"""Tests of runtime/chain/node.py and storage.py: genesis, blocks, reopening, replay, atomicity."""

import hashlib

import pytest
from chain_world import CHAIN_ID, Signer, Workload, build, commit, new_chain
from tabellion.runtime.chain.blocks import ZERO_HASH, decode_genesis, decode_header
from tabellion.runtime.chain.commitment import rows_of
from tabellion.runtime.chain.errors import ChainError, ChainStorageError
from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.storage import Storage
from tabellion.runtime.chain.transactions import Transfer
from tabellion.runtime.merkle import EMPTY_LIST_ROOT, StateTree, merkle_root
from tabellion.runtime.numeric import Money


def test_genesis_is_block_zero_with_the_genesis_document(tmp_path):
    chain, validator = new_chain(tmp_path / "chain", allocations=[(Signer("alice").party, Money(5_00, "EUR"))])
    with chain:
        block_hash, header_bytes, proof = chain.storage.block(0)
        header = decode_header(header_bytes)
        assert header.hash == block_hash == chain.head.hash
        assert (header.height, header.previous, header.tx_count, header.receipt_root) == (0, ZERO_HASH, 1,
                                                                                            EMPTY_LIST_ROOT)
        (tx_hash, document, receipt), = chain.storage.transactions(0)
        assert receipt is None
        assert header.tx_root == merkle_root([document]) and tx_hash == hashlib.sha256(document).digest()
        genesis = decode_genesis(document)
        assert genesis.chain_id == CHAIN_ID and genesis.dev and genesis.quorum == 1
        assert genesis.members == ((validator.address, ("admin", "validator")),)
        assert header.proof_ok(proof) and header.proposer == validator.public_key
        assert chain.state.balance(Signer("alice").party).units == 5_00
        assert chain.storage.meta("genesis") == header.hash


def test_blocks_link_to_their_parents(tmp_path):
    chain, _, _ = build(tmp_path / "chain", blocks=5)
    with chain:
        previous = None
        for height, block_hash, header_bytes, proof in chain.storage.blocks():
            header = decode_header(header_bytes)
            assert header.height == height and header.hash == block_hash and header.proof_ok(proof)
            if previous is not None:
                assert header.previous == previous.hash and header.timestamp >= previous.timestamp
            rows = chain.storage.transactions(height)
            assert header.tx_count == len(rows)
            previous = header
        assert previous.hash == chain.head.hash


def test_reopening_equals_never_closing(tmp_path):
    kept, validator = new_chain(tmp_path / "kept")
    closed, _ = new_chain(tmp_path / "closed")
    workload = Workload(seed=3)
    for round_ in range(12):
        block = workload.next_block()
        timestamp = 1_767_225_600 + 3600 * round_
        commit(kept, validator, block, timestamp)
        commit(closed, validator, block, timestamp)
        if round_ % 4 == 3:
            closed.close()
            closed = Chain.open(tmp_path / "closed")
            assert closed.head == kept.head
            assert closed.tree.root() == kept.tree.root() == kept.head.state_root
            assert closed.state.snapshot() == kept.state.snapshot()
            assert rows_of(closed.state) == rows_of(kept.state)
    assert closed.head.hash == kept.head.hash
    kept.close()
    closed.close()


def test_replay_on_a_fresh_directory_reproduces_every_state_root(tmp_path):
    original, validator, _ = build(tmp_path / "original", blocks=15, seed=7)
    with original:
        replica, _ = new_chain(tmp_path / "replica")
        with replica:
            assert replica.head.hash == original.storage.block(0)[0]
            for height, block_hash, header_bytes, _ in original.storage.blocks(1):
                header = decode_header(header_bytes)
                bodies = [body for _, body, _ in original.storage.transactions(height)]
                result = commit(replica, validator, bodies, header.timestamp)
                assert result.header.state_root == header.state_root
                assert result.header.receipt_root == header.receipt_root
                assert result.header.hash == block_hash
            assert replica.state.snapshot() == original.state.snapshot()


def test_a_block_that_cannot_be_stored_leaves_everything_as_it_was(tmp_path, monkeypatch):
    chain, validator, workload = build(tmp_path / "chain", blocks=4, seed=1)
    with chain:
        before = (chain.head, chain.tree.root(), chain.state.snapshot(), rows_of(chain.state))
        block = workload.next_block(size=6)

        def broken(*args, **kwargs):
            raise ChainStorageError("disk full")

        monkeypatch.setattr(chain.storage, "write_block", broken)
        with pytest.raises(ChainStorageError, match="disk full"):
            chain.propose(block, validator)
        assert (chain.head, chain.tree.root(), chain.state.snapshot(), rows_of(chain.state)) == before
        assert not chain.state.journal
        monkeypatch.undo()
        commit(chain, validator, block)
        assert chain.tree.root() == StateTree.from_items(
            {chain.commitment.key(p): v for p, v in rows_of(chain.state).items()}).root()
    reopened = Chain.open(tmp_path / "chain")
    assert reopened.head.height == 5
    reopened.close()


def test_the_clock_never_goes_back_and_dev_chains_keep_it_still(tmp_path):
    chain, validator = new_chain(tmp_path / "chain")
    with chain:
        alice = Signer("alice")
        start = chain.head.timestamp
        header = chain.propose([alice.tx(Transfer(alice.party, Money(0, "EUR")))], validator).header
        assert header.timestamp == start
        header = chain.propose([alice.tx(Transfer(alice.party, Money(0, "EUR")))], validator,
                               timestamp=start - 100).header
        assert header.timestamp == start
        header = chain.propose([], validator, timestamp=start + 60, allow_empty=True).header
        assert header.timestamp == start + 60 and header.tx_count == 0


def test_nothing_to_include_makes_no_block(tmp_path):
    chain, validator = new_chain(tmp_path / "chain")
    with chain:
        result = chain.propose([], validator)
        assert result.header is None and chain.height == 0


def test_a_second_writer_cannot_add_the_same_height(tmp_path):
    chain, validator = new_chain(tmp_path / "chain")
    other = Chain.open(tmp_path / "chain")
    alice, bob = Signer("alice"), Signer("bob")
    commit(chain, validator, [alice.tx(Transfer(alice.party, Money(0, "EUR")))])
    with pytest.raises(ChainStorageError, match="another process extended the chain"):
        other.propose([bob.tx(Transfer(bob.party, Money(0, "EUR")))], validator)
    assert other.broken is None and other.height == 0  # its own state went back; it must reopen to go on
    chain.close()
    other.close()


def test_opening_what_is_not_a_chain_fails_clearly(tmp_path):
    with pytest.raises(ChainStorageError, match="no chain at .*: the directory does not exist"):
        Chain.open(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ChainStorageError, match="has no chain.sqlite"):
        Chain.open(tmp_path / "empty")
    new_chain(tmp_path / "chain")[0].close()
    with pytest.raises(ChainStorageError, match="already holds a chain"):
        new_chain(tmp_path / "chain")


def test_a_damaged_state_row_is_caught_when_reopening(tmp_path):
    chain, _, _ = build(tmp_path / "chain", blocks=3)
    chain.close()
    storage = Storage.open(tmp_path / "chain")
    key, value = next(iter(storage.state_rows()))
    storage.connection.execute("UPDATE state SET value = ? WHERE key = ?", (value + b"\x00", key))
    storage.close()
    with pytest.raises(ChainStorageError):
        Chain.open(tmp_path / "chain")


def test_a_non_validator_cannot_sign(tmp_path):
    chain, _ = new_chain(tmp_path / "chain")
    with chain, pytest.raises(ChainError, match="not a validator"):
        chain.propose([], Signer("mallory").keypair, allow_empty=True)
