"""Failures inside execution: a Revert undoes the transaction, OutOfGas also burns the gas.

The exception class decides the outcome. Any `Revert` rolls state, balances and events
back to where the transaction started and refunds the unused gas; `OutOfGas` rolls
back too but consumes the whole gas limit. Both carry a `reason` (what the receipt
shows) and a `span`, an opaque source position the engine fills in where the failure
surfaced; this module never looks inside it.
"""

from tabellion.lang.errors import CompileError, InternalError, TabellionError

__all__ = [
    "TabellionError",
    "InternalError",
    "CompileError",
    "Revert",
    "ArithmeticOverflow",
    "DivisionByZero",
    "CurrencyMismatch",
    "InsufficientBalance",
    "PermissionDenied",
    "ReentrancyRefused",
    "DepthExceeded",
    "MissingKey",
    "RequireFailed",
    "InvalidArgument",
    "OutOfGas",
]


class Revert(TabellionError):
    """A call failed: undo the whole transaction and refund the gas not used."""

    default_reason = "reverted"

    def __init__(self, reason=None, span=None):
        self.reason = self.default_reason if reason is None else reason
        self.span = span
        super().__init__(self.reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.span))


class ArithmeticOverflow(Revert):
    """An Int, or the minor units of a Money, left the signed 256-bit range."""

    default_reason = "arithmetic overflow"


class DivisionByZero(Revert):
    """A division or remainder by zero."""

    default_reason = "division by zero"


class CurrencyMismatch(Revert):
    """Two amounts in different currencies were added, subtracted or compared."""

    default_reason = "currency mismatch"


class InsufficientBalance(Revert):
    """A payment larger than the payer's balance."""

    default_reason = "insufficient balance"


class PermissionDenied(Revert):
    """The caller is not allowed to call this entry."""

    default_reason = "permission denied"


class ReentrancyRefused(Revert):
    """A call into a contract that is already on the call stack."""

    default_reason = "reentrancy refused"


class DepthExceeded(Revert):
    """Calls between contracts nested deeper than the engine allows."""

    default_reason = "call depth exceeded"


class MissingKey(Revert):
    """`m[k]` on a map without the key `k`."""

    default_reason = "missing key"


class RequireFailed(Revert):
    """A `require cond, "message"` whose condition was false; the reason is the message."""

    default_reason = "requirement failed"


class InvalidArgument(Revert, ValueError):
    """A run-time value an operation refuses: a negative split, a fee rate above 100%.

    Also a ValueError, so pure callers outside the engine can catch it as one.
    """

    default_reason = "invalid argument"


class OutOfGas(TabellionError):
    """The gas limit ran out: undo the transaction and consume all its gas. Not a Revert."""

    default_reason = "out of gas"

    def __init__(self, reason=None, span=None):
        self.reason = self.default_reason if reason is None else reason
        self.span = span
        super().__init__(self.reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.span))
