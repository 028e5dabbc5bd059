"""Signed transactions: their kinds, canonical bytes, signatures and hashes.

A transaction's *body* is the canonical encoding (runtime.encoding, with the value
extensions of chain.codec) of the list

    ["tabellion-tx/1", chain_id, kind, sender, nonce, gas_limit, payload]

where `sender` is the 32-byte Ed25519 public key and `payload` a list whose shape
depends on `kind` (see PAYLOADS). The signature is Ed25519 over the body bytes.
On the wire and in storage a transaction is `encode([body, signature])`, and its
hash is SHA-256 of those bytes. The same transaction always has the same bytes.

`decode_transaction` accepts exactly these bytes: anything else raises
`MalformedTransaction` with the reason. Checking the signature is separate
(`Transaction.signature_ok`), since the executor decides when to pay for it.
"""

from __future__ import annotations

import hashlib
import re

import attrs
from tabellion.runtime.access import ROLES
from tabellion.runtime.encoding import EncodingError, MalformedEncoding, decode, encode
from tabellion.runtime.keys import (
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    KeyPair,
    address_of,
    verify,
)
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party

from . import codec
from .errors import MalformedTransaction

__all__ = [
    "KINDS",
    "MEMBER_ROLES",
    "Call",
    "Deploy",
    "Fund",
    "Membership",
    "Transaction",
    "Transfer",
    "contract_address",
    "decode_transaction",
    "sign_transaction",
]

TX_DOMAIN = "tabellion-tx/1"
CHAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
MAX_NONCE = 2**64 - 1
MAX_GAS = 2**63 - 1
MEMBER_ROLES = ROLES
_CONTRACT_PERSON = b"tabellion-cntr"


@attrs.frozen
class Deploy:
    """Create a contract instance from source text (plus the stdlib modules it imports)."""

    file: str                 # a name for diagnostics and spans, e.g. "film.sc"
    source: str
    imports: tuple            # ((module name, source text), ...) sorted by name
    contract: str
    args: dict                # param, role and party name -> value
    paying: Money | None = None

    kind = "deploy"

    def to_plain(self):
        return [self.file, self.source, [list(pair) for pair in self.imports], self.contract, self.args, self.paying]


@attrs.frozen
class Call:
    """Call an entry of a deployed contract with arguments in parameter order."""

    contract: Party
    entry: str
    args: tuple
    paying: Money | None = None

    kind = "call"

    def to_plain(self):
        return [self.contract, self.entry, list(self.args), self.paying]


@attrs.frozen
class Transfer:
    """Move money from the sender's account to another."""

    to: Party
    amount: Money

    kind = "transfer"

    def to_plain(self):
        return [self.to, self.amount]


@attrs.frozen
class Membership:
    """A membership operation of `runtime.membership`: propose a change, or approve one.

    `operation` is `{"op": "propose", "change": CHANGE}` or `{"op": "approve",
    "proposal": ID}`, CHANGE built by `membership.add_member`, `remove_member` or
    `change_roles`; a change applies once a quorum of admins approved it.
    """

    operation: dict

    kind = "membership"

    def to_plain(self):
        return [self.operation]


@attrs.frozen
class Fund:
    """Create money for a party: development chains only."""

    to: Party
    amount: Money

    kind = "fund"

    def to_plain(self):
        return [self.to, self.amount]


@attrs.frozen(eq=False)
class Transaction:
    """A decoded, signed transaction with its canonical bytes; equal when the bytes are."""

    chain_id: str
    sender: bytes
    nonce: int
    gas_limit: int
    payload: object
    signature: bytes
    body: bytes = attrs.field(repr=False)
    wire: bytes = attrs.field(repr=False)
    hash: bytes = attrs.field(repr=False)

    @property
    def kind(self) -> str:
        return self.payload.kind

    @property
    def address(self) -> str:
        return address_of(self.sender)

    def signature_ok(self) -> bool:
        return verify(self.sender, self.body, self.signature)

    def __eq__(self, other):
        return type(other) is Transaction and other.wire == self.wire

    def __hash__(self):
        return hash(self.hash)


def transaction_body(chain_id: str, sender: bytes, nonce: int, gas_limit: int, payload) -> bytes:
    """The bytes a sender signs."""
    try:
        return encode([TX_DOMAIN, chain_id, payload.kind, sender, nonce, gas_limit, payload.to_plain()])
    except EncodingError as error:
        raise MalformedTransaction(f"the transaction cannot be encoded: {error}") from None


def sign_transaction(keypair: KeyPair, chain_id: str, nonce: int, gas_limit: int, payload) -> Transaction:
    """A transaction from `keypair`'s account, signed; checks the fields' shapes."""
    body = transaction_body(chain_id, keypair.public_key, nonce, gas_limit, payload)
    signature = keypair.sign(body)
    wire = encode([body, signature])
    transaction = decode_transaction(wire)  # the one place shapes are checked
    return transaction


def decode_transaction(wire: bytes) -> Transaction:
    """The transaction whose canonical bytes are `wire`, or MalformedTransaction."""
    if type(wire) is not bytes:
        wire = bytes(wire)
    try:
        return (_fast_reader or _load_fast_reader())(wire)
    except Exception:  # noqa: BLE001 - NotFast, or bytes the generic decoder must judge
        return _decode_generic(wire)


