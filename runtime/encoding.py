"""The canonical byte encoding of transactions, blocks, receipts and state values.

This module owns the one way Tabellion turns a value into bytes for signing,
hashing and storage. Equal values always encode to the same bytes, and
``decode`` accepts exactly the outputs of ``encode``: anything else raises
``MalformedEncoding``, so that ``encode(decode(data)) == data`` whenever decoding
succeeds.

Format. A value is a tag byte followed by a payload; every value is
self-delimiting, so values simply follow one another inside containers.

=====  ==========  =========================================================
tag    value       payload
=====  ==========  =========================================================
0x00   None        (none)
0x01   False       (none)
0x02   True        (none)
0x03   int         length n, then n bytes: the value in big-endian two's
                   complement, minimal (0 is n = 0; no leading 0x00 byte
                   followed by a byte < 0x80, no leading 0xFF byte followed
                   by a byte >= 0x80); at most 2048 bits of magnitude
                   (``abs(v) < 2**2048``), so n <= 257
0x04   bytes       length n, then the n bytes
0x05   str         length n, then n bytes of UTF-8 (strict: no surrogates,
                   no overlong forms)
0x06   list        count n, then n values
0x07   map         count n, then n pairs (key value), ordered by the key's
                   encoding, bytewise, strictly ascending (so no duplicates)
0x20+  extension   one value: the extension's plain form (see below)
=====  ==========  =========================================================

Tags 0x08-0x1F are reserved. A length or count is an unsigned LEB128 varint:
seven bits per byte, least significant group first, the high bit set on every
byte but the last; minimal (the last byte of a multi-byte varint is not 0x00) and
below 2**32. Containers and extensions nest at most ``MAX_DEPTH`` deep.

Decoding gives back None, bool, int, bytes, str, tuple (for every list: decoded
values are immutable and can serve as map keys), dict and extension objects.
Encoding accepts list or tuple for lists, and bytearray or memoryview for bytes.

Extensions. Later modules register their own types (Money, Party, Date...) with
``register_extension(tag, cls, to_plain, from_plain)``: ``to_plain(obj)`` returns
an encodable value (typically a tuple of fields) and ``from_plain(plain)``
rebuilds the object, raising ValueError or TypeError on a plain value that
``to_plain`` would never produce. Decoding re-encodes ``to_plain(obj)`` and
checks it gives the same bytes, so every extension is canonical too.
"""

import attrs

from tabellion.lang.errors import TabellionError

__all__ = [
    "EncodingError",
    "Extension",
    "MAX_DEPTH",
    "MAX_INT_BITS",
    "MalformedEncoding",
    "decode",
    "encode",
    "register_extension",
]

MAX_INT_BITS = 2048
MAX_DEPTH = 64
MAX_LENGTH = 2**32 - 1
FIRST_EXTENSION_TAG = 0x20

TAG_NONE = 0x00
TAG_FALSE = 0x01
TAG_TRUE = 0x02
TAG_INT = 0x03
TAG_BYTES = 0x04
TAG_TEXT = 0x05
TAG_LIST = 0x06
TAG_MAP = 0x07

_MAX_INT_BYTES = MAX_INT_BITS // 8 + 1


class EncodingError(TabellionError):
    """A value that has no canonical encoding (unsupported type, too large, too deep)."""


class MalformedEncoding(EncodingError):
    """Bytes that are not the canonical encoding of any value."""


@attrs.frozen
class Extension:
    """A registered type: its tag and the pair of functions to and from its plain form."""

    tag: int
    type: type
    to_plain: object
    from_plain: object


_EXTENSIONS_BY_TAG = {}
_EXTENSIONS_BY_TYPE = {}


def register_extension(tag: int, cls: type, to_plain, from_plain) -> Extension:
    """Give ``cls`` an encoding under ``tag`` (0x20-0xFF); registering the same twice is harmless."""
    if type(tag) is not int or not FIRST_EXTENSION_TAG <= tag <= 0xFF:
        raise ValueError(f"tag must be an int from {FIRST_EXTENSION_TAG:#x} to 0xff, not {tag!r}")
    if not isinstance(cls, type) or cls in _CORE_TYPES:
        raise ValueError(f"cls must be a class other than the core types, not {cls!r}")
    extension = Extension(tag, cls, to_plain, from_plain)
    for registry, key in ((_EXTENSIONS_BY_TAG, tag), (_EXTENSIONS_BY_TYPE, cls)):
        if registry.get(key, extension) != extension:
            raise ValueError(f"{key!r} is already registered as {registry[key]!r}")
    _EXTENSIONS_BY_TAG[tag] = extension
    _EXTENSIONS_BY_TYPE[cls] = extension
    return extension


# -- encoding ---------------------------------------------------------------


def encode(value) -> bytes:
    """The canonical bytes of ``value``; raises EncodingError if it has none."""
    parts = []
    _encode(value, parts.append, 0)
    return b"".join(parts)


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _header(tag: int, n: int) -> bytes:
    if n < 0x80:
        return bytes((tag, n))
    if n > MAX_LENGTH:
        raise EncodingError(f"a length of {n} exceeds the encoding's limit of {MAX_LENGTH}")
    return bytes((tag,)) + _varint(n)


