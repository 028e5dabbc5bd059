"""Blocks: headers and their consensus proofs, receipts' bytes, and the genesis document.

A header is the canonical encoding of

    ["tabellion-block/1", chain_id, height, previous, timestamp, tx_count,
     tx_root, receipt_root, state_root, gas_used, proposer]

`previous` is the hash of the header before (32 zero bytes at genesis), the
timestamp whole seconds since 1970-01-01T00:00Z, the roots RFC 6962 Merkle roots
(merkle.py) of the transactions' bytes and of the receipts' bytes, and the state
root that of the state tree after the block. `proposer` is the public key of the
validator whose Ed25519 signature is the block's consensus proof: a proof-of-authority
signature (`runtime.consensus.authority.SignedHeader`) over the chain id, height,
timestamp, proposer and the header bytes. A block's hash is SHA-256 of its header bytes.

Block 0 holds one entry instead of transactions: the genesis document,

    ["tabellion-genesis/2", chain_id, dev, {"read": R, "write": W}, currency, timestamp,
     block_gas_limit, [[address, [roles]]...], quorum, [[party, amount]...]]

its access policy (`runtime.access.Policy`), its members (the first validator among
them), the number of admin approvals a membership change needs, and its opening
balances (allocations). A proof-of-work chain's document has an eleventh field,
its rules: `{"initial_target", "target_interval", "retarget_interval", "max_target",
"max_adjustment", "max_future_drift", "issuance": {"initial_reward",
"halving_interval", "cap", "currency"}}` (`world.pow_to_plain`).
"""

from __future__ import annotations

import hashlib

import attrs
from tabellion.runtime.access import Policy
from tabellion.runtime.consensus.authority import SignedHeader
from tabellion.runtime.encoding import MalformedEncoding, decode, encode
from tabellion.runtime.keys import (
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    KeyPair,
    address_of,
    verify,
)
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party

from . import codec  # noqa: F401 - registers the value encodings receipts use
from .errors import ChainError

__all__ = [
    "ZERO_HASH",
    "Genesis",
    "Header",
    "MalformedBlock",
    "decode_genesis",
    "decode_header",
    "receipt_bytes",
    "sign_header",
]

BLOCK_DOMAIN = "tabellion-block/1"
RECEIPT_DOMAIN = "tabellion-receipt/1"
GENESIS_DOMAIN = "tabellion-genesis/2"
ZERO_HASH = bytes(32)


class MalformedBlock(ChainError):
    """Stored or received bytes that are not a valid header or genesis document."""


@attrs.frozen
class Header:
    chain_id: str
    height: int
    previous: bytes
    timestamp: int
    tx_count: int
    tx_root: bytes
    receipt_root: bytes
    state_root: bytes
    gas_used: int
    proposer: bytes
    work: tuple | None = None  # proof of work: (target, coinbase recipient, coinbase amount, nonce)

    def _fields(self) -> list:
        return [BLOCK_DOMAIN, self.chain_id, self.height, self.previous, self.timestamp, self.tx_count,
                self.tx_root, self.receipt_root, self.state_root, self.gas_used, self.proposer]

    def to_bytes(self) -> bytes:
        if self.work is None:
            return encode(self._fields())
        return encode([*self._fields(), list(self.work)])

    def work_bytes(self) -> bytes:
        """The header bytes proof of work hashes with the nonce: the header with the nonce left out."""
        if self.work is None:
            raise ValueError("the header carries no proof of work")
        return encode([*self._fields(), list(self.work[:3])])

    @property
    def target(self) -> int | None:
        return None if self.work is None else self.work[0]

    @property
    def nonce(self) -> int | None:
        return None if self.work is None else self.work[3]

    @property
    def hash(self) -> bytes:
        return hashlib.sha256(self.to_bytes()).digest()

    def signed(self, proof: bytes = b"") -> SignedHeader:
        """What the proposer signs (and, with `proof`, the signed block proof of authority checks)."""
        return SignedHeader(self.chain_id, self.height, self.timestamp, self.to_bytes(), self.proposer, proof)

    def proof_ok(self, proof: bytes) -> bool:
        return verify(self.proposer, self.signed().signing_bytes(), proof)

    @property
    def proposer_address(self) -> str:
        return address_of(self.proposer)