_fast_reader = None


def _load_fast_reader():
    """fast_decode builds this module's classes, so it is imported on first use."""
    global _fast_reader
    from .fast_decode import decode_fast

    _fast_reader = decode_fast
    return decode_fast


def _decode_generic(wire: bytes) -> Transaction:
    try:
        outer = decode(wire)
        if type(outer) is not tuple or len(outer) != 2 or type(outer[0]) is not bytes or type(outer[1]) is not bytes:
            raise MalformedTransaction("malformed transaction: expected [body, signature]")
        body, signature = outer
        fields = decode(body)
    except MalformedEncoding as error:
        raise MalformedTransaction(f"malformed transaction: {error}") from None
    if type(fields) is not tuple or len(fields) != 7 or fields[0] != TX_DOMAIN:
        raise MalformedTransaction(f"malformed transaction: the body is not a {TX_DOMAIN} list of 7 fields")
    _, chain_id, kind, sender, nonce, gas_limit, plain = fields
    _check(type(chain_id) is str and CHAIN_ID.match(chain_id), "the chain id is not a valid chain id")
    _check(type(sender) is bytes and len(sender) == PUBLIC_KEY_SIZE, "the sender is not a 32-byte public key")
    _check(type(nonce) is int and 0 <= nonce <= MAX_NONCE, "the nonce is not an int from 0 to 2**64 - 1")
    _check(type(gas_limit) is int and 0 <= gas_limit <= MAX_GAS, "the gas limit is not a non-negative int")
    _check(len(signature) == SIGNATURE_SIZE, "the signature is not 64 bytes")
    reader = _PAYLOADS.get(kind) if type(kind) is str else None
    _check(reader is not None, f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    _check(type(plain) is tuple, f"the {kind} payload is not a list")
    payload = reader(plain)
    tx_hash = hashlib.sha256(wire).digest()
    return Transaction(chain_id, sender, nonce, gas_limit, payload, signature, body, wire, tx_hash)


def contract_address(deployer: str, nonce: int) -> str:
    """The address of the contract deployed by `deployer`'s transaction with `nonce`."""
    digest = hashlib.blake2b(encode([deployer, nonce]), digest_size=20, person=_CONTRACT_PERSON)
    return "tb1" + digest.hexdigest()


# -- payload readers: each checks every field's shape --


def _check(condition, message: str) -> None:
    if not condition:
        raise MalformedTransaction(f"malformed transaction: {message}")


def _fields(plain, count: int, kind: str) -> tuple:
    _check(len(plain) == count, f"the {kind} payload has {len(plain)} field{'s' * (len(plain) != 1)}, not {count}")
    return plain


def _party(value, what: str) -> Party:
    _check(type(value) is Party, f"{what} is not a party")
    return value


def _money(value, what: str, optional: bool = False):
    if optional and value is None:
        return None
    _check(type(value) is Money, f"{what} is not an amount of money")
    return value


def _read_deploy(plain) -> Deploy:
    file, source, imports, contract, args, paying = _fields(plain, 6, "deploy")
    _check(type(file) is str and file, "the deploy's file name is not a non-empty text")
    _check(type(source) is str, "the deploy's source is not text")
    _check(type(imports) is tuple and all(
        type(pair) is tuple and len(pair) == 2 and all(type(part) is str for part in pair) for pair in imports),
        "the deploy's imports are not a list of [name, source] pairs")
    names = [name for name, _ in imports]
    _check(names == sorted(set(names)), "the deploy's imports are not sorted by name, each once")
    _check(type(contract) is str and contract, "the deploy's contract name is not a non-empty text")
    _check(type(args) is dict and all(type(k) is str for k in args), "the deploy's args are not a map from names")
    values = {name: codec.to_runtime(value) for name, value in args.items()}
    return Deploy(file, source, imports, contract, values, _money(paying, "the deploy's paying", True))


def _read_call(plain) -> Call:
    contract, entry, args, paying = _fields(plain, 4, "call")
    _check(type(entry) is str and entry, "the call's entry is not a non-empty text")
    _check(type(args) is tuple, "the call's args are not a list")
    values = tuple(codec.to_runtime(value) for value in args)
    return Call(_party(contract, "the called contract"), entry, values, _money(paying, "the call's paying", True))


def _read_transfer(plain) -> Transfer:
    to, amount = _fields(plain, 2, "transfer")
    return Transfer(_party(to, "the transfer's recipient"), _money(amount, "the transfer's amount"))


def _read_membership(plain) -> Membership:
    (operation,) = _fields(plain, 1, "membership")
    _check(type(operation) is dict and operation.get("op") in ("propose", "approve"),
           "the membership operation is not a map with 'op' 'propose' or 'approve'")
    return Membership(operation)


def _read_fund(plain) -> Fund:
    to, amount = _fields(plain, 2, "fund")
    return Fund(_party(to, "the funded party"), _money(amount, "the funded amount"))


_PAYLOADS = {
    "deploy": _read_deploy,
    "call": _read_call,
    "transfer": _read_transfer,
    "membership": _read_membership,
    "fund": _read_fund,
}
KINDS = tuple(_PAYLOADS)
