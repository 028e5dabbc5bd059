"""Signed read requests: how a member proves who is reading, to one chain, once.

A read on a ``members``-read chain must say who asks. The reader signs a
``ReadRequest`` naming the chain, its public key, the action, the resource, a
random nonce and the time; a node checks it with ``verify_read_request`` and then
asks ``access.decide`` with the address it returns.

Signed bytes: the canonical encoding (``runtime.encoding``) of the map ::

    {"domain": "tabellion/read-request/1", "chain": CHAIN_ID, "reader": PUBLIC_KEY(32 bytes),
     "action": ACTION (e.g. "read-blocks"), "resource": RESOURCE, "nonce": 16 bytes,
     "timestamp": seconds since 1970-01-01T00:00Z}

and the wire form adds ``"signature": 64 bytes`` to the same map. The ``domain``
entry keeps these bytes from ever being a valid transaction or block. RESOURCE is a
list whose first item names its kind:

    ["account", ADDRESS]            ["contract", ADDRESS]       ["field", CONTRACT, NAME]
    ["block", HEIGHT or None]       ["transaction", ID bytes or None, SENDER or None]
    ["events", CONTRACT or None]    ["membership"]

A request is refused when it names another chain (so one replayed from another
chain fails), when its signature does not verify, when its timestamp is further than
``max_skew`` seconds from the node's clock, or when its nonce was already seen
within that window (``ReplayGuard``).
"""

import secrets

import attrs

from tabellion.lang.errors import TabellionError
from tabellion.runtime.access import Account, Action, Block, Contract, Events, Field, Membership, Transaction
from tabellion.runtime.encoding import EncodingError, decode, encode
from tabellion.runtime.keys import PUBLIC_KEY_SIZE, SIGNATURE_SIZE, address_of, verify

__all__ = [
    "DOMAIN",
    "MAX_SKEW",
    "NONCE_SIZE",
    "ReadRequest",
    "ReadRequestRejected",
    "ReplayGuard",
    "resource_from_plain",
    "resource_to_plain",
    "verify_read_request",
]

DOMAIN = "tabellion/read-request/1"
NONCE_SIZE = 16
MAX_SKEW = 300  # seconds a request's timestamp may differ from the node's clock
_FIELDS = frozenset({"domain", "chain", "reader", "action", "resource", "nonce", "timestamp"})


class ReadRequestRejected(TabellionError):
    """A read request that is malformed, for another chain, badly signed, stale or replayed."""


def resource_to_plain(resource) -> tuple:
    """The encodable form of a resource (a Field's resolved details are not part of it)."""
    kind = type(resource)
    if kind is Account:
        return ("account", resource.address)
    if kind is Contract:
        return ("contract", resource.address)
    if kind is Field:
        return ("field", resource.contract, resource.name)
    if kind is Block:
        return ("block", resource.height)
    if kind is Transaction:
        return ("transaction", resource.id, resource.sender)
    if kind is Events:
        return ("events", resource.contract)
    if kind is Membership:
        return ("membership",)
    raise TypeError(f"not a resource a read request can name: {resource!r}")


def _address(value):
    # Not only `tb1...` account addresses: the ledger names contracts as it chooses.
    if type(value) is not str or not 1 <= len(value) <= 128:
        raise ValueError(f"not an address: {value!r}")
    return value


def _optional(check):
    return lambda value: None if value is None else check(value)


def _height(value):
    if type(value) is not int or value < 0:
        raise ValueError(f"not a block height: {value!r}")
    return value


def _identifier(value):
    if type(value) is not bytes or not 1 <= len(value) <= 64:
        raise ValueError(f"not a transaction id: {value!r}")
    return value


def _name(value):
    if type(value) is not str or not value.isidentifier():
        raise ValueError(f"not a field name: {value!r}")
    return value


_PLAIN_FORMS = {
    "account": (Account, (_address,)),
    "contract": (Contract, (_address,)),
    "field": (Field, (_address, _name)),
    "block": (Block, (_optional(_height),)),
    "transaction": (Transaction, (_optional(_identifier), _optional(_address))),
    "events": (Events, (_optional(_address),)),
    "membership": (Membership, ()),
}


def resource_from_plain(plain):
    """The resource a plain form names; raises ValueError for anything else."""
    if not isinstance(plain, tuple) or not plain or plain[0] not in _PLAIN_FORMS:
        raise ValueError(f"not a resource: {plain!r}")
    kind, checks = _PLAIN_FORMS[plain[0]]
    if len(plain) != len(checks) + 1:
        raise ValueError(f"a {plain[0]} resource has {len(checks)} items, not {len(plain) - 1}")
    return kind(*(check(value) for check, value in zip(checks, plain[1:])))


