"""Replaying a chain from genesis and checking everything stored against the replay.

For each block, in order: the header decodes and hashes to its stored hash, its
height, chain id, previous hash and timestamp follow the block before, its
proposer is the validator whose turn it was (proof of authority,
`consensus.authority.check_block`, against the validators of the state before it)
and the consensus proof is that proposer's signature -- or, on a proof-of-work
chain, the block carries the target the retarget rule requires, its work hash is
below it and its coinbase within the issuance schedule (`mining.check_mined`),
and the coinbase is issued before its transactions replay; the stored transactions hash to their stored hashes and to
the header's transaction root, the stored receipts to its receipt root; every
transaction passes the same checks as when it was proposed (signature, nonce,
chain id...) and, run again, gives exactly the stored receipt; the gas adds up;
the state root after the block is the header's. Finally every stored state row
must equal the replayed state's, and no row may be missing or extra.

The first mismatch raises VerificationFailed naming its block: for a state row,
the block that last wrote it.
"""

from __future__ import annotations

import hashlib

import attrs
from tabellion.runtime.consensus.authority import check_block
from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.membership import MembershipRejected
from tabellion.runtime.merkle import EMPTY_LIST_ROOT, StateTree, merkle_root
from tabellion.runtime.temporal import Time

from .blocks import (
    ZERO_HASH,
    MalformedBlock,
    decode_genesis,
    decode_header,
    receipt_bytes,
)
from .commitment import Commitment, rows_of
from .errors import TransactionRejected, VerificationFailed
from .executor import Executor
from .mining import check_mined, pay_coinbase
from .node import TURN_TIMEOUT, genesis_state, run_transactions
from .storage import Storage

__all__ = ["VerifyReport", "verify_chain"]


@attrs.frozen
class VerifyReport:
    head: int
    transactions: int
    state_rows: int
    state_root: bytes
    genesis_hash: bytes


def verify_chain(directory, progress=None) -> VerifyReport:
    """Replay the chain in `directory`; VerificationFailed at the first block that does not match.

    `progress(height, head)` is called after each block.
    """
    storage = Storage.open(directory, readonly=True)
    try:
        with storage.snapshot():
            return _Replay(storage, progress).run()
    finally:
        storage.close()


