"""Proof of authority: validators (the chain's notaries) sign blocks in turn.

Turns. The validators form a fixed order (``membership.validators``: ascending
address, as of the parent block's state). Block ``h`` (h >= 1; genesis is not
signed) is the turn of ``validators[(h - 1) % n]``. If that validator is silent, the
turn passes on: a block whose timestamp is ``k * timeout`` seconds or more after
its parent's is the turn of the k-th validator after it (wrapping around). Exactly
one validator may sign a block with a given timestamp, so a block is valid only if
its signer is that one.

What is signed. The proposer signs the canonical encoding of ::

    {"domain": "tabellion/poa-block/1", "chain": CHAIN_ID, "height": H, "timestamp": T,
     "proposer": PUBLIC_KEY, "header": HEADER}

where HEADER is the ledger's own canonical header bytes without the signature
(previous hash, roots...). Height and timestamp sit outside HEADER so that this
module checks turns, and equivocation evidence stands on its own, without knowing
the ledger's header format; the ledger must put the same height and timestamp in
``SignedHeader`` as in its header.

Equivocation. Two valid signatures by one validator on different messages at the
same height of the same chain prove it signed two blocks there: ``Equivocation``
is that evidence, which anyone can check with ``Equivocation.is_valid``.

Timestamps are integer seconds since 1970-01-01T00:00Z; a block's is at least its
parent's. ``now``, passed only when receiving a block live (never on replay), also
refuses a timestamp more than ``max_drift`` seconds ahead of the node's clock.
"""

import attrs

from tabellion.runtime.consensus.errors import BlockRejected
from tabellion.runtime.encoding import EncodingError, encode
from tabellion.runtime.keys import address_of, verify

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOMAIN",
    "MAX_FUTURE_DRIFT",
    "Equivocation",
    "EquivocationDetector",
    "SignedHeader",
    "check_block",
    "detect_equivocations",
    "expected_proposer",
    "find_equivocation",
]

DOMAIN = "tabellion/poa-block/1"
DEFAULT_TIMEOUT = 10  # seconds before the turn passes to the next validator
MAX_FUTURE_DRIFT = 15  # seconds a live block's timestamp may be ahead of the node's clock


@attrs.frozen
class SignedHeader:
    """What a validator signs about a block, with its public key and signature."""

    chain_id: str
    height: int
    timestamp: int
    header: bytes
    public_key: bytes
    signature: bytes = b""

    @classmethod
    def sign(cls, keypair, chain_id: str, height: int, timestamp: int, header: bytes) -> "SignedHeader":
        unsigned = cls(chain_id, height, timestamp, header, keypair.public_key)
        return attrs.evolve(unsigned, signature=keypair.sign(unsigned.signing_bytes()))

    @property
    def proposer(self) -> str:
        """The signer's address."""
        return address_of(self.public_key)

    def signing_bytes(self) -> bytes:
        return encode({
            "domain": DOMAIN,
            "chain": self.chain_id,
            "height": self.height,
            "timestamp": self.timestamp,
            "proposer": self.public_key,
            "header": self.header,
        })

    def has_valid_signature(self) -> bool:
        try:
            message = self.signing_bytes()
        except EncodingError:  # a field the encoding refuses: no valid signature can cover it
            return False
        return verify(self.public_key, message, self.signature)

    def to_plain(self) -> tuple:
        return (self.chain_id, self.height, self.timestamp, self.header, self.public_key, self.signature)

    @classmethod
    def from_plain(cls, plain) -> "SignedHeader":
        if not isinstance(plain, tuple) or len(plain) != 6:
            raise ValueError(f"a signed header has 6 fields, not {plain!r}")
        types = (str, int, int, bytes, bytes, bytes)
        if any(type(value) is not kind for value, kind in zip(plain, types)):
            raise ValueError("a signed header's fields are (str, int, int, bytes, bytes, bytes)")
        return cls(*plain)


def _check_validators(validators) -> tuple:
    validators = tuple(validators)
    if not validators:
        raise ValueError("a proof-of-authority chain needs at least one validator")
    if len(set(validators)) != len(validators):
        raise ValueError("the validators must be distinct")
    return validators