@attrs.frozen
class ReadRequest:
    """A read, signed by its reader for one chain (``signature`` is empty until signed)."""

    chain_id: str
    public_key: bytes
    action: Action
    resource: object
    nonce: bytes
    timestamp: int
    signature: bytes = b""

    @classmethod
    def sign(cls, keypair, chain_id: str, action: Action, resource, *, timestamp: int, nonce: bytes | None = None):
        """A request signed by ``keypair``; the nonce is fresh random bytes unless given."""
        nonce = secrets.token_bytes(NONCE_SIZE) if nonce is None else nonce
        unsigned = cls(chain_id, keypair.public_key, action, resource, nonce, timestamp)
        return attrs.evolve(unsigned, signature=keypair.sign(unsigned.signing_bytes()))

    @property
    def reader(self) -> str:
        """The reader's address."""
        return address_of(self.public_key)

    def _plain(self) -> dict:
        if not isinstance(self.action, Action) or not self.action.is_read:
            raise ValueError(f"a read request's action must be a read, not {self.action!r}")
        return {
            "domain": DOMAIN,
            "chain": self.chain_id,
            "reader": self.public_key,
            "action": self.action.value,
            "resource": resource_to_plain(self.resource),
            "nonce": self.nonce,
            "timestamp": self.timestamp,
        }

    def signing_bytes(self) -> bytes:
        """The bytes the reader signs."""
        return encode(self._plain())

    def to_bytes(self) -> bytes:
        """The wire form: the signed map with the signature added."""
        return encode({**self._plain(), "signature": self.signature})

    @classmethod
    def from_bytes(cls, data: bytes) -> "ReadRequest":
        """Parse the wire form; raises ReadRequestRejected for anything malformed."""
        try:
            plain = decode(data)
        except EncodingError as error:
            raise ReadRequestRejected(f"malformed read request: {error}") from None
        if not isinstance(plain, dict) or set(plain) != _FIELDS | {"signature"}:
            raise ReadRequestRejected("malformed read request: not a map of the read request's fields")
        if plain["domain"] != DOMAIN:
            raise ReadRequestRejected(f"malformed read request: unknown domain {plain['domain']!r}")
        try:
            request = cls(
                _text(plain["chain"]),
                _sized(plain["reader"], PUBLIC_KEY_SIZE, "reader"),
                _read_action(plain["action"]),
                resource_from_plain(plain["resource"]),
                _sized(plain["nonce"], NONCE_SIZE, "nonce"),
                _time(plain["timestamp"]),
                _sized(plain["signature"], SIGNATURE_SIZE, "signature"),
            )
        except ValueError as error:
            raise ReadRequestRejected(f"malformed read request: {error}") from None
        return request


def _text(value):
    if type(value) is not str or not value:
        raise ValueError(f"chain id must be a non-empty string, not {value!r}")
    return value


def _sized(value, size, what):
    if type(value) is not bytes or len(value) != size:
        raise ValueError(f"{what} must be {size} bytes")
    return value


def _read_action(value):
    try:
        action = Action(value)
    except ValueError:
        raise ValueError(f"unknown action {value!r}") from None
    if not action.is_read:
        raise ValueError(f"{value!r} is not a read")
    return action


def _time(value):
    if type(value) is not int or value < 0:
        raise ValueError(f"timestamp must be a non-negative integer, not {value!r}")
    return value


class ReplayGuard:
    """The nonces seen within the last ``window`` seconds, so a request is honoured once.

    Requests older than the window are refused by their timestamp, so older nonces
    can be forgotten: memory stays proportional to the requests of one window.
    """

    def __init__(self, window: int = MAX_SKEW):
        self.window = window
        self._seen = {}  # (public key, nonce) -> timestamp
        self._next_sweep = None

    def __len__(self):
        return len(self._seen)

    def check_and_remember(self, request: ReadRequest, now: int) -> None:
        """Refuse a nonce already seen from this reader; else remember it."""
        if self._next_sweep is None or now >= self._next_sweep:  # at most once a window
            horizon = now - 2 * self.window
            self._seen = {key: stamp for key, stamp in self._seen.items() if stamp >= horizon}
            self._next_sweep = now + self.window
        key = (request.public_key, request.nonce)
        if key in self._seen:
            raise ReadRequestRejected("read request refused: it was already used (a replayed nonce)")
        self._seen[key] = request.timestamp


def verify_read_request(request: ReadRequest, *, chain_id: str, now: int, max_skew: int = MAX_SKEW,
                        replay_guard: ReplayGuard | None = None) -> str:
    """The reader's address if ``request`` is valid for this chain at ``now``; else ReadRequestRejected."""
    if request.chain_id != chain_id:
        raise ReadRequestRejected(
            f"read request refused: it is for chain {request.chain_id!r}, not {chain_id!r}"
        )
    try:
        signed = request.signing_bytes()
    except (EncodingError, TypeError, ValueError) as error:
        raise ReadRequestRejected(f"malformed read request: {error}") from None
    if not verify(request.public_key, signed, request.signature):
        raise ReadRequestRejected("read request refused: its signature is invalid")
    if abs(request.timestamp - now) > max_skew:
        raise ReadRequestRejected(
            f"read request refused: its timestamp {request.timestamp} is more than {max_skew} s"
            f" from the node's clock ({now})"
        )
    if replay_guard is not None:
        replay_guard.check_and_remember(request, now)
    return request.reader
