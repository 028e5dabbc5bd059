"""Proof of work on the ledger: mining a block's header, and checking a mined header.

The rules are `runtime.consensus.work` and `.issuance`, fixed in genesis
(`ChainConfig.pow`). A mined header carries `work = (target, recipient, amount,
nonce)` (blocks.py): the target the retarget rule requires at its height, the
coinbase, and a nonce such that `work_hash(header.work_bytes(), nonce)` is below
the target. The coinbase is new money issued to the recipient through
`WorldState.issue` before the block's transactions run, so the state root commits
to it and the issued total grows by exactly that amount.
"""

from __future__ import annotations

import attrs
from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.consensus.issuance import Coinbase, block_reward
from tabellion.runtime.consensus.work import (
    MinedHeader,
    PowParams,
    check_pow_block,
    mine,
    required_target,
)

from .blocks import Header
from .errors import ChainError

__all__ = ["check_mined", "coinbase_amount", "mine_header", "pay_coinbase", "target_at"]


def pay_coinbase(state, work: tuple) -> None:
    """Issue the coinbase of a mined header's `work` (before its transactions run, live and on replay)."""
    from tabellion.runtime.numeric import Money
    from tabellion.runtime.values import Party

    _, recipient, amount, _ = work
    if amount:
        state.issue(Party(recipient), Money(amount, state.config.pow.issuance.currency))


def coinbase_amount(params: PowParams, height: int) -> int:
    """What the miner of block `height` is paid: the schedule's whole reward."""
    return block_reward(params.issuance, height)


def target_at(params: PowParams, height: int, parent: Header, timestamp_at) -> int:
    """The target block `height` must carry, its parent being `parent`."""
    parent_target = params.initial_target if parent.work is None else parent.work[0]
    return required_target(params, height, parent_target, timestamp_at)


def mine_header(header: Header) -> Header:
    """`header` (its work holding the target and coinbase) with a nonce that meets its target."""
    found = mine(header.work_bytes(), header.work[0])
    if found is None:  # 2**64 nonces without a hash below the target: change the timestamp and retry
        raise ChainError(f"no nonce meets the target of block {header.height}")
    return attrs.evolve(header, work=(*header.work[:3], found[0]))


def check_mined(params: PowParams, header: Header, parent: Header, timestamp_at, now: int | None = None) -> bytes:
    """The work hash of `header` if it follows the proof-of-work rules; else BlockRejected."""
    if header.work is None:
        raise BlockRejected(header.height, "it carries no proof of work")
    target, recipient, amount, nonce = header.work
    parent_target = params.initial_target if parent.work is None else parent.work[0]
    mined = MinedHeader(header.height, header.timestamp, target, header.work_bytes(), nonce)
    return check_pow_block(mined, Coinbase(recipient, amount, params.issuance.currency), params=params,
                           parent_target=parent_target, parent_timestamp=parent.timestamp,
                           timestamp_at=timestamp_at, now=now)
