"""Proof of work: a block's work hash must fall below a target that retargets toward an interval.

Work hash. ``SHA-256("tabellion/pow/1" || 0x00 || HEADER || NONCE)`` where HEADER is
the ledger's canonical header bytes without the nonce (they must commit to the
height, timestamp, target, parent and coinbase) and NONCE is the nonce as 8 bytes,
big-endian. The block meets its target when the hash, read as a big-endian
integer, is below the target. ``expected_hashes(target) = 2**256 // target`` is the
difficulty: how many hashes a miner tries, on average, to find one.

Retargeting. Blocks 1..N use the genesis target (N = ``retarget_interval``).
Every block at a height ``e*N + 1`` (e >= 1) starts a new epoch with the target ::

    previous_target * actual / (N * target_interval)

where ``actual`` is the time the last N blocks took: ``t[e*N] - t[(e-1)*N]`` (N
intervals exactly, without Bitcoin's off-by-one). ``actual`` is first clamped to
[expected / 4, expected * 4] (``max_adjustment``), so one retarget changes the
difficulty by a factor of 4 at most, and the result never exceeds ``max_target``.
Integer arithmetic only: every node computes the same target.

Timestamps are integer seconds since 1970; a block's is at least its parent's,
and when received live no more than ``max_future_drift`` ahead of the node's clock.
"""

import hashlib

import attrs

from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.consensus.issuance import Coinbase, IssuanceSchedule, check_coinbase

__all__ = [
    "HASH_SPACE",
    "MAX_NONCE",
    "MinedHeader",
    "PowParams",
    "check_pow_block",
    "expected_hashes",
    "meets_target",
    "mine",
    "next_target",
    "required_target",
    "retarget_window",
    "target_for_hashes",
    "work_hash",
]

HASH_SPACE = 2**256
MAX_NONCE = 2**64 - 1
_PREFIX = b"tabellion/pow/1\x00"


def _positive(instance, attribute, value):
    if type(value) is not int or value < 1:
        raise ValueError(f"{attribute.name} must be a positive integer, not {value!r}")


def _target(instance, attribute, value):
    if type(value) is not int or not 1 <= value <= HASH_SPACE:
        raise ValueError(f"{attribute.name} must be an integer from 1 to 2**256, not {value!r}")


@attrs.frozen
class PowParams:
    """A proof-of-work chain's rules, fixed in genesis."""

    initial_target: int = attrs.field(validator=_target)
    issuance: IssuanceSchedule
    target_interval: int = attrs.field(default=60, validator=_positive)  # seconds
    retarget_interval: int = attrs.field(default=100, validator=_positive)  # blocks
    max_target: int = attrs.field(default=HASH_SPACE, validator=_target)  # the easiest target allowed
    max_adjustment: int = attrs.field(default=4, validator=_positive)
    max_future_drift: int = attrs.field(default=7200, validator=_positive)  # seconds

    def __attrs_post_init__(self):
        if self.initial_target > self.max_target:
            raise ValueError("initial_target must not exceed max_target")


@attrs.frozen
class MinedHeader:
    """What proof of work checks of a block: the header bytes without the nonce, and the nonce."""

    height: int
    timestamp: int
    target: int
    header: bytes
    nonce: int


def work_hash(header: bytes, nonce: int) -> bytes:
    """The hash that must fall below the target."""
    return hashlib.sha256(_PREFIX + header + nonce.to_bytes(8, "big")).digest()


def meets_target(digest: bytes, target: int) -> bool:
    return int.from_bytes(digest, "big") < target


def expected_hashes(target: int) -> int:
    """The difficulty of a target: hashes needed on average to meet it."""
    return HASH_SPACE // target


def target_for_hashes(hashes: int) -> int:
    """The target that takes ``hashes`` hashes on average (at least 1)."""
    return max(1, HASH_SPACE // max(1, hashes))


def mine(header: bytes, target: int, *, start: int = 0, limit: int | None = None):
    """Search nonces from ``start``: ``(nonce, hash)`` of the first meeting ``target``, or None after ``limit``.

    A real miner, for tests and development chains with tiny difficulty; the
    prefix's SHA-256 state is computed once and copied for each nonce.
    """
    prefix = hashlib.sha256(_PREFIX + header)
    stop = MAX_NONCE + 1 if limit is None else min(MAX_NONCE + 1, start + limit)
    for nonce in range(start, stop):
        hasher = prefix.copy()
        hasher.update(nonce.to_bytes(8, "big"))
        digest = hasher.digest()
        if int.from_bytes(digest, "big") < target:
            return nonce, digest
    return None


def retarget_window(params: PowParams, height: int):
    """``(first, last)``: the heights whose timestamps set block ``height``'s target; None if it keeps its parent's."""
    interval = params.retarget_interval
    if height <= interval or (height - 1) % interval:
        return None
    return height - 1 - interval, height - 1


def next_target(params: PowParams, previous_target: int, first_timestamp: int, last_timestamp: int) -> int:
    """The target of a new epoch, from the time the last epoch's blocks took."""
    expected = params.retarget_interval * params.target_interval
    actual = last_timestamp - first_timestamp
    actual = min(max(actual, -(-expected // params.max_adjustment)), expected * params.max_adjustment)
    return max(1, min(previous_target * actual // expected, params.max_target))


def required_target(params: PowParams, height: int, parent_target: int, timestamp_at) -> int:
    """The target block ``height`` must carry; ``timestamp_at(h)`` gives the timestamp of block h."""
    window = retarget_window(params, height)
    if window is None:
        return parent_target
    first, last = window
    return next_target(params, parent_target, timestamp_at(first), timestamp_at(last))


def check_pow_block(block: MinedHeader, coinbase: Coinbase, *, params: PowParams, parent_target: int,
                    parent_timestamp: int, timestamp_at, now: int | None = None) -> bytes:
    """The block's work hash if it follows the rules; else BlockRejected.

    ``parent_target`` is the parent's target (genesis: ``params.initial_target``);
    ``timestamp_at(h)`` reads the timestamp of an ancestor at height h.
    """
    height = block.height
    if type(height) is not int or height < 1:
        raise BlockRejected(height, "only blocks from height 1 are mined")
    if type(block.timestamp) is not int or block.timestamp < parent_timestamp:
        raise BlockRejected(height, f"its timestamp {block.timestamp} is earlier than its parent's, {parent_timestamp}")
    if now is not None and block.timestamp > now + params.max_future_drift:
        raise BlockRejected(height, f"its timestamp {block.timestamp} is too far ahead of the clock ({now})")
    required = required_target(params, height, parent_target, timestamp_at)
    if block.target != required:
        raise BlockRejected(height, f"its target is {block.target:#x}, but the retarget rule requires {required:#x}")
    if type(block.nonce) is not int or not 0 <= block.nonce <= MAX_NONCE:
        raise BlockRejected(height, f"its nonce {block.nonce!r} is not a 64-bit unsigned integer")
    digest = work_hash(block.header, block.nonce)
    if not meets_target(digest, required):
        raise BlockRejected(height, f"its work hash {digest.hex()} does not meet the target {required:#066x}")
    check_coinbase(params.issuance, height, coinbase)
    return digest
