"""The one failure consensus reports: a block that does not follow the chain's rules."""

from tabellion.lang.errors import TabellionError

__all__ = ["BlockRejected"]


class BlockRejected(TabellionError):
    """A block whose proposer, signature, timestamp, proof of work or coinbase breaks the rules."""

    def __init__(self, height, reason: str):
        self.height = height
        self.reason = reason
        super().__init__(f"block {height} rejected: {reason}")

    def __reduce__(self):
        return (type(self), (self.height, self.reason))
