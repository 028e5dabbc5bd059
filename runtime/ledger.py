"""The in-memory development ledger: a world state, an engine, a clock and a block height.

Each transaction is its own block. The clock starts at 2026-01-01T00:00Z and never
goes back. Parties are named (`alice`); the persistent signed chain replaces this
ledger behind the same methods.
"""

from __future__ import annotations

from . import gas
from .errors import InvalidArgument, TabellionError
from .engine import Engine
from .numeric import Money
from .receipts import Receipt
from .state import WorldState
from .temporal import Duration, Time, parse_time
from .values import Party

__all__ = ["DevLedger", "ScenarioClock", "ClockError", "GENESIS_TIME"]

GENESIS_TIME = parse_time("2026-01-01T00:00Z")


class ClockError(TabellionError):
    """The clock was asked to go back."""


class ScenarioClock:
    """A scenario's clock (`now`): it moves forward by `wait` and `at`, never back."""

    now: Time

    def wait(self, duration: Duration) -> None:
        if duration.seconds < 0:
            raise ClockError(f"the clock never goes back (wait {duration})")
        self.now = self.now + duration

    def set_time(self, moment: Time) -> None:
        if moment < self.now:
            raise ClockError(f"the clock never goes back: it is already {self.now}, later than {moment}")
        self.now = moment


class DevLedger(ScenarioClock):
    def __init__(self, native_currency: str = "EUR", gas_limit: int = gas.DEFAULT_GAS_LIMIT):
        self.state = WorldState(native_currency)
        self.engine = Engine(self.state)
        self.now: Time = GENESIS_TIME
        self.height = 0
        self.gas_limit = gas_limit
        self.receipts: list[Receipt] = []

    @property
    def native(self) -> str:
        return self.state.native

    def fund(self, party: Party, amount: Money) -> None:
        """Give `party` new money (development chains only)."""
        if amount.units < 0:
            raise InvalidArgument(f"cannot fund a negative amount ({amount})")
        self.state.issue(party, amount)
        self.state.commit()

    def deploy(self, compiled, args: dict, by: Party, paying: Money | None = None, gas_limit=None) -> Receipt:
        self.height += 1
        receipt = self.engine.deploy(compiled, args, by, paying, gas_limit or self.gas_limit, self.now, self.height)
        self.receipts.append(receipt)
        return receipt

    def call(self, address: Party, entry: str, args: tuple, by: Party, paying: Money | None = None,
             gas_limit=None, trace=None) -> Receipt:
        self.height += 1
        receipt = self.engine.call(address, entry, args, by, paying, gas_limit or self.gas_limit, self.now,
                                   self.height, trace)
        self.receipts.append(receipt)
        return receipt

    def balance(self, party: Party, currency: str | None = None) -> Money:
        return self.state.balance(party, currency)
