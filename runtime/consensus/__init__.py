"""Consensus: who may add the next block, and what makes it valid.

- ``authority``: proof of authority for permissioned chains; validators sign blocks
  in a fixed round-robin turn, the turn passing on after a timeout; equivocation
  evidence.
- ``work``: proof of work for a public chain; targets retargeted toward a block
  interval, a real miner for tests; ``issuance``: the block reward schedule and the
  coinbase check.
- ``simulation``: proof of work played over a hash-rate schedule (``tabellion chain
  simulate-pow``).

Both kinds are pure checks of one block against its parent, so a node validates a
block the same way when it receives it and when it replays the chain from genesis.
"""

from tabellion.runtime.consensus.authority import (
    Equivocation,
    EquivocationDetector,
    SignedHeader,
    check_block,
    detect_equivocations,
    expected_proposer,
    find_equivocation,
)
from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.consensus.issuance import Coinbase, IssuanceSchedule, block_reward, issued_through
from tabellion.runtime.consensus.work import MinedHeader, PowParams, check_pow_block, mine, required_target

__all__ = [
    "BlockRejected",
    "Coinbase",
    "Equivocation",
    "EquivocationDetector",
    "IssuanceSchedule",
    "MinedHeader",
    "PowParams",
    "SignedHeader",
    "block_reward",
    "check_block",
    "check_pow_block",
    "detect_equivocations",
    "expected_proposer",
    "find_equivocation",
    "issued_through",
    "mine",
    "required_target",
]
