"""A fast reader for the common transactions: transfers, calls and funds, read field by field.

`decode_fast` accepts exactly the canonical bytes the generic decoder
(`transactions._decode_generic`) accepts, with the same minimality rules, and gives
the same values; on anything else, deploys and membership changes included, it
gives up (`NotFast`) and leaves the verdict and the error message to the generic
decoder. test_chain_transactions checks that the two agree on valid and mutated
encodings. It exists because decoding is, after the signature, the largest cost
of admitting a transaction: the generic decoder re-encodes every extension value
to check it is canonical.
"""

from __future__ import annotations

import re
from hashlib import sha256 as _sha256

from tabellion.runtime.encoding import (
    _decode as _decode_value,  # the generic reader, for argument values
)
from tabellion.runtime.encoding import encode
from tabellion.runtime.keys import PUBLIC_KEY_SIZE
from tabellion.runtime.numeric import INT_MAX, INT_MIN, Money
from tabellion.runtime.values import Party

from . import codec
from .transactions import (
    CHAIN_ID,
    MAX_GAS,
    MAX_NONCE,
    TX_DOMAIN,
    Call,
    Fund,
    Transaction,
    Transfer,
)

__all__ = ["NotFast", "decode_fast"]

_CURRENCY = re.compile(r"[A-Z]{3}\Z")


class NotFast(Exception):
    """The bytes are not a transfer, call or fund in the shape this reader knows."""


_DOMAIN_PREFIX = encode([TX_DOMAIN, "", "", b"", 0, 0, None])[:2] + encode(TX_DOMAIN)
_FAST_KINDS = frozenset({"call", "transfer", "fund"})
_PARTY_TAG, _MONEY_TAG = codec.TAGS[Party], codec.TAGS[Money]


def decode_fast(wire: bytes) -> Transaction:
    size = len(wire)
    if wire[0] != 0x06 or wire[1] != 0x02 or wire[2] != 0x04 or wire[size - 66] != 0x04 or wire[size - 65] != 0x40:
        raise NotFast
    length, start = _length(wire, 3)
    if start + length != size - 66:
        raise NotFast
    body = wire[start : start + length]
    signature = wire[size - 64 :]
    if not body.startswith(_DOMAIN_PREFIX):
        raise NotFast
    chain_id, pos = _short_text(body, len(_DOMAIN_PREFIX))
    kind, pos = _short_text(body, pos)
    if kind not in _FAST_KINDS or not CHAIN_ID.match(chain_id) or body[pos] != 0x04 or body[pos + 1] != 0x20:
        raise NotFast
    sender = body[pos + 2 : pos + 34]
    nonce, pos = _small_int(body, pos + 34)
    gas_limit, pos = _small_int(body, pos)
    if not 0 <= nonce <= MAX_NONCE or not 0 <= gas_limit <= MAX_GAS or len(sender) != PUBLIC_KEY_SIZE:
        raise NotFast
    if kind == "call":
        if body[pos] != 0x06 or body[pos + 1] != 0x04:
            raise NotFast
        contract, pos = _party_at(body, pos + 2)
        entry, pos = _short_text(body, pos)
        if body[pos] != 0x06 or body[pos + 1] >= 0x80 or not entry:
            raise NotFast
        count, pos = body[pos + 1], pos + 2
        args = []
        for _ in range(count):
            value, pos = _argument_at(body, pos)
            args.append(value)
        if body[pos] == 0x00:
            paying, pos = None, pos + 1
        else:
            paying, pos = _money_at(body, pos)
        payload = Call(contract, entry, tuple(args), paying)
    else:
        if body[pos] != 0x06 or body[pos + 1] != 0x02:
            raise NotFast
        to, pos = _party_at(body, pos + 2)
        amount, pos = _money_at(body, pos)
        payload = (Transfer if kind == "transfer" else Fund)(to, amount)
    if pos != len(body):
        raise NotFast
    return Transaction(chain_id, sender, nonce, gas_limit, payload, signature, body, wire, _sha256(wire).digest())


def _argument_at(data: bytes, pos: int):
    tag = data[pos]
    if tag == 0x03:
        return _small_int(data, pos)
    if tag == _PARTY_TAG:
        return _party_at(data, pos)
    if tag == _MONEY_TAG:
        return _money_at(data, pos)
    value, pos = _decode_value(data, pos, 3)  # at the depth the generic decoder reads arguments
    return codec.to_runtime(value), pos


def _length(data: bytes, pos: int):
    """A minimal LEB128 length (as the generic decoder reads it), below 2**32."""
    value, shift = 0, 0
    for index in range(5):
        byte = data[pos + index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            if byte == 0 and index:
                raise NotFast
            return value, pos + index + 1
        shift += 7
    raise NotFast


def _short_text(data: bytes, pos: int):
    if data[pos] != 0x05 or data[pos + 1] >= 0x80:
        raise NotFast
    end = pos + 2 + data[pos + 1]
    if end > len(data):
        raise NotFast
    return data[pos + 2 : end].decode("utf-8"), end


def _small_int(data: bytes, pos: int):
    if data[pos] != 0x03:
        raise NotFast
    size = data[pos + 1]
    start, end = pos + 2, pos + 2 + size
    if size == 0:
        return 0, start
    if size > 33 or end > len(data):
        raise NotFast
    first = data[start]
    if size == 1:
        if first == 0:
            raise NotFast
    else:
        second = data[start + 1]
        if (first == 0 and second < 0x80) or (first == 0xFF and second >= 0x80):
            raise NotFast
    return int.from_bytes(data[start:end], "big", signed=True), end


def _party_at(data: bytes, pos: int):
    if data[pos] != _PARTY_TAG:
        raise NotFast
    name, end = _short_text(data, pos + 1)
    if not name:
        raise NotFast
    return codec.party(name), end


def _money_at(data: bytes, pos: int):
    if data[pos] != _MONEY_TAG or data[pos + 1] != 0x06 or data[pos + 2] != 0x02:
        raise NotFast
    units, pos = _small_int(data, pos + 3)
    currency, pos = _short_text(data, pos)
    if not INT_MIN <= units <= INT_MAX or not _CURRENCY.match(currency):
        raise NotFast
    return Money(units, currency), pos
