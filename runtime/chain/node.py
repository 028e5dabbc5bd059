"""A chain opened for use: genesis, reopening at the head, and adding blocks.

`Chain.init` writes block 0 (the genesis document and state) to a new directory;
`Chain.open` reopens one: it reads every state row, rebuilds the in-memory
ChainState from them (rebuild.py) and the state tree, and checks the tree's root
against the head block's state root before anything runs. `Chain.propose` checks
and runs transactions into a new block, signs it and stores it in one SQLite
transaction; if anything fails before the block is stored, the state, the tree
and the container registry go back to where the block started.
"""

from __future__ import annotations

import hashlib
import time

import attrs
from tabellion.runtime import gas
from tabellion.runtime.access import MEMBERS, OPEN, Policy
from tabellion.runtime.consensus.authority import DEFAULT_TIMEOUT, expected_proposer
from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.consensus.work import PowParams
from tabellion.runtime.keys import KeyPair, address_of
from tabellion.runtime.ledger import GENESIS_TIME
from tabellion.runtime.membership import MembershipRejected, genesis_membership
from tabellion.runtime.merkle import EMPTY_LIST_ROOT, StateTree, merkle_root
from tabellion.runtime.temporal import Time

from . import codec
from .blocks import (
    ZERO_HASH,
    Genesis,
    Header,
    MalformedBlock,
    decode_header,
    receipt_bytes,
    sign_header,
)
from .commitment import Commitment, row_value, rows_of
from .errors import ChainError, ChainStorageError, TransactionRejected
from .executor import Executor
from .mining import check_mined, coinbase_amount, mine_header, pay_coinbase, target_at
from .rebuild import state_from_rows
from .storage import Storage
from .transactions import decode_transaction
from .world import ChainConfig, ChainState, pow_from_plain, pow_to_plain

__all__ = ["TURN_TIMEOUT", "BlockResult", "Chain", "genesis_state", "run_transactions"]

# Seconds after its parent before a silent validator's turn passes to the next (a chain rule).
TURN_TIMEOUT = DEFAULT_TIMEOUT


@attrs.frozen
class BlockResult:
    """What `propose` did: the block stored (or None), and what it left out and why."""

    header: Header | None
    included: tuple   # ((Transaction, Receipt), ...)
    rejected: tuple   # ((Transaction or bytes, reason), ...)
    deferred: tuple   # transactions that did not fit under the block gas limit


def genesis_state(genesis: Genesis) -> ChainState:
    """The state a genesis document describes: config, membership, opening balances."""
    config = ChainConfig(genesis.chain_id, genesis.dev, genesis.policy, genesis.currency,
                         genesis.block_gas_limit, None if genesis.pow is None else pow_from_plain(genesis.pow))
    state = ChainState(config)
    state.chain_values["membership"] = genesis_membership(dict(genesis.members), quorum=genesis.quorum,
                                                          min_validators=1)
    for party, amount in genesis.allocations:
        state.issue(party, amount)
    state.finish_block()
    return state


def run_transactions(executor: Executor, transactions, now: Time, height: int, gas_limit: int, strict: bool = False):
    """Check and run `transactions` in order: (included, receipts, rejected, deferred).

    With `strict` (replaying a stored block) the first rejection raises instead.
    """
    included, receipts, rejected, deferred = [], [], [], []
    used = 0
    for tx in transactions:
        try:
            if type(tx) is bytes:
                tx = decode_transaction(tx)
            executor.check(tx)
            if used + tx.gas_limit > gas_limit and not strict:
                deferred.append(tx)
                continue
            receipt = executor.execute(tx, now, height)
        except TransactionRejected as error:
            if strict:
                error.position = len(included)
                raise
            rejected.append((tx, error.reason))
            continue
        used += receipt.gas_used
        included.append(tx)
        receipts.append(receipt)
    return included, receipts, rejected, deferred