def _encode_int(value: int) -> bytes:
    if value.bit_length() > MAX_INT_BITS:
        raise EncodingError(f"an integer of {value.bit_length()} bits exceeds the limit of {MAX_INT_BITS}")
    if value == 0:
        return bytes((TAG_INT, 0))
    magnitude = value if value >= 0 else ~value
    size = (magnitude.bit_length() + 8) // 8
    return _header(TAG_INT, size) + value.to_bytes(size, "big", signed=True)


_SMALL_INTS = {value: _encode_int(value) for value in range(-256, 4096)}
_TEXT_HEADERS = [bytes((TAG_TEXT, n)) for n in range(0x80)]
_BYTES_HEADERS = [bytes((TAG_BYTES, n)) for n in range(0x80)]
_CONSTANTS = {None: bytes((TAG_NONE,)), False: bytes((TAG_FALSE,)), True: bytes((TAG_TRUE,))}


def _encode(value, append, depth):
    """Append the parts of ``value``'s encoding; the common types are tested first, inline."""
    kind = type(value)
    if kind is str:
        try:
            data = value.encode("utf-8")
        except UnicodeEncodeError:
            raise EncodingError("a string with lone surrogates has no UTF-8 encoding") from None
        size = len(data)
        append(_TEXT_HEADERS[size] if size < 0x80 else _header(TAG_TEXT, size))
        append(data)
    elif kind is int:
        encoded = _SMALL_INTS.get(value)
        append(encoded if encoded is not None else _encode_int(value))
    elif kind is bytes:
        size = len(value)
        append(_BYTES_HEADERS[size] if size < 0x80 else _header(TAG_BYTES, size))
        append(value)
    elif kind is dict:
        _encode_map(value, append, depth)
    elif kind is tuple or kind is list:
        if depth >= MAX_DEPTH:
            raise EncodingError(f"values nest deeper than {MAX_DEPTH} levels")
        append(_header(TAG_LIST, len(value)))
        for item in value:
            _encode(item, append, depth + 1)
    elif kind is bool or value is None:
        append(_CONSTANTS[value])
    else:
        _encode_other(value, append, depth)


def _encode_map(value, append, depth):
    if depth >= MAX_DEPTH:
        raise EncodingError(f"values nest deeper than {MAX_DEPTH} levels")
    by_key = {}
    for key, item in value.items():
        encoded = _TEXT_KEYS.get(key) if type(key) is str else None
        if encoded is None:
            parts = []
            _encode(key, parts.append, depth + 1)
            encoded = b"".join(parts)
            if type(key) is str and len(key) <= 64:
                _remember_text_key(key, encoded)
        by_key[encoded] = item
    if len(by_key) != len(value):
        raise EncodingError("two keys of a map have the same encoding")
    append(_header(TAG_MAP, len(by_key)))
    for key in sorted(by_key):
        append(key)
        _encode(by_key[key], append, depth + 1)


# Field names recur in every transaction and record: their encodings are cached.
_TEXT_KEYS = {}
_TEXT_KEYS_LIMIT = 4096


def _remember_text_key(key, encoded):
    if len(_TEXT_KEYS) >= _TEXT_KEYS_LIMIT:
        _TEXT_KEYS.clear()
    _TEXT_KEYS[key] = encoded


def _encode_other(value, append, depth):
    """Encode a registered extension, or a subclass of a supported type."""
    extension = _extension_of(type(value))
    if extension is not None:
        if depth >= MAX_DEPTH:
            raise EncodingError(f"values nest deeper than {MAX_DEPTH} levels")
        append(bytes((extension.tag,)))
        _encode(extension.to_plain(value), append, depth + 1)
        return
    for base, convert in _SUBCLASS_CONVERSIONS:
        if isinstance(value, base):
            _encode(convert(value), append, depth)
            return
    raise EncodingError(f"a value of type {type(value).__name__} has no canonical encoding")


# Subclasses (IntEnum, StrEnum...) encode as their base type; the conversions use
# the base type's own methods so that an overridden __str__ or __int__ is ignored.
_SUBCLASS_CONVERSIONS = (
    (int, int.__int__),
    (str, str.__str__),
    (bytes, lambda value: b"" + value),
    ((bytearray, memoryview), bytes),
    ((tuple, list), tuple),
    (dict, dict),
)


def _extension_of(kind):
    for base in kind.__mro__:
        extension = _EXTENSIONS_BY_TYPE.get(base)
        if extension is not None:
            return extension
    return None


# -- decoding ---------------------------------------------------------------


def decode(data):
    """The value whose canonical encoding is ``data``; raises MalformedEncoding otherwise."""
    if type(data) is not bytes:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, not {type(data).__name__}")
        data = bytes(data)
    value, end = _decode(data, 0, 0)
    if end != len(data):
        raise MalformedEncoding(f"{len(data) - end} trailing bytes after the value")
    return value


