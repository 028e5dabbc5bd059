"""Tests of runtime/encoding.py: the canonical encoding, its strictness and extensions."""

import enum

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabellion.runtime.encoding import (
    MAX_DEPTH,
    EncodingError,
    MalformedEncoding,
    decode,
    encode,
    register_extension,
)


@attrs.frozen
class Point:
    """A stand-in for the runtime's own types (Money, Party...) registered as extensions."""

    x: int
    y: int


def point_from_plain(plain):
    x, y = plain
    if type(x) is not int or type(y) is not int:
        raise TypeError("a Point has two int coordinates")
    return Point(x, y)


def point_to_plain(point):
    return (point.x, point.y)


POINT_TAG = 0xFE
POINT = register_extension(POINT_TAG, Point, point_to_plain, point_from_plain)


@attrs.frozen
class Lax:
    """An extension whose from_plain accepts more than to_plain produces."""

    text: str


register_extension(0xFC, Lax, lambda lax: lax.text, lambda plain: Lax(plain.lower()))


class Colour(enum.IntEnum):
    RED = 1


# -- the format, by example --


@pytest.mark.parametrize(
    "value, hex_bytes",
    [
        (None, "00"),
        (False, "01"),
        (True, "02"),
        (0, "0300"),
        (1, "030101"),
        (-1, "0301ff"),
        (127, "03017f"),
        (128, "03020080"),
        (-128, "030180"),
        (-129, "0302ff7f"),
        (2**64, "0309010000000000000000"),
        (b"", "0400"),
        (b"\x00\xff", "040200ff"),
        ("", "0500"),
        ("é", "0502c3a9"),
        ([], "0600"),
        ((1, None), "0602030101" "00"),
        ({}, "0700"),
        ({"b": 1, "a": None}, "0702" "050161" "00" "050162" "030101"),
        ({2: "x", 1: "y"}, "0702" "030101" "050179" "030102" "050178"),
        (b"x" * 200, "04c801" + "78" * 200),
        (Point(1, -1), "fe" "0602" "030101" "0301ff"),
        (Colour.RED, "030101"),
    ],
)
def test_encodings(value, hex_bytes):
    assert encode(value).hex() == hex_bytes


@pytest.mark.parametrize(
    "value, normal",
    [
        ([1, [2]], (1, (2,))),
        (bytearray(b"ab"), b"ab"),
        (memoryview(b"ab"), b"ab"),
        (Colour.RED, 1),
        ({"k": [Point(0, 0)]}, {"k": (Point(0, 0),)}),
    ],
)
def test_decoding_gives_immutable_plain_values(value, normal):
    assert typed(decode(encode(value))) == typed(normal)


# -- round trips and canonical form --


def typed(value):
    """``value`` with each scalar paired with its type, so that True != 1 when compared."""
    if isinstance(value, (list, tuple)):
        return ("list", tuple(typed(item) for item in value))
    if isinstance(value, dict):
        return ("map", frozenset((typed(key), typed(item)) for key, item in value.items()))
    return (type(value).__name__, value)


def normalize(value):
    if isinstance(value, (list, tuple)):
        return tuple(normalize(item) for item in value)
    if isinstance(value, dict):
        return {normalize(key): normalize(item) for key, item in value.items()}
    return value


integers = st.integers(min_value=-(2**2048) + 1, max_value=2**2048 - 1)
scalars = st.none() | st.booleans() | integers | st.binary(max_size=40) | st.text(max_size=20)
points = st.builds(Point, st.integers(-(2**70), 2**70), st.integers(-5, 5))
keys = st.recursive(scalars | points, lambda inner: st.tuples(inner, inner), max_leaves=4)
values = st.recursive(
    scalars | points,
    lambda inner: st.lists(inner, max_size=5)
    | st.tuples(inner, inner)
    | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)


@given(values)
def test_round_trip(value):
    encoded = encode(value)
    decoded = decode(encoded)
    assert typed(decoded) == typed(normalize(value))
    assert encode(decoded) == encoded


@given(st.dictionaries(keys, values, max_size=8), st.randoms(use_true_random=False))
def test_maps_encode_alike_whatever_the_insertion_order(mapping, rng):
    items = list(mapping.items())
    rng.shuffle(items)
    assert encode(dict(items)) == encode(mapping)


@given(values, values)
def test_distinct_values_encode_differently(first, second):
    if typed(normalize(first)) != typed(normalize(second)):
        assert encode(first) != encode(second)


def test_bool_and_int_are_different_values():
    assert encode(True) != encode(1)
    assert encode({1: "a"}) != encode({True: "a"})


# -- strictness --