def sign_header(header: Header, keypair: KeyPair) -> bytes:
    """The consensus proof of `header`: its proposer's proof-of-authority signature."""
    if keypair.public_key != header.proposer:
        raise ValueError("the header names another proposer")
    return keypair.sign(header.signed().signing_bytes())


def decode_header(data: bytes) -> Header:
    """The header whose canonical bytes are `data`, or MalformedBlock."""
    try:
        fields = decode(data)
    except MalformedEncoding as error:
        raise MalformedBlock(f"the header is not a canonical encoding ({error})") from None
    if type(fields) is not tuple or len(fields) not in (11, 12) or fields[0] != BLOCK_DOMAIN:
        raise MalformedBlock(f"the header is not a {BLOCK_DOMAIN} list of 11 fields (12 with proof of work)")
    header = Header(*fields[1:])
    kinds = (str, int, bytes, int, int, bytes, bytes, bytes, int, bytes)
    if not all(type(value) is kind for value, kind in zip(attrs.astuple(header, recurse=False), kinds)):
        raise MalformedBlock("a header field has the wrong type")
    work = header.work
    if work is not None and not (type(work) is tuple and len(work) == 4
                                 and [type(v) for v in work] == [int, str, int, int]
                                 and work[0] >= 1 and work[2] >= 0 and work[3] >= 0):
        raise MalformedBlock("the proof-of-work field is not [target, recipient, amount, nonce]")
    if any(len(h) != 32 for h in (header.previous, header.tx_root, header.receipt_root, header.state_root)) \
            or len(header.proposer) != PUBLIC_KEY_SIZE or min(header.height, header.tx_count, header.gas_used) < 0:
        raise MalformedBlock("a header field is out of range")
    return header


def proof_shape_ok(proof) -> bool:
    return type(proof) is bytes and len(proof) == SIGNATURE_SIZE


# -- receipts


def _span(span):
    if span is None:
        return None
    return [span.file, span.line, span.column, span.end_line, span.end_column]


def receipt_plain(tx_hash: bytes, receipt) -> list:
    """The list whose encoding is a receipt's bytes."""
    events = [[e.contract, e.contract_name, e.name, [list(field) for field in e.fields]] for e in receipt.events]
    transfers = [[t.source, t.target, t.amount, t.cause] for t in receipt.transfers]
    return [RECEIPT_DOMAIN, tx_hash, receipt.status, receipt.gas_used, receipt.reason, _span(receipt.span),
            events, transfers, receipt.value, receipt.address]


# A list's encoding is its header followed by its items' encodings, so a receipt's
# bytes can be assembled from its fields' encodings; the common fields are cached.
_RECEIPT_HEAD = encode([RECEIPT_DOMAIN, b"", None, None, None, None, None, None, None, None])[:2] \
    + encode(RECEIPT_DOMAIN) + b"\x04\x20"
_NONE = encode(None)
_EMPTY_LIST = encode([])
_encoded_texts: dict = {}


def _cached(value) -> bytes:
    found = _encoded_texts.get(value)
    if found is None:
        if len(_encoded_texts) > 50_000:
            _encoded_texts.clear()
        found = _encoded_texts[value] = encode(value)
    return found


def receipt_bytes(tx_hash: bytes, receipt) -> bytes:
    """The canonical bytes of a transaction's receipt, which the receipt root commits to."""
    if len(tx_hash) != 32:
        raise ValueError("a transaction hash is 32 bytes")
    parts = [_RECEIPT_HEAD, tx_hash, _cached(receipt.status), encode(receipt.gas_used),
             _NONE if receipt.reason is None else encode(receipt.reason),
             _NONE if receipt.span is None else encode(_span(receipt.span)),
             _EMPTY_LIST if not receipt.events else encode(receipt_plain(tx_hash, receipt)[6])]
    transfers = receipt.transfers
    if not transfers:
        parts.append(_EMPTY_LIST)
    elif len(transfers) < 0x80:
        parts.append(bytes((0x06, len(transfers))))
        for t in transfers:
            parts += (b"\x06\x04", _cached(t.source), _cached(t.target), encode(t.amount),
                      _NONE if t.cause is None else _cached(t.cause))
    else:
        parts.append(encode(receipt_plain(tx_hash, receipt)[7]))
    parts.append(_NONE if receipt.value is None else encode(receipt.value))
    parts.append(_NONE if receipt.address is None else encode(receipt.address))
    return b"".join(parts)