class _Replay:
    def __init__(self, storage: Storage, progress):
        self.storage = storage
        self.progress = progress or (lambda height, head: None)
        self.writers: dict[bytes, int] = {}
        self.transactions = 0
        self.timestamps: list[int] = []  # by height, for retargeting

    def run(self) -> VerifyReport:
        head = self.storage.head()
        if head < 0:
            raise VerificationFailed(0, "the chain has no genesis block")
        previous = None
        for height, stored_hash, header_bytes, proof in self.storage.blocks(0, head + 1):
            if height != (0 if previous is None else previous.height + 1):
                raise VerificationFailed((0 if previous is None else previous.height + 1), "the block is missing")
            header = self._header(height, stored_hash, header_bytes, proof, previous)
            if height == 0:
                self._genesis(header)
            else:
                self._block(header)
            previous = header
            self.progress(height, head)
        rows = self._check_rows()
        return VerifyReport(head, self.transactions, rows, previous.state_root, self.genesis_hash)

    # -- one block

    def _header(self, height, stored_hash, header_bytes, proof, previous):
        def fail(reason):
            raise VerificationFailed(height, reason)

        if not all(type(value) is bytes for value in (stored_hash, header_bytes, proof)):
            fail("a stored header, hash or proof is not a byte string")
        try:
            header = decode_header(header_bytes)
        except MalformedBlock as error:
            fail(str(error))
        if hashlib.sha256(header_bytes).digest() != stored_hash:
            fail("the stored block hash is not the hash of its header")
        if header.height != height:
            fail(f"the header says height {header.height}")
        if previous is None:
            if header.previous != ZERO_HASH:
                fail("the genesis header has a previous hash")
        else:
            if header.chain_id != previous.chain_id:
                fail(f"the header names chain '{header.chain_id}', not '{previous.chain_id}'")
            if header.previous != previous.hash:
                fail("its previous hash is not the hash of block " + str(height - 1))
            if header.timestamp < previous.timestamp:
                fail("its timestamp is earlier than the block before")
            params = self.state.config.pow
            if params is not None:
                if header.work is None or proof != b"":
                    fail("a block of a proof-of-work chain must carry a proof of work and no signature")
                try:
                    check_mined(params, header, previous, self.timestamps.__getitem__)
                except BlockRejected as error:
                    fail(f"the proof of work is refused: {error.reason}")
                self.timestamps.append(header.timestamp)
                return header
            try:
                check_block(header.signed(proof), chain_id=previous.chain_id, validators=self.state.validators(),
                            previous_timestamp=previous.timestamp, timeout=TURN_TIMEOUT)
            except BlockRejected as error:
                fail(f"the consensus proof is refused: {error.reason}")
            except ValueError as error:  # no validators left: no block can be valid
                fail(str(error))
        if header.work is not None:
            fail("a proof-of-authority block carries a proof of work")
        if not header.proof_ok(proof):
            fail("the consensus proof is not the proposer's signature of the header")
        self.timestamps.append(header.timestamp)
        return header

    def _genesis(self, header):
        def fail(reason):
            raise VerificationFailed(0, reason)

        rows = self.storage.transactions(0)
        if len(rows) != 1 or header.tx_count != 1:
            fail("block 0 must hold exactly the genesis document")
        tx_hash, document, receipt = rows[0]
        if type(tx_hash) is not bytes or type(document) is not bytes:
            fail("the stored genesis document or its hash is not a byte string")
        if hashlib.sha256(document).digest() != tx_hash:
            fail("the stored hash of the genesis document is not its hash")
        if receipt is not None or header.receipt_root != EMPTY_LIST_ROOT or header.gas_used != 0:
            fail("block 0 has receipts or gas")
        if merkle_root([document]) != header.tx_root:
            fail("the genesis document does not match the transaction root")
        try:
            genesis = decode_genesis(document)
        except MalformedBlock as error:
            fail(str(error))
        if genesis.chain_id != header.chain_id or genesis.timestamp != header.timestamp:
            fail("the genesis document and header disagree on the chain id or time")
        try:
            self.state = genesis_state(genesis)
        except (MembershipRejected, ValueError, TypeError) as error:
            fail(f"the genesis document describes no valid state ({error})")
        if header.proposer_address not in self.state.validators():
            fail("its proposer is not a validator of the chain")
        self.executor = Executor(self.state)
        self.commitment = Commitment(self.state)
        rows = {self.commitment.key(path): value for path, value in rows_of(self.state).items()}
        self.writers.update(dict.fromkeys(rows, 0))
        self.tree = StateTree.from_items(rows)
        if self.tree.root() != header.state_root:
            fail("the genesis state does not match the state root")
        self.genesis_hash = header.hash
        stored = self.storage.meta("genesis")
        if stored is not None and stored != header.hash:
            fail("the genesis hash recorded in the file's metadata is not block 0's hash")

    def _block(self, header):
        height = header.height

        def fail(reason):
            raise VerificationFailed(height, reason)

        rows = self.storage.transactions(height)
        if len(rows) != header.tx_count:
            fail(f"the header counts {header.tx_count} transactions, {len(rows)} are stored")
        for position, (tx_hash, body, _) in enumerate(rows):
            if type(body) is not bytes or type(tx_hash) is not bytes:
                fail(f"the stored transaction {position} or its hash is not a byte string")
            if hashlib.sha256(body).digest() != tx_hash:
                fail(f"the stored hash of transaction {position} is not its hash")
        if merkle_root([body for _, body, _ in rows]) != header.tx_root:
            fail("the stored transactions do not match the transaction root")
        stored_receipts = [receipt for _, _, receipt in rows]
        if any(type(r) is not bytes for r in stored_receipts) or merkle_root(stored_receipts) != header.receipt_root:
            fail("the stored receipts do not match the receipt root")
        if header.work is not None:
            pay_coinbase(self.state, header.work)
        try:
            included, receipts, _, _ = run_transactions(self.executor, [body for _, body, _ in rows],
                                                        Time(header.timestamp), height,
                                                        self.state.config.block_gas_limit, strict=True)
        except TransactionRejected as error:
            fail(f"transaction {getattr(error, 'position', '?')} is rejected on replay: {error.reason}")
        for position, (tx, receipt) in enumerate(zip(included, receipts)):
            if receipt_bytes(tx.hash, receipt) != stored_receipts[position]:
                fail(f"the receipt of transaction {position} differs from the replay")
        used = sum(r.gas_used for r in receipts)
        if used != header.gas_used:
            fail(f"the header says {header.gas_used:_} gas was used, the replay uses {used:_}")
        if used > self.state.config.block_gas_limit:
            fail("the block uses more than the block gas limit")
        touched = self.commitment.touched(self.state.journal)
        batch = {self.commitment.key(path): value for path, value in touched.items()}
        self.writers.update(dict.fromkeys(batch, height))
        if self.tree.update(batch) != header.state_root:
            fail("the state after the block does not match its state root")
        self.state.finish_block()
        self.transactions += len(rows)

    # -- the stored rows

    def _check_rows(self) -> int:
        replayed = {self.commitment.key(path): value for path, value in rows_of(self.state).items()}
        mismatches = []
        seen = 0
        for key, value, height in self.storage.state_rows_with_height():
            seen += 1
            if type(height) is not int:
                height = 0
            expected = replayed.pop(key, None) if type(key) is bytes else None
            if expected is None:
                mismatches.append((height, "a stored state row is not in the replayed state"))
            elif value != expected:
                mismatches.append((self.writers.get(key, height), "a stored state row differs from the replay"))
            elif self.writers.get(key) != height:
                mismatches.append((min(height, self.writers.get(key, height)),
                                   "a stored state row names the wrong block as its last writer"))
        for key in replayed:
            mismatches.append((self.writers.get(key, 0), "a state row of the replay is missing from the store"))
        if mismatches:
            height, reason = min(mismatches, key=lambda m: m[0])
            raise VerificationFailed(height, reason)
        return seen

