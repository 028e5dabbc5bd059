"""The issuance schedule of a proof-of-work chain: what each block may pay its miner.

The schedule is fixed in genesis: ``initial_reward`` minor units per block from
height 1, halved (rounding down) every ``halving_interval`` blocks, and never more
in total than ``cap``. Genesis (height 0) issues nothing; allocations made in
genesis are outside the cap. The block that would cross the cap pays only what is
left, and every later block pays nothing.

Each mined block carries one coinbase, ``Coinbase(recipient, amount, currency)``,
paying the miner at most the block's reward; paying less is allowed (the rest is
never issued). All amounts are integers: the schedule is the same on every node.
"""

import attrs

from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.keys import is_address

__all__ = [
    "Coinbase",
    "IssuanceSchedule",
    "block_reward",
    "check_coinbase",
    "issued_through",
    "scheduled_reward",
]


def _positive(instance, attribute, value):
    if type(value) is not int or value < 1:
        raise ValueError(f"{attribute.name} must be a positive integer, not {value!r}")


def _currency(instance, attribute, value):
    if not (isinstance(value, str) and len(value) == 3 and value.isascii() and value.isupper()):
        raise ValueError(f"currency must be a three-letter code such as 'TBL', not {value!r}")


@attrs.frozen
class IssuanceSchedule:
    """Initial reward (minor units), halving interval (blocks), hard cap (minor units), currency."""

    initial_reward: int = attrs.field(validator=_positive)
    halving_interval: int = attrs.field(validator=_positive)
    cap: int = attrs.field(validator=_positive)
    currency: str = attrs.field(default="TBL", validator=_currency)

    def to_plain(self) -> dict:
        return {"initial_reward": self.initial_reward, "halving_interval": self.halving_interval,
                "cap": self.cap, "currency": self.currency}

    @classmethod
    def from_plain(cls, plain) -> "IssuanceSchedule":
        return cls(**plain)


@attrs.frozen
class Coinbase:
    """The payment a mined block makes to its miner out of new money."""

    recipient: str
    amount: int
    currency: str


def scheduled_reward(schedule: IssuanceSchedule, height: int) -> int:
    """The halving schedule alone, before the cap: ``initial_reward >> era``."""
    if height < 1:
        return 0
    return schedule.initial_reward >> ((height - 1) // schedule.halving_interval)


def _uncapped_total(schedule: IssuanceSchedule, height: int) -> int:
    """The sum of ``scheduled_reward`` over heights 1..height, in O(log reward) steps."""
    if height < 1:
        return 0
    eras, rest = divmod(height, schedule.halving_interval)
    total = 0
    for era in range(min(eras, schedule.initial_reward.bit_length())):
        total += schedule.halving_interval * (schedule.initial_reward >> era)
    return total + rest * (schedule.initial_reward >> eras)


def issued_through(schedule: IssuanceSchedule, height: int) -> int:
    """All that blocks 1..height issue together: the schedule's sum, held at the cap."""
    return min(_uncapped_total(schedule, height), schedule.cap)


def block_reward(schedule: IssuanceSchedule, height: int) -> int:
    """The most block ``height``'s coinbase may pay."""
    if height < 1:
        return 0
    return issued_through(schedule, height) - issued_through(schedule, height - 1)


def check_coinbase(schedule: IssuanceSchedule, height: int, coinbase: Coinbase) -> None:
    """Refuse (BlockRejected) a coinbase in the wrong currency, to no address, or above the reward."""
    if not is_address(coinbase.recipient):
        raise BlockRejected(height, f"its coinbase pays {coinbase.recipient!r}, which is not an address")
    if coinbase.currency != schedule.currency:
        raise BlockRejected(height, f"its coinbase pays {coinbase.currency}, not the chain's {schedule.currency}")
    if type(coinbase.amount) is not int or coinbase.amount < 0:
        raise BlockRejected(height, f"its coinbase amount {coinbase.amount!r} is not a non-negative integer")
    reward = block_reward(schedule, height)
    if coinbase.amount > reward:
        raise BlockRejected(
            height, f"its coinbase pays {coinbase.amount} minor units, more than the schedule's {reward}"
        )
