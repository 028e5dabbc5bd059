"""What can go wrong on a chain, as user errors with one-line messages.

`TransactionRejected` and its subclasses refuse a transaction before it runs:
nothing changes, no block holds it, its nonce stays free. `ChainStorageError`
covers a chain directory that is missing, damaged, locked or not a chain at all.
`VerificationFailed` names the first block that does not match on replay.
"""

from tabellion.lang.errors import TabellionError
from tabellion.runtime.access import AccessDenied

__all__ = [
    "BadSignature",
    "ChainError",
    "ChainStorageError",
    "DevKeyRefused",
    "GasLimitTooHigh",
    "MalformedTransaction",
    "NonceMismatch",
    "NotAMember",
    "TransactionRejected",
    "VerificationFailed",
    "WriteDenied",
    "WrongChain",
    "WrongKind",
]


class ChainError(TabellionError):
    """A chain operation that cannot be done; the message says why."""


class TransactionRejected(ChainError):
    """A transaction refused before execution: nothing changed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class MalformedTransaction(TransactionRejected):
    """Bytes that are not the canonical encoding of a transaction."""


class WrongChain(TransactionRejected):
    """Signed for another chain (its chain id differs)."""


class BadSignature(TransactionRejected):
    """The signature does not verify against the sender's key and the transaction."""


class NonceMismatch(TransactionRejected):
    """A nonce already used, or one that skips ahead of the sender's next nonce."""


class NotAMember(TransactionRejected):
    """A sender unknown to a chain that accepts members only."""


class WriteDenied(TransactionRejected, AccessDenied):
    """A transaction the chain's write policy refuses (`access.decide`): nothing changed."""

    def __init__(self, decision):
        self.decision = decision
        self.reason = decision.reason
        Exception.__init__(self, decision.reason)


class GasLimitTooHigh(TransactionRejected):
    """A gas limit above the block gas limit: no block could hold it."""


class DevKeyRefused(TransactionRejected):
    """A development key (derived from a name) on a chain that is not in dev mode."""


class WrongKind(TransactionRejected):
    """A transaction kind this chain does not accept (`fund` outside dev mode)."""


class ChainStorageError(ChainError):
    """A chain directory that is missing, damaged, locked, or not a chain."""


class VerificationFailed(ChainError):
    """Replay found a block that does not match what is stored."""

    def __init__(self, height: int, reason: str):
        self.height = height
        self.reason = reason
        super().__init__(f"block {height}: {reason}")