class Chain:
    """One chain directory, opened: storage, state, state tree, executor and head."""

    def __init__(self, directory, storage: Storage, state: ChainState, tree: StateTree, head: Header):
        self.directory = directory
        self.storage = storage
        self.state = state
        self.tree = tree
        self.head = head
        self.executor = Executor(state)
        self.commitment = Commitment(state)
        self.broken: str | None = None

    # -- creating and opening

    @classmethod
    def init(cls, directory, validator: KeyPair, *, dev: bool, chain_id: str, policy: Policy | None = None,
             members_only: bool = False, members=(), quorum: int = 1, currency: str = "EUR", allocations=(),
             timestamp: int | None = None, validator_name: str = "",
             validator_roles=("admin", "validator"), pow: PowParams | None = None) -> Chain:
        """Create a chain in `directory`, its genesis signed by `validator`, with `members`.

        `policy` is the chain's read and write policy (default: open reads, and writes
        open or, with `members_only`, for writers only). `validator` holds
        `validator_roles`; `members` are (address, roles) pairs; `quorum` admin
        approvals apply a membership change. `validator_name` is the keystore name (or
        comma-separated names) of the keys this node signs blocks with. With `pow` the
        chain is mined (proof of work, issuing `pow.issuance` in `currency`) instead of
        signed in turn; `validator` still signs genesis.
        """
        if pow is not None and pow.issuance.currency != currency:
            raise ChainError(f"the issuance schedule pays {pow.issuance.currency}, not the chain's {currency}")
        if timestamp is None:
            timestamp = GENESIS_TIME.seconds if dev else int(time.time())
        if policy is None:
            policy = Policy(OPEN, MEMBERS if members_only else OPEN)
        seen = {validator.address: tuple(validator_roles)}
        for address, roles in members:
            seen[address] = tuple(sorted(set(seen.get(address, ())) | set(roles)))
        genesis = Genesis(chain_id, dev, policy, currency, timestamp, gas.BLOCK_GAS_LIMIT,
                          tuple(sorted(seen.items())), quorum, tuple(allocations),
                          None if pow is None else pow_to_plain(pow))
        try:
            genesis_state(genesis)
        except MembershipRejected as error:
            raise ChainError(f"cannot create the chain: {error}") from None
        state = genesis_state(genesis)
        rows = {Commitment(state).key(path): value for path, value in rows_of(state).items()}
        tree = StateTree.from_items(rows)
        document = genesis.to_bytes()
        header = Header(chain_id, 0, ZERO_HASH, timestamp, 1, merkle_root([document]), EMPTY_LIST_ROOT,
                        tree.root(), 0, validator.public_key)
        proof = sign_header(header, validator)
        meta = {"chain_id": chain_id.encode(), "genesis": header.hash, "validator_key": validator_name.encode()}
        storage = Storage.create(directory, meta)
        storage.write_block(0, header.hash, header.to_bytes(), proof,
                            [(hashlib.sha256(document).digest(), document, None)], sorted(rows.items()))
        return cls(directory, storage, state, tree, header)

    @classmethod
    def open(cls, directory, readonly: bool = False) -> Chain:
        """Reopen the chain in `directory` at its head, checking the stored state against it."""
        storage = Storage.open(directory, readonly)
        try:
            with storage.snapshot():
                head, header, rows = cls._read_head(storage)
            state = state_from_rows(rows)
            tree = StateTree.from_items(rows)
            if tree.root() != header.state_root:
                raise ChainStorageError(f"the stored state does not match the state root of block {head}: "
                                        f"run `tabellion chain verify {directory}`")
        except BaseException:
            storage.close()
            raise
        return cls(directory, storage, state, tree, header)

    @staticmethod
    def _read_head(storage):
        """(height, header, state rows) of the stored head, read in one snapshot."""
        head = storage.head()
        if head < 0:
            raise ChainStorageError(f"{storage.path} holds no genesis block")
        _, header_bytes, _ = storage.block(head)
        try:
            header = decode_header(header_bytes)
        except (MalformedBlock, TypeError) as error:
            raise ChainStorageError(f"the head block {head} is damaged ({error}): run `tabellion chain verify`")
        return head, header, list(storage.state_rows())

    def close(self) -> None:
        self.storage.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading

    @property
    def config(self) -> ChainConfig:
        return self.state.config

    @property
    def height(self) -> int:
        return self.head.height

    def nonce(self, address: str) -> int:
        return self.state.nonces.get(codec.party(address), 0)

    def is_validator(self, public_key: bytes) -> bool:
        return address_of(public_key) in self.state.validators()

    def next_timestamp(self, timestamp: int | None = None) -> int:
        """The timestamp the next block takes: `timestamp` (default the clock), never before the head's."""
        if timestamp is None:
            timestamp = self.head.timestamp if self.config.dev else int(time.time())
        return max(timestamp, self.head.timestamp)

    def proposer_for(self, timestamp: int) -> str:
        """The address of the validator whose turn it is to sign the next block stamped `timestamp`."""
        return expected_proposer(self.state.validators(), self.head.height + 1, self.head.timestamp,
                                 max(timestamp, self.head.timestamp), TURN_TIMEOUT)

    # -- adding blocks

    def propose(self, transactions, signer: KeyPair, timestamp: int | None = None,
                allow_empty: bool = False, miner: str | None = None) -> BlockResult:
        """Check and run `transactions` (Transaction objects or bytes) into a block signed by `signer`.

        Rejected transactions are left out with their reasons; those that do not fit
        under the block gas limit are returned as deferred. No block is stored when
        nothing was included, unless `allow_empty`.

        On a proof-of-work chain the block is mined instead: `signer` (a KeyPair or a
        public key) is the miner named in the header, and the coinbase pays `miner`
        (an address; default the signer's) the schedule's reward.
        """
        if self.broken:
            raise ChainError(f"this chain handle is unusable after an earlier failure ({self.broken}): reopen it")
        if self.config.pow is not None:
            return self._mine(transactions, signer, timestamp, allow_empty, miner)
        if not self.is_validator(signer.public_key):
            raise ChainError(f"key {address_of(signer.public_key)} is not a validator of this chain")
        head = self.head
        timestamp = self.next_timestamp(timestamp)
        turn = self.proposer_for(timestamp)
        if signer.address != turn:
            raise ChainError(f"block {head.height + 1} would be signed out of turn by {signer.address}: "
                             f"{timestamp - head.timestamp} s after its parent it is {turn}'s turn")
        height = head.height + 1
        try:
            included, receipts, rejected, deferred = run_transactions(
                self.executor, transactions, Time(timestamp), height, self.config.block_gas_limit)
        except BaseException:
            self._undo({})
            raise
        if not included and not allow_empty:
            return BlockResult(None, (), tuple(rejected), tuple(deferred))
        header = self._seal(included, receipts, signer, timestamp, height)
        return BlockResult(header, tuple(zip(included, receipts)), tuple(rejected), tuple(deferred))

    def _mine(self, transactions, signer, timestamp, allow_empty, miner) -> BlockResult:
        """`propose` on a proof-of-work chain: pay the coinbase, run the transactions, mine the header."""
        params = self.config.pow
        public_key = signer if type(signer) is bytes else signer.public_key
        recipient = miner or address_of(public_key)
        head = self.head
        timestamp = self.next_timestamp(timestamp)
        height = head.height + 1
        try:
            target = target_at(params, height, head, self.timestamp_at)
            work = (target, recipient, coinbase_amount(params, height), 0)
            pay_coinbase(self.state, work)
            included, receipts, rejected, deferred = run_transactions(
                self.executor, transactions, Time(timestamp), height, self.config.block_gas_limit)
        except BaseException:
            self._undo({})
            raise
        if not included and not allow_empty:
            self._undo({})
            return BlockResult(None, (), tuple(rejected), tuple(deferred))
        header = self._seal(included, receipts, public_key, timestamp, height, work)
        return BlockResult(header, tuple(zip(included, receipts)), tuple(rejected), tuple(deferred))

    def timestamp_at(self, height: int) -> int:
        """The timestamp of stored block `height` (retargeting reads its ancestors')."""
        return decode_header(self.storage.block(height)[1]).timestamp

    def _seal(self, included, receipts, signer, timestamp, height, work=None) -> Header:
        touched = {}
        try:
            touched = self.commitment.touched(self.state.journal)
            batch = {self.commitment.key(path): value for path, value in touched.items()}
            state_root = self.tree.update(batch)
            receipt_blobs = [receipt_bytes(tx.hash, receipt) for tx, receipt in zip(included, receipts)]
            header = Header(self.config.chain_id, height, self.head.hash, timestamp, len(included),
                            merkle_root([tx.wire for tx in included]), merkle_root(receipt_blobs), state_root,
                            sum(r.gas_used for r in receipts), signer if work else signer.public_key, work)
            if work is None:
                proof = sign_header(header, signer)
            else:
                header = mine_header(header)
                try:
                    check_mined(self.config.pow, header, self.head, self.timestamp_at,
                                None if self.config.dev else int(time.time()))
                except BlockRejected as error:
                    raise ChainError(f"block {height} is refused: {error.reason}") from None
                proof = b""
            self.storage.write_block(height, header.hash, header.to_bytes(), proof,
                                     [(tx.hash, tx.wire, blob) for tx, blob in zip(included, receipt_blobs)],
                                     list(batch.items()))
        except BaseException:
            self._undo(touched)
            raise
        self.state.finish_block()
        self.head = header
        return header

    def _undo(self, touched: dict) -> None:
        """Put the state, tree and registry back where the block started."""
        try:
            self.state.rollback(0)
            self.executor.engine.deployed = len(self.state.instances)
            if touched:
                restore = {self.commitment.key(path): row_value(self.state, path) for path in touched}
                self.tree.update(restore)
            self.commitment = Commitment(self.state)
            if touched and self.tree.root() != self.head.state_root:
                self.broken = "the state root could not be restored"
        except BaseException as error:  # noqa: BLE001 - keep the first failure; mark the handle unusable
            self.broken = f"{type(error).__name__}: {error}"

