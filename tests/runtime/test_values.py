"""Parties, enums, records, printing values as source text, and deterministic map order."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.lang.errors import InternalError
from tabellion.runtime import values
from tabellion.runtime.values import (
    EnumValue,
    Money,
    Party,
    Record,
    format_text,
    format_value,
    make_record_type,
    parse_date,
    parse_duration,
    parse_money,
    parse_rate,
    parse_time,
    record_replace,
    sort_key,
    sorted_items,
    sorted_keys,
)

Policy = make_record_type("Policy", ["holder", "flight", "day", "paid"])
Pair = make_record_type("Pair", ["left", "right"])
Other = make_record_type("Other", ["left", "right"])

alice, bob = Party("alice"), Party("bob")


def test_values_is_the_one_import_point():
    for name in ("Money", "Rate", "Date", "Time", "Duration", "parse_money", "int_div", "check_int"):
        assert name in values.__all__ and hasattr(values, name)


def test_party():
    assert str(alice) == repr(alice) == "alice"
    assert alice < bob <= bob and bob > alice >= alice
    assert alice == Party("alice") and {alice: 1}[Party("alice")] == 1
    assert sorted([bob, alice]) == [alice, bob]


def test_enum_members_order_by_declaration():
    low, high = EnumValue("Level", "low", 0), EnumValue("Level", "high", 1)
    assert str(high) == "Level.high"
    assert low < high <= high and high > low >= low
    assert sorted([high, low]) == [low, high]
    assert low == EnumValue("Level", "low", 0) and low != EnumValue("Other", "low", 0)
    with pytest.raises(TypeError):
        low < EnumValue("Other", "high", 1)


def test_make_enum_members():
    low, high = values.make_enum_members("Level", ["low", "high"])
    assert low == EnumValue("Level", "low", 0) and high == EnumValue("Level", "high", 1)


def test_values_copy_and_pickle_unchanged():
    import pickle

    samples = [
        parse_money("1.50 EUR"), parse_money("1.50 EUR") + parse_money("1 EUR"), parse_rate("2.5"),
        parse_date("2026-12-01"), parse_time("2026-12-01T10:30Z"), parse_duration("2h"), alice,
        EnumValue("Level", "low", 0),
    ]
    for value in samples:
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value and hash(copy.copy(value)) == hash(value)


def test_record_fields_and_replace():
    policy = Policy(alice, "AF123", parse_date("2026-12-01"), False)
    assert policy.holder == alice and policy.paid is False
    paid = policy.replace("paid", True)
    assert paid.paid is True and policy.paid is False
    assert type(paid) is Policy and paid == record_replace(policy, "paid", True)
    assert repr(paid) == str(paid) == 'Policy(holder: alice, flight: "AF123", day: 2026-12-01, paid: true)'
    with pytest.raises(AttributeError):
        policy.paid = True
    with pytest.raises(TypeError):
        Policy(alice)
    assert copy.deepcopy(policy) == policy and copy.copy(policy) == policy


def test_records_are_values_of_their_own_type():
    assert Pair(1, 2) == Pair(1, 2) and hash(Pair(1, 2)) == hash(Pair(1, 2))
    assert Pair(1, 2) != Other(1, 2) and Pair(1, 2) != (1, 2)
    assert Pair(1, 2) < Pair(1, 3) < Pair(2, 0) and Pair(2, 0) >= Pair(1, 3)
    with pytest.raises(TypeError):
        Pair(1, 2) < Other(1, 3)
    assert isinstance(Pair(1, 2), Record)
    assert repr(make_record_type("Empty", [])()) == "Empty()"


def test_a_field_may_be_called_replace():
    Odd = make_record_type("Odd", ["replace", "count"])
    odd = Odd(1, 2)
    assert odd.replace == 1 and odd.count == 2
    assert record_replace(odd, "replace", 5) == Odd(5, 2)


@pytest.mark.parametrize("fields", [["a", "a"], ["not valid"], ["__class__"], ["1x"]])
def test_make_record_type_refuses_bad_fields(fields):
    with pytest.raises(ValueError):
        make_record_type("Bad", fields)


@pytest.mark.parametrize(
    "value, text",
    [
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-1250, "-1250"),
        ("AF123", '"AF123"'),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ("tab\tback\\slash\r", '"tab\\tback\\\\slash\\r"'),
        ("bell\x07", '"bell\\u{7}"'),
        ("nul\x00", '"nul\\0"'),
        ("café", '"café"'),
        (parse_money("1_250.50 EUR"), "1_250.50 EUR"),
        (parse_rate("2.5"), "2.5%"),
        (parse_date("2026-12-01"), "2026-12-01"),
        (parse_time("2026-12-01T10:30Z"), "2026-12-01T10:30Z"),
        (parse_duration("90d"), "90d"),
        (alice, "alice"),
        (EnumValue("Status", "open", 0), "Status.open"),
        ([], "[]"),
        ({}, "{}"),
        ([1, [2, 3]], "[1, [2, 3]]"),
        ({3: "c", 1: "a", 2: {bob: True, alice: False}}, '{1: "a", 2: {alice: false, bob: true}, 3: "c"}'),
        ({Pair(2, 0): [], Pair(1, 9): [parse_money("1 EUR")]}, "{Pair(left: 1, right: 9): [1.00 EUR], Pair(left: 2, right: 0): []}"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_refuses_what_is_not_a_value():
    for value in (None, 1.5, (1, 2), {1, 2}):
        with pytest.raises(InternalError):
            format_value(value)


def test_format_text_quotes_every_control_character():
    assert format_text("\x01\x1f\x7f") == '"\\u{1}\\u{1F}\\u{7F}"'


def test_money_keys_order_by_currency_then_amount():
    keys = [Money(5, "USD"), Money(-1, "EUR"), Money(3, "EUR"), Money(0, "CHF")]
    assert sorted_keys(dict.fromkeys(keys)) == [Money(0, "CHF"), Money(-1, "EUR"), Money(3, "EUR"), Money(5, "USD")]
    assert sort_key(Pair(Money(1, "USD"), 2)) == (("USD", 1), 2)


def test_sort_key_refuses_unhashable_keys():
    with pytest.raises(InternalError):
        sort_key([1])


key_lists = st.one_of(
    st.lists(st.integers()),
    st.lists(st.text()),
    st.lists(st.builds(Party, st.text(min_size=1))),
    st.lists(st.builds(Money, st.integers(-1000, 1000), st.sampled_from(["EUR", "USD", "JPY"]))),
    st.lists(st.builds(Pair, st.integers(-3, 3), st.text(max_size=2))),
    st.lists(st.builds(values.Date, st.integers(-1000, 1000))),
)


@given(key_lists, st.randoms())
def test_map_order_is_ascending_and_independent_of_insertion(keys, random):
    mapping = {key: index for index, key in enumerate(keys)}
    shuffled_keys = list(mapping)
    random.shuffle(shuffled_keys)
    shuffled = {key: mapping[key] for key in shuffled_keys}
    items = sorted_items(mapping)
    assert items == sorted_items(shuffled) and [key for key, _ in items] == sorted_keys(shuffled)
    for (first, _), (second, _) in zip(items, items[1:]):
        if type(first) is Money:
            assert (first.currency, first.units) < (second.currency, second.units)
        else:
            assert first < second
    assert format_value(mapping) == format_value(shuffled)
    assert len(items) == len(mapping)


# --- agreement with the front end's literal decoding ---------------------------

front_end = pytest.importorskip("tabellion.lang.literals")


@given(st.text())
def test_printed_text_reads_back_through_the_front_end(text):
    assert front_end.parse_text(format_text(text)) == text


@given(st.integers(0, 10**30), st.sampled_from(["EUR", "JPY", "KWD", "BTC", "USD"]))
def test_printed_money_reads_back_through_the_front_end(units, currency):
    amount, code = str(Money(units, currency)).split()
    assert front_end.parse_money(amount, code) == units


@given(st.integers(0, 10**12))
def test_printed_calendar_values_read_back_through_the_front_end(number):
    assert front_end.parse_duration(str(values.Duration(number))) == number
    date = values.Date(number % 2_900_000 - 719_162)
    assert front_end.parse_date(str(date)) == date.days
    time = values.Time(number * 997 % (250_000 * 86_400))
    assert front_end.parse_time(str(time)) == time.seconds


@given(st.integers(0, 10**9), st.integers(0, 6))
def test_printed_rates_read_back_through_the_front_end(numerator, decimals):
    rate = values.Rate.percent(numerator, 10**decimals)
    assert front_end.parse_rate(str(rate).removesuffix("%")) == rate.value