@pytest.mark.parametrize(
    "hex_bytes, message",
    [
        ("", "truncated"),
        ("0000", "trailing"),
        ("0301", "truncated"),
        ("030100", "zero must be encoded with an empty payload"),
        ("0302007f", "not minimally encoded"),
        ("0302ff80", "not minimally encoded"),
        ("0302ffff", "not minimally encoded"),
        ("0302" + "0000", "not minimally encoded"),
        ("048000", "length is not minimally encoded"),
        ("04ffffffff7f", "exceeds 2\\*\\*32"),
        ("04ffffffffff01", "longer than five bytes"),
        ("0402ab", "truncated"),
        ("0580", "truncated"),
        ("0501ff", "not valid UTF-8"),
        ("0503eda080", "not valid UTF-8"),
        ("0502c0af", "not valid UTF-8"),
        ("0602", "truncated"),
        ("06ff", "truncated"),
        ("0702" "050162" "00" "050161" "00", "strictly ascending"),
        ("0702" "050161" "00" "050161" "00", "strictly ascending"),
        ("0702" "02" "00" "030101" "00", "decode to equal values"),
        ("0701" "0600" "00", None),
        ("0701" "0601" "0700" "00", "not hashable"),
        ("08", "unknown tag 0x08"),
        ("1f", "unknown tag 0x1f"),
        ("20", "unknown tag 0x20"),
        ("fe" "0602" "0500" "0500", "not a valid Point"),
        ("fe" "0601" "0500", "not a valid Point"),
        ("0382" "02" "01" + "00" * 257, "exceeds 2048 bits"),
        ("0381" "02" "01" + "00" * 256, "exceeds 2048 bits"),
        ("0381" "02" "00" + "ff" * 256, None),
        ("0381" "02" "00ff" + "00" * 255, None),
    ],
)
def test_malformed_encodings_are_refused(hex_bytes, message):
    data = bytes.fromhex(hex_bytes)
    if message is None:  # a valid edge case
        assert encode(decode(data)) == data
        return
    with pytest.raises(MalformedEncoding, match=message):
        decode(data)


def test_nesting_is_bounded_both_ways():
    deep = []
    for _ in range(MAX_DEPTH - 1):
        deep = [deep]
    assert encode(decode(encode(deep))) == encode(deep)
    with pytest.raises(EncodingError, match="nest deeper"):
        encode([deep])
    with pytest.raises(MalformedEncoding, match="nest deeper"):
        decode(b"\x06\x01" * 10_000 + b"\x00")


@given(values, st.data())
def test_flipped_bytes_decode_canonically_or_raise_malformed(value, data):
    encoded = bytearray(encode(value))
    for _ in range(data.draw(st.integers(1, 3), label="flips")):
        position = data.draw(st.integers(0, len(encoded) - 1), label="position")
        encoded[position] = data.draw(st.integers(0, 255), label="byte")
    check_strict(bytes(encoded))


@given(values, st.data())
def test_truncated_or_extended_encodings_are_refused(value, data):
    encoded = encode(value)
    cut = data.draw(st.integers(0, len(encoded) - 1), label="cut")
    with pytest.raises(MalformedEncoding):
        decode(encoded[:cut])
    with pytest.raises(MalformedEncoding, match="trailing"):
        decode(encoded + data.draw(st.binary(min_size=1, max_size=3), label="extra"))


@settings(max_examples=300)
@given(st.binary(max_size=60))
def test_arbitrary_bytes_decode_canonically_or_raise_malformed(data):
    check_strict(data)


def check_strict(data):
    """Decoding succeeds only on canonical encodings, and fails only with MalformedEncoding."""
    try:
        value = decode(data)
    except MalformedEncoding:
        return
    assert encode(value) == data


# -- what cannot be encoded --


@pytest.mark.parametrize(
    "value, message",
    [
        (1.5, "float"),
        ({1, 2}, "set"),
        (object(), "object"),
        (2**2048, "exceeds the limit of 2048"),
        (-(2**2048), "exceeds the limit of 2048"),
        ("\ud800", "surrogates"),
        ([1, 2.0], "float"),
        ({frozenset(): 1}, "frozenset"),
    ],
)
def test_values_without_an_encoding(value, message):
    with pytest.raises(EncodingError, match=message):
        encode(value)


def test_the_largest_integers_round_trip():
    for value in (2**2048 - 1, -(2**2048) + 1, -(2**2047), 2**2047):
        assert decode(encode(value)) == value


def test_decode_wants_bytes():
    with pytest.raises(TypeError, match="data must be bytes"):
        decode("00")
    assert decode(bytearray(b"\x00")) is None


# -- extensions --


def test_extensions_round_trip_anywhere():
    value = {Point(1, 2): [Point(3, 4)], "p": Point(-5, 6)}
    assert decode(encode(value)) == {Point(1, 2): (Point(3, 4),), "p": Point(-5, 6)}


def test_registering_again_is_harmless_but_conflicts_are_refused():
    assert register_extension(POINT_TAG, Point, point_to_plain, point_from_plain) == POINT
    with pytest.raises(ValueError, match="already registered"):
        register_extension(POINT_TAG, Colour, point_to_plain, point_from_plain)
    with pytest.raises(ValueError, match="already registered"):
        register_extension(0xFD, Point, point_to_plain, point_from_plain)


@pytest.mark.parametrize(
    "tag, cls, message",
    [(0x07, Colour, "tag must be"), (0x100, Colour, "tag must be"), (0xFD, int, "core types"), (0xFD, 3, "class")],
)
def test_register_extension_checks_its_arguments(tag, cls, message):
    with pytest.raises(ValueError, match=message):
        register_extension(tag, cls, repr, repr)


def test_an_extension_must_round_trip_canonically():
    # Lax's from_plain accepts any case, its to_plain gives lower case: "A" is not canonical.
    assert decode(encode(Lax("a"))) == Lax("a")
    with pytest.raises(MalformedEncoding, match="not the canonical encoding of a Lax"):
        decode(b"\xfc\x05\x01A")