def expected_proposer(validators, height: int, previous_timestamp: int, timestamp: int, timeout: int) -> str:
    """The one validator whose turn it is to sign block ``height`` stamped ``timestamp``."""
    validators = _check_validators(validators)
    if type(height) is not int or height < 1:
        raise ValueError(f"height must be an integer of at least 1 (genesis is not signed), not {height!r}")
    if type(timeout) is not int or timeout < 1:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    passed = max(0, timestamp - previous_timestamp) // timeout
    return validators[(height - 1 + passed) % len(validators)]


def check_block(block: SignedHeader, *, chain_id: str, validators, previous_timestamp: int,
                timeout: int = DEFAULT_TIMEOUT, now: int | None = None, max_drift: int = MAX_FUTURE_DRIFT) -> str:
    """The proposer's address if ``block`` was signed for this chain by the right validator; else BlockRejected."""
    validators = _check_validators(validators)
    height = block.height
    if type(height) is not int or height < 1:
        raise BlockRejected(height, "only blocks from height 1 are signed")
    if block.chain_id != chain_id:
        raise BlockRejected(height, f"it is signed for chain {block.chain_id!r}, not {chain_id!r}")
    if type(block.timestamp) is not int or block.timestamp < previous_timestamp:
        raise BlockRejected(
            height, f"its timestamp {block.timestamp} is earlier than its parent's, {previous_timestamp}"
        )
    if now is not None and block.timestamp > now + max_drift:
        raise BlockRejected(
            height, f"its timestamp {block.timestamp} is more than {max_drift} s ahead of the clock ({now})"
        )
    try:
        proposer = block.proposer
    except ValueError:
        raise BlockRejected(height, "its proposer's public key is malformed") from None
    if proposer not in validators:
        raise BlockRejected(height, f"it is signed by {proposer}, which is not a validator")
    expected = expected_proposer(validators, height, previous_timestamp, block.timestamp, timeout)
    if proposer != expected:
        elapsed = block.timestamp - previous_timestamp
        raise BlockRejected(
            height, f"it is signed out of turn by {proposer}: {elapsed} s after its parent it is {expected}'s turn"
        )
    if not block.has_valid_signature():
        raise BlockRejected(height, f"its signature by {proposer} is invalid")
    return proposer


@attrs.frozen
class Equivocation:
    """Evidence that one validator signed two different blocks at one height of one chain."""

    first: SignedHeader
    second: SignedHeader

    @property
    def proposer(self) -> str:
        return self.first.proposer

    @property
    def height(self) -> int:
        return self.first.height

    def is_valid(self) -> bool:
        """Whether the evidence proves equivocation: anyone can check it, knowing only the key."""
        first, second = self.first, self.second
        return (
            first.chain_id == second.chain_id
            and first.height == second.height
            and first.public_key == second.public_key
            and first.signing_bytes() != second.signing_bytes()
            and first.has_valid_signature()
            and second.has_valid_signature()
        )

    def to_plain(self) -> tuple:
        return (self.first.to_plain(), self.second.to_plain())

    @classmethod
    def from_plain(cls, plain) -> "Equivocation":
        if not isinstance(plain, tuple) or len(plain) != 2:
            raise ValueError("equivocation evidence is a pair of signed headers")
        return cls(SignedHeader.from_plain(plain[0]), SignedHeader.from_plain(plain[1]))


def find_equivocation(first: SignedHeader, second: SignedHeader) -> Equivocation | None:
    """The evidence if these two signed headers prove equivocation, else None."""
    evidence = Equivocation(first, second)
    return evidence if evidence.is_valid() else None


class EquivocationDetector:
    """Remembers the first validly signed header per (chain, height, signer) and reports a second one."""

    def __init__(self):
        self._first = {}

    def observe(self, block: SignedHeader) -> Equivocation | None:
        if not block.has_valid_signature():
            return None  # an invalid signature proves nothing against anyone
        key = (block.chain_id, block.height, block.public_key)
        first = self._first.setdefault(key, block)
        return find_equivocation(first, block)

    def forget_below(self, height: int) -> None:
        """Drop what was seen below ``height`` (evidence that old is no longer acted on)."""
        self._first = {key: block for key, block in self._first.items() if key[1] >= height}


def detect_equivocations(blocks) -> tuple:
    """Every equivocation among ``blocks`` (one piece of evidence per extra block signed)."""
    detector = EquivocationDetector()
    found = (detector.observe(block) for block in blocks)
    return tuple(evidence for evidence in found if evidence is not None)
