"""The gas schedule: what every step of a contract costs, and the one place that runs out.

Costs are charged per straight-line block: the compiler adds up the static cost of a
block's statements once, at compile time, and the generated code subtracts that sum
when the block is entered. Costs that depend on data (bytes written to storage, the
size of an event, elements copied or added to a collection, characters of text built)
are charged by the runtime helpers that do the work, before they do it. A loop
charges its body's block on every iteration, plus `LOOP_ITERATION`.

`out_of_gas` is the only function that raises `OutOfGas`. Every program terminates:
each loop iteration and each call costs at least one unit, and the gas limit is finite.
"""

from __future__ import annotations

from .errors import OutOfGas

__all__ = ["GasMeter", "out_of_gas", "charge", "SCHEDULE", "DEFAULT_GAS_LIMIT", "BLOCK_GAS_LIMIT"]

# -- computation
STATEMENT = 1               # every statement, as a floor
ARITHMETIC = 3              # + - * on Int, and comparisons
ARITHMETIC_EXACT = 8        # Money, Rate, Date, Time and Duration arithmetic, / and %
LOCAL_READ = 0              # reading a local variable or parameter
PARAM_READ = 2              # reading a contract param, party or role
BUILTIN_READ = 2            # caller, received, now, block
BALANCE_READ = 20           # the contract's balance
FIELD_READ = 1              # a record field
CONSTRUCT = 5               # building a record, per field
CALL_FN = 20                # calling a fn
BUILTIN_CALL = 5            # len, min, max, abs, date, days, ...
BRANCH = 1                  # if, and the test of a while
LOOP_ITERATION = 5          # each iteration of a for or while loop, on top of its body
REQUIRE = 2

# -- storage
STORAGE_READ = 50           # reading a state field, or one entry of a Map or List in state
STORAGE_WRITE = 200         # writing a state field or one entry of a Map or List in state
STORAGE_BYTE = 10           # per byte of the value written (its canonical size)
MAP_READ = 10               # reading one entry of a local Map or List
ELEMENT = 20                # per element added to a collection, or copied when a collection is copied
TEXT_BYTE = 1               # per character of text built by concatenation
ITERATION_SETUP = 20        # sorting a map's keys for iteration, per element

# -- effects
PAY = 300                   # one payment out of the contract (split and waterfall: per payee)
EVENT = 100                 # emitting an event
EVENT_BYTE = 8              # per byte of the event's arguments
CALL_CONTRACT = 700         # calling another contract's entry
ROLE_CHANGE = 300           # grant or revoke
WATERFALL_TIER = 150        # each tier a receipt passes through

# -- transactions
TRANSACTION = 2_000         # every transaction, before it runs
DEPLOY_BYTE = 5             # per byte of contract source at deploy

DEFAULT_GAS_LIMIT = 10_000_000
BLOCK_GAS_LIMIT = 100_000_000
MAX_CALL_DEPTH = 64         # fn and contract calls nested deeper revert with "call depth exceeded"

SCHEDULE: tuple[tuple[str, int, str], ...] = (
    ("STATEMENT", STATEMENT, "every statement, as a floor"),
    ("ARITHMETIC", ARITHMETIC, "+ - * on Int; comparisons"),
    ("ARITHMETIC_EXACT", ARITHMETIC_EXACT, "Money, Rate, Date, Time, Duration arithmetic; / and %"),
    ("PARAM_READ", PARAM_READ, "a contract param, party or role"),
    ("BUILTIN_READ", BUILTIN_READ, "caller, received, now, block"),
    ("BALANCE_READ", BALANCE_READ, "the contract's balance"),
    ("FIELD_READ", FIELD_READ, "a record field"),
    ("CONSTRUCT", CONSTRUCT, "building a record, per field"),
    ("CALL_FN", CALL_FN, "calling a fn"),
    ("BUILTIN_CALL", BUILTIN_CALL, "len, min, max, abs, date, days, ..."),
    ("BRANCH", BRANCH, "an if, and each test of a while"),
    ("LOOP_ITERATION", LOOP_ITERATION, "each loop iteration, on top of its body"),
    ("REQUIRE", REQUIRE, "a require"),
    ("STORAGE_READ", STORAGE_READ, "reading a state field or one entry of a state collection"),
    ("STORAGE_WRITE", STORAGE_WRITE, "writing a state field or one entry of a state collection"),
    ("STORAGE_BYTE", STORAGE_BYTE, "per byte of the value written to storage"),
    ("MAP_READ", MAP_READ, "one entry of a local Map or List"),
    ("ELEMENT", ELEMENT, "per element added to, or copied from, a collection"),
    ("TEXT_BYTE", TEXT_BYTE, "per character of text built by +"),
    ("ITERATION_SETUP", ITERATION_SETUP, "per element of a collection a for loop walks"),
    ("PAY", PAY, "one payment (split and waterfall: per payee)"),
    ("EVENT", EVENT, "emitting an event"),
    ("EVENT_BYTE", EVENT_BYTE, "per byte of an event's arguments"),
    ("CALL_CONTRACT", CALL_CONTRACT, "calling another contract's entry"),
    ("ROLE_CHANGE", ROLE_CHANGE, "grant or revoke"),
    ("WATERFALL_TIER", WATERFALL_TIER, "each waterfall tier a receipt passes through"),
    ("TRANSACTION", TRANSACTION, "every transaction, before it runs"),
    ("DEPLOY_BYTE", DEPLOY_BYTE, "per byte of contract source, at deploy"),
)


class GasMeter:
    """The gas left to a transaction; generated code subtracts from `left` directly."""

    __slots__ = ("limit", "left")

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit

    @property
    def used(self) -> int:
        return self.limit - max(self.left, 0)


def out_of_gas(meter: GasMeter):
    """Raise OutOfGas: the only place it is raised. Called once `left` went below zero."""
    meter.left = 0
    raise OutOfGas(f"out of gas (limit {meter.limit:_})")


def charge(meter: GasMeter, amount: int) -> None:
    """Charge a cost computed at run time."""
    meter.left -= amount
    if meter.left < 0:
        out_of_gas(meter)