def decode_receipt(data: bytes) -> dict:
    """A stored receipt's fields, for display."""
    fields = decode(data)
    if type(fields) is not tuple or len(fields) != 10 or fields[0] != RECEIPT_DOMAIN:
        raise MalformedBlock(f"not a {RECEIPT_DOMAIN} list")
    names = ("tx_hash", "status", "gas_used", "reason", "span", "events", "transfers", "value", "address")
    found = dict(zip(names, fields[1:]))
    shapes_ok = (
        type(found["status"]) is str and type(found["gas_used"]) is int
        and (found["reason"] is None or type(found["reason"]) is str)
        and (found["span"] is None or (type(found["span"]) is tuple and len(found["span"]) == 5))
        and type(found["events"]) is tuple and all(
            type(e) is tuple and len(e) == 4 and type(e[3]) is tuple
            and all(type(f) is tuple and len(f) == 2 for f in e[3]) for e in found["events"])
        and type(found["transfers"]) is tuple and all(type(t) is tuple and len(t) == 4 for t in found["transfers"]))
    if not shapes_ok:
        raise MalformedBlock("a receipt field has the wrong shape")
    return found


# -- genesis


@attrs.frozen
class Genesis:
    chain_id: str
    dev: bool
    policy: Policy
    currency: str
    timestamp: int
    block_gas_limit: int
    members: tuple      # ((address, (roles...)), ...) sorted by address
    quorum: int
    allocations: tuple  # ((Party, Money), ...)
    pow: dict | None = None  # proof-of-work rules (`world.pow_to_plain`); None: proof of authority

    def to_bytes(self) -> bytes:
        members = [[address, list(roles)] for address, roles in self.members]
        allocations = [[party, amount] for party, amount in self.allocations]
        fields = [GENESIS_DOMAIN, self.chain_id, self.dev, self.policy.to_plain(), self.currency, self.timestamp,
                  self.block_gas_limit, members, self.quorum, allocations]
        return encode(fields if self.pow is None else [*fields, self.pow])


def decode_genesis(data: bytes) -> Genesis:
    try:
        fields = decode(data)
    except MalformedEncoding as error:
        raise MalformedBlock(f"the genesis document is not a canonical encoding ({error})") from None
    if type(fields) is not tuple or len(fields) not in (10, 11) or fields[0] != GENESIS_DOMAIN:
        raise MalformedBlock(f"the genesis document is not a {GENESIS_DOMAIN} list of 10 fields (11 with proof of work)")
    _, chain_id, dev, policy, currency, timestamp, gas_limit, members, quorum, allocations = fields[:10]
    pow_plain = fields[10] if len(fields) == 11 else None
    try:
        policy = Policy.from_plain(policy)
    except ValueError as error:
        raise MalformedBlock(f"the genesis policy is not valid ({error})") from None
    ok = (type(chain_id) is str and type(dev) is bool and type(currency) is str
          and type(timestamp) is int and type(gas_limit) is int and type(members) is tuple
          and type(quorum) is int and type(allocations) is tuple
          and all(type(m) is tuple and len(m) == 2 and type(m[0]) is str
                  and type(m[1]) is tuple and all(type(r) is str for r in m[1]) for m in members)
          and all(type(a) is tuple and len(a) == 2 and type(a[0]) is Party and type(a[1]) is Money
                  for a in allocations))
    if not ok or not (pow_plain is None or type(pow_plain) is dict):
        raise MalformedBlock("a genesis field has the wrong type")
    return Genesis(chain_id, dev, policy, currency, timestamp, gas_limit, members, quorum, allocations, pow_plain)
