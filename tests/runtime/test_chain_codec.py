"""Tests of runtime/chain/codec.py: canonical encodings of Tabellion values, both ways."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tabellion.lang import compile_source
from tabellion.runtime.chain.codec import decode_value, encode_value, party, to_runtime
from tabellion.runtime.compiler import compile_module, record_class_for
from tabellion.runtime.encoding import MalformedEncoding, decode
from tabellion.runtime.numeric import INT_MAX, INT_MIN, Money, Rate
from tabellion.runtime.temporal import DATE_MAX, DATE_MIN, Date, Duration, Time
from tabellion.runtime.values import EnumValue, Party

RECORDS = compile_source("""
contract Shop {
    record Line { item: Text, qty: Int, tags: List[Int] }
    record Key { a: Int, b: Text }
    enum Status { Open, Closed }
    state lines: Map[Key, Line]
    entry add(k: Int) by anyone { lines[Key(k, "x")] = Line("x", k, [k]) }
}
""", "shop.sc")
SHOP = RECORDS.contracts["Shop"]
LINE = record_class_for(SHOP.records["Line"])
KEY = record_class_for(SHOP.records["Key"])


@pytest.mark.parametrize("value, encoded", [
    (Money(123, "EUR"), "30060203017b0503455552"),
    (Rate.of(Fraction(1, 40)), "310602030101030128"),
    (Date(20000), "3203024e20"),
    (Time(10**9), "3303043b9aca00"),
    (Duration(-5), "340301fb"),
    (Party("tb1"), "350503746231"),
    (EnumValue("S", "Open", 0), "36060305015305044f70656e0300"),
    ([1, [2]], "06020301010601030102"),
])
def test_the_encoding_of_each_value_type(value, encoded):
    assert encode_value(value).hex() == encoded
    assert decode_value(bytes.fromhex(encoded)) == value


def test_a_record_decodes_to_the_compilers_class():
    compile_module(RECORDS)
    line = LINE("bolt", 3, [1, 2])
    back = decode_value(encode_value(line))
    assert type(back) is LINE and back == line and type(back.tags) is list


@pytest.mark.parametrize("bad, why", [
    ("30060203017b0503657572", "lowercase currency"),
    ("3106020302020304", "a rate not in lowest terms"),
    ("310602030101030100", "a zero denominator"),
    ("3503" + "0500", "an empty party name"),
    ("32" + "0304" + "7fffffff", "a date beyond year 9999"),
    ("36060305015305044f70656e03ff", "a negative enum index"),
])
def test_values_that_no_encoder_produces_are_refused(bad, why):
    with pytest.raises(MalformedEncoding):
        decode(bytes.fromhex(bad))


def test_parties_are_interned():
    assert party("tb1x") is party("tb1x")
    assert decode_value(encode_value(Party("tb1y"))) is decode_value(encode_value(Party("tb1y")))


def test_to_runtime_turns_decoded_lists_back_into_lists():
    assert to_runtime((1, (2, 3), {4: (5,)})) == [1, [2, 3], {4: [5]}]


_scalars = st.one_of(
    st.integers(INT_MIN, INT_MAX),
    st.booleans(),
    st.text(max_size=20),
    st.builds(Money, st.integers(INT_MIN, INT_MAX), st.sampled_from(["EUR", "USD", "JPY"])),
    st.builds(lambda n, d: Rate.of(Fraction(n, d)), st.integers(-10**6, 10**6), st.integers(1, 10**6)),
    st.builds(Date, st.integers(DATE_MIN.days, DATE_MAX.days)),
    st.builds(Time, st.integers(DATE_MIN.days * 86400, DATE_MAX.days * 86400)),
    st.builds(Duration, st.integers(INT_MIN, INT_MAX)),
    st.builds(Party, st.text(min_size=1, max_size=43)),
    st.builds(lambda i: EnumValue("Status", ("Open", "Closed")[i], i), st.integers(0, 1)),
    st.builds(KEY, st.integers(-5, 5), st.text(max_size=3)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.integers(-9, 9), inner, max_size=4),
        st.builds(LINE, st.text(max_size=4), st.integers(), st.lists(st.integers(), max_size=3)),
    ),
    max_leaves=12,
)


@given(_values)
def test_every_value_round_trips_with_its_representation(value):
    compile_module(RECORDS)
    data = encode_value(value)
    back = decode_value(data)
    assert back == value
    assert _shape(back) == _shape(value)
    assert encode_value(back) == data


def _shape(value):
    """The types all the way down: a list must come back a list, a record its class."""
    if type(value) is list:
        return ("list", [_shape(v) for v in value])
    if type(value) is dict:
        return ("dict", sorted((repr(k), _shape(v)) for k, v in value.items()))
    if isinstance(value, tuple):
        return (type(value).__name__, [_shape(v) for v in value])
    return type(value).__name__
