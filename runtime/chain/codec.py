"""Canonical encodings of Tabellion's run-time values, registered with `runtime.encoding`.

Importing this module registers one encoding extension per value type, so that
transaction arguments, receipts and state values all encode canonically:

    tag   type        plain form
    0x30  Money       [units: int, currency: text]
    0x31  Rate        [numerator: int, denominator: int > 0, in lowest terms]
    0x32  Date        days since 1970-01-01: int
    0x33  Time        seconds since 1970-01-01T00:00Z: int
    0x34  Duration    seconds: int
    0x35  Party       name: text (on a chain, an address `tb1...`)
    0x36  EnumValue   [enum name: text, member: text, index: int]
    0x37  record      [contract: text, record name: text, [field names...], [values...]]

Tags 0x20-0x2F stay free (the encoding's own tests use 0x20 as an unassigned tag).

Maps and Lists are the encoding's own maps and lists. Decoding gives tuples for
lists; `to_runtime` turns a decoded value back into the engine's representation
(lists for Lists, records rebuilt around converted fields).

A record decodes to the one class the compiler uses for that record type
(`compiler.record_class_for`), so a decoded record equals one built by a contract.
"""

from __future__ import annotations

import re
import types

from tabellion.runtime.encoding import EncodingError, decode, encode, register_extension
from tabellion.runtime.numeric import INT_MAX, INT_MIN, Money, Rate
from tabellion.runtime.temporal import DATE_MAX, DATE_MIN, Date, Duration, Time
from tabellion.runtime.values import EnumValue, Party, Record

__all__ = ["TAGS", "decode_value", "encode_value", "party", "to_runtime"]

TAGS = {Money: 0x30, Rate: 0x31, Date: 0x32, Time: 0x33, Duration: 0x34, Party: 0x35, EnumValue: 0x36, Record: 0x37}

_CURRENCY = re.compile(r"[A-Z]{3}\Z")
_DAY = 86_400


def _int(value, low=INT_MIN, high=INT_MAX) -> int:
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"expected an int from {low} to {high}")
    return value


def _text(value) -> str:
    if type(value) is not str or not value:
        raise ValueError("expected a non-empty text")
    return value


def _money_from(plain) -> Money:
    units, currency = plain
    if type(currency) is not str or not _CURRENCY.match(currency):
        raise ValueError("a currency is three capital letters")
    return Money(_int(units), currency)


def _rate_from(plain) -> Rate:
    from fractions import Fraction

    numerator, denominator = plain
    return Rate.of(Fraction(_int(numerator), _int(denominator, 1)))


def _date_from(days) -> Date:
    return Date(_int(days, DATE_MIN.days, DATE_MAX.days))


def _time_from(seconds) -> Time:
    return Time(_int(seconds, DATE_MIN.days * _DAY, DATE_MAX.days * _DAY + _DAY - 1))


def _enum_from(plain) -> EnumValue:
    enum_name, member, index = plain
    return EnumValue(_text(enum_name), _text(member), _int(index, 0))


# Parties are interned: the same address decodes to the same object, so the many
# dict lookups keyed by parties (balances, nonces, maps) succeed on identity.
_parties: dict[str, Party] = {}


def party(name: str) -> Party:
    """The one Party object of `name` (a bounded cache)."""
    found = _parties.get(name)
    if found is None:
        if len(_parties) >= 100_000:
            _parties.clear()
        found = _parties[name] = Party(name)
    return found


# -- records: the compiler's classes, found by (contract, name, field names)

_record_keys: dict[type, tuple] = {}


def _record_key(cls) -> tuple:
    key = _record_keys.get(cls)
    if key is None:
        from tabellion.runtime import compiler

        # The compiler's table of record classes is the one source of record identity.
        for found, record_class in list(compiler._records.items()):
            _record_keys[record_class] = found
        key = _record_keys.get(cls)
        if key is None:
            raise EncodingError(f"record type {cls.__record_name__} was not built by the compiler")
    return key


def _record_plain(record) -> tuple:
    contract, name, fields = _record_key(type(record))
    return (contract, name, fields, tuple(record))


def _record_from(plain):
    from tabellion.runtime.compiler import record_class_for

    contract, name, fields, values = plain
    if type(fields) is not tuple or not all(type(f) is str for f in fields) or type(values) is not tuple:
        raise ValueError("a record is a contract, a name, field names and values")
    spec = types.SimpleNamespace(contract=_text(contract), name=_text(name), field_names=fields)
    cls = record_class_for(spec)
    _record_keys[cls] = (contract, name, fields)
    return cls(*values)


register_extension(TAGS[Money], Money, lambda m: (m.units, m.currency), _money_from)
register_extension(TAGS[Rate], Rate, lambda r: (r.value.numerator, r.value.denominator), _rate_from)
register_extension(TAGS[Date], Date, lambda d: d.days, _date_from)
register_extension(TAGS[Time], Time, lambda t: t.seconds, _time_from)
register_extension(TAGS[Duration], Duration, lambda d: d.seconds, lambda s: Duration(_int(s)))
register_extension(TAGS[Party], Party, lambda p: p.name, lambda name: party(_text(name)))
register_extension(TAGS[EnumValue], EnumValue, lambda e: (e.enum_name, e.member, e.index), _enum_from)
register_extension(TAGS[Record], Record, _record_plain, _record_from)


def to_runtime(value):
    """A decoded value in the engine's representation: Lists as lists, all the way down."""
    kind = type(value)
    if kind is tuple:
        return [to_runtime(item) for item in value]
    if kind is dict:
        return {key: to_runtime(item) for key, item in value.items()}
    if isinstance(value, Record) and any(type(v) in (tuple, dict) or isinstance(v, Record) for v in value):
        return tuple.__new__(kind, [to_runtime(item) for item in value])
    return value


def encode_value(value) -> bytes:
    """The canonical bytes of a Tabellion value."""
    return encode(value)


def decode_value(data: bytes):
    """The Tabellion value whose canonical bytes are `data`."""
    return to_runtime(decode(data))