def _decode(data, pos, depth):
    """Decode the value starting at ``pos``: returns (value, position after it)."""
    if pos >= len(data):
        raise MalformedEncoding("truncated: a value is missing")
    tag = data[pos]
    if tag == TAG_TEXT:
        start, end = _payload(data, pos + 1)
        try:
            return data[start:end].decode("utf-8"), end
        except UnicodeDecodeError:
            raise MalformedEncoding("a string is not valid UTF-8") from None
    if tag == TAG_INT:
        start, end = _payload(data, pos + 1)
        return _decode_int(data, start, end), end
    if tag == TAG_BYTES:
        start, end = _payload(data, pos + 1)
        return data[start:end], end
    if tag == TAG_MAP or tag == TAG_LIST or tag >= FIRST_EXTENSION_TAG:
        if depth >= MAX_DEPTH:
            raise MalformedEncoding(f"values nest deeper than {MAX_DEPTH} levels")
        if tag == TAG_MAP:
            return _decode_map(data, pos + 1, depth + 1)
        if tag == TAG_LIST:
            return _decode_list(data, pos + 1, depth + 1)
        return _decode_extension(data, pos, depth + 1)
    if tag <= TAG_TRUE:
        return (None, False, True)[tag], pos + 1
    raise MalformedEncoding(f"unknown tag {tag:#04x}")


def _read_length(data, pos):
    """Read a minimal LEB128 varint below 2**32: returns (value, position after it)."""
    value = 0
    for index in range(5):
        if pos + index >= len(data):
            raise MalformedEncoding("truncated: a length is cut short")
        byte = data[pos + index]
        value |= (byte & 0x7F) << (7 * index)
        if byte < 0x80:
            if byte == 0 and index > 0:
                raise MalformedEncoding("a length is not minimally encoded")
            if value > MAX_LENGTH:
                raise MalformedEncoding("a length exceeds 2**32 - 1")
            return value, pos + index + 1
    raise MalformedEncoding("a length is longer than five bytes")


def _payload(data, pos):
    """The bounds of a length-prefixed payload, checked against the data's end."""
    if pos < len(data) and data[pos] < 0x80:
        size, start = data[pos], pos + 1
    else:
        size, start = _read_length(data, pos)
    end = start + size
    if end > len(data):
        raise MalformedEncoding("truncated: a payload runs past the end")
    return start, end


def _decode_int(data, start, end):
    size = end - start
    if size == 0:
        return 0
    if size > _MAX_INT_BYTES:
        raise MalformedEncoding(f"an integer exceeds {MAX_INT_BITS} bits")
    first = data[start]
    if size == 1:
        if first == 0:
            raise MalformedEncoding("zero must be encoded with an empty payload")
    else:
        second = data[start + 1]
        if (first == 0 and second < 0x80) or (first == 0xFF and second >= 0x80):
            raise MalformedEncoding("an integer is not minimally encoded")
    value = int.from_bytes(data[start:end], "big", signed=True)
    if value.bit_length() > MAX_INT_BITS:
        raise MalformedEncoding(f"an integer exceeds {MAX_INT_BITS} bits")
    return value


def _decode_list(data, pos, depth):
    count, pos = _read_length(data, pos)
    if count > len(data) - pos:  # every value takes at least one byte
        raise MalformedEncoding("truncated: a list is cut short")
    items = []
    for _ in range(count):
        item, pos = _decode(data, pos, depth)
        items.append(item)
    return tuple(items), pos


def _decode_map(data, pos, depth):
    count, pos = _read_length(data, pos)
    if count > (len(data) - pos) // 2:  # every pair takes at least two bytes
        raise MalformedEncoding("truncated: a map is cut short")
    result = {}
    previous = b""
    for _ in range(count):
        start = pos
        key, pos = _decode(data, pos, depth)
        encoded_key = data[start:pos]
        if encoded_key <= previous:
            raise MalformedEncoding("map keys are not in strictly ascending order of their encoding")
        previous = encoded_key
        item, pos = _decode(data, pos, depth)
        try:
            result[key] = item
        except TypeError:
            raise MalformedEncoding("a map key is not hashable") from None
    if len(result) != count:
        raise MalformedEncoding("two map keys decode to equal values")
    return result, pos


def _decode_extension(data, pos, depth):
    extension = _EXTENSIONS_BY_TAG.get(data[pos])
    if extension is None:
        raise MalformedEncoding(f"unknown tag {data[pos]:#04x}")
    start = pos + 1
    plain, end = _decode(data, start, depth)
    try:
        value = extension.from_plain(plain)
        parts = []
        _encode(extension.to_plain(value), parts.append, depth)
    except Exception as error:  # from_plain is foreign code: any failure means malformed input
        name = extension.type.__name__
        raise MalformedEncoding(f"not a valid {name}: {error}") from None
    if b"".join(parts) != data[start:end]:
        raise MalformedEncoding(f"not the canonical encoding of a {extension.type.__name__}")
    return value, end


_CORE_TYPES = frozenset({type(None), bool, int, bytes, str, tuple, list, dict})
