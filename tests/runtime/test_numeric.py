"""Int, Money and Rate: arithmetic, rounding, literals, and the errors they raise."""

import math
import pickle
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.errors import (
    ArithmeticOverflow,
    CurrencyMismatch,
    DivisionByZero,
    InvalidArgument,
    OutOfGas,
    PermissionDenied,
    RequireFailed,
    Revert,
    TabellionError,
)
from tabellion.runtime.numeric import (
    INT_MAX,
    INT_MIN,
    Money,
    Rate,
    check_int,
    int_div,
    int_mod,
    minor_digits,
    parse_int,
    parse_money,
    parse_rate,
    sum_money,
    zero_money,
)

ints = st.integers(INT_MIN, INT_MAX)
small = st.integers(-(10**12), 10**12)
nonzero = small.filter(bool)


def eur(text):
    return parse_money(text, "EUR")


# --- errors -------------------------------------------------------------------


def test_revert_carries_reason_and_span():
    error = RequireFailed("insurance pool exhausted")
    assert isinstance(error, Revert) and isinstance(error, TabellionError)
    assert error.reason == str(error) == "insurance pool exhausted"
    assert error.span is None
    error.span = ("film.sc", 12, 9)
    assert pickle.loads(pickle.dumps(error)).span == ("film.sc", 12, 9)


def test_default_reasons_and_categories():
    assert PermissionDenied().reason == "permission denied"
    assert DivisionByZero().reason == "division by zero"
    assert not isinstance(OutOfGas(), Revert)
    assert OutOfGas().reason == "out of gas"
    assert issubclass(InvalidArgument, Revert) and issubclass(InvalidArgument, ValueError)


# --- Int ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, quotient, remainder",
    [(7, 2, 3, 1), (-7, 2, -3, -1), (7, -2, -3, 1), (-7, -2, 3, -1), (6, 3, 2, 0), (-1, 2, 0, -1), (0, -5, 0, 0)],
)
def test_int_division_rounds_toward_zero(a, b, quotient, remainder):
    assert int_div(a, b) == quotient
    assert int_mod(a, b) == remainder


@given(ints, ints.filter(bool))
def test_int_division_matches_c(a, b):
    quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    if quotient > INT_MAX:
        with pytest.raises(ArithmeticOverflow):
            int_div(a, b)
        return
    assert int_div(a, b) == quotient
    remainder = int_mod(a, b)
    assert a == quotient * b + remainder
    assert abs(remainder) < abs(b) and (remainder == 0 or (remainder < 0) == (a < 0))


def test_int_division_by_zero_and_overflow():
    with pytest.raises(DivisionByZero):
        int_div(1, 0)
    with pytest.raises(DivisionByZero):
        int_mod(1, 0)
    with pytest.raises(ArithmeticOverflow):
        int_div(INT_MIN, -1)
    assert int_mod(INT_MIN, -1) == 0


def test_check_int_bounds():
    assert check_int(INT_MAX) == INT_MAX and check_int(INT_MIN) == INT_MIN
    for value in (INT_MAX + 1, INT_MIN - 1):
        with pytest.raises(ArithmeticOverflow):
            check_int(value)


@pytest.mark.parametrize("text, value", [("0", 0), ("1_000", 1000), ("-5", -5), ("007", 7)])
def test_parse_int(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["", "1__0", "_1", "1_", "1.0", "1e3", str(2**255)])
def test_parse_int_refuses(text):
    with pytest.raises(ValueError):
        parse_int(text)


# --- Money --------------------------------------------------------------------


def test_money_arithmetic():
    assert eur("10.50") + eur("0.75") == eur("11.25")
    assert eur("10") - eur("10.01") == eur("-0.01")
    assert -eur("3") == eur("-3")
    assert eur("1.25") * 4 == 4 * eur("1.25") == eur("5")
    assert eur("10") / 3 == eur("3.33") and eur("10") % 3 == eur("0.01")
    assert eur("-10") / 3 == eur("-3.33") and eur("-10") % 3 == eur("-0.01")
    assert eur("1") / eur("4") == Rate.percent(25)
    assert sum_money([eur("1"), eur("2")], "EUR") == eur("3")
    assert sum_money([], "USD") == zero_money("USD") == Money(0, "USD")


@pytest.mark.parametrize(
    "amount, percent, expected",
    [("0.99", "15", "0.14"), ("-0.99", "15", "-0.15"), ("100", "2.5", "2.50"), ("0.01", "50", "0.00"), ("-0.01", "50", "-0.01")],
)
def test_money_times_rate_floors(amount, percent, expected):
    assert eur(amount) * parse_rate(percent) == eur(expected)
    assert parse_rate(percent) * eur(amount) == eur(expected)


@given(small, st.fractions(min_value=-10, max_value=10, max_denominator=10**6))
def test_money_times_rate_is_the_floor(units, fraction):
    assert (Money(units, "EUR") * Rate.of(fraction)).units == math.floor(units * fraction)


def test_currencies_do_not_mix():
    usd = Money(100, "USD")
    for operation in (
        lambda: eur("1") + usd,
        lambda: eur("1") - usd,
        lambda: eur("1") < usd,
        lambda: eur("1") >= usd,
        lambda: eur("1") / usd,
    ):
        with pytest.raises(CurrencyMismatch):
            operation()
    assert eur("1") != usd and Money(100, "EUR") != usd


def test_money_orders_within_a_currency():
    assert eur("1") < eur("2") <= eur("2") and eur("3") > eur("2") >= eur("2")
    assert sorted([eur("3"), eur("-1"), eur("2")]) == [eur("-1"), eur("2"), eur("3")]
    assert len({eur("1"), Money(100, "EUR"), Money(100, "USD")}) == 2


def test_money_division_by_zero_and_overflow():
    with pytest.raises(DivisionByZero):
        eur("1") / 0
    with pytest.raises(DivisionByZero):
        eur("1") % 0
    with pytest.raises(DivisionByZero):
        eur("1") / eur("0")
    top = Money(INT_MAX, "EUR")
    for operation in (lambda: top + Money(1, "EUR"), lambda: top * 2, lambda: -Money(INT_MIN, "EUR"),
                      lambda: Money(INT_MIN, "EUR") - Money(1, "EUR"), lambda: top * Rate.percent(200)):
        with pytest.raises(ArithmeticOverflow):
            operation()


@pytest.mark.parametrize(
    "money, text",
    [
        (Money(125050, "EUR"), "1_250.50 EUR"),
        (Money(-5, "EUR"), "-0.05 EUR"),
        (Money(0, "USD"), "0.00 USD"),
        (Money(100000000, "GBP"), "1_000_000.00 GBP"),
        (Money(1000, "JPY"), "1_000 JPY"),
        (Money(1500, "KWD"), "1.500 KWD"),
        (Money(7, "XYZ"), "0.07 XYZ"),
    ],
)
def test_money_prints_as_a_literal(money, text):
    assert str(money) == repr(money) == text
    assert parse_money(text) == money


def test_parse_money_forms():
    assert parse_money("1_250.50", "EUR") == parse_money("1_250.50 EUR") == Money(125050, "EUR")
    assert parse_money("1_250.5 EUR") == Money(125050, "EUR")
    assert parse_money("20 EUR") == Money(2000, "EUR")
    assert parse_money("7", "JPY") == Money(7, "JPY")
    assert minor_digits("KWD") == 3 and minor_digits("JPY") == 0 and minor_digits("ABC") == 2


@pytest.mark.parametrize(
    "text, currency, message",
    [
        ("1.234", "EUR", "1.234 EUR has 3 decimal places, but EUR allows 2 decimal places"),
        ("1.5", "JPY", "1.5 JPY has 1 decimal place, but JPY allows none"),
        ("1", "eur", "'eur' is not a currency code"),
        ("1", "EURO", "'EURO' is not a currency code"),
        ("1,50", "EUR", "'1,50' is not an amount"),
        ("1.", "EUR", "'1.' is not an amount"),
        (".5", "EUR", "'.5' is not an amount"),
        ("1__000", "EUR", "is not an amount"),
        ("1e3", "EUR", "is not an amount"),
        ("12EUR", None, "expected a number and a currency"),
        ("12", None, "expected a number and a currency"),
        (f"{2**255}", "EUR", "is too large"),
    ],
)
def test_parse_money_refuses(text, currency, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_money(text, currency)


@given(ints, st.sampled_from(["EUR", "JPY", "KWD", "CLF", "XYZ"]))
def test_money_round_trips(units, currency):
    money = Money(units, currency)
    assert parse_money(str(money)) == money


# --- Rate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, printed",
    [
        ("15", Fraction(15, 100), "15%"),
        ("2.5%", Fraction(25, 1000), "2.5%"),
        ("0.125", Fraction(1, 800), "0.125%"),
        ("100", Fraction(1), "100%"),
        ("120%", Fraction(6, 5), "120%"),
        ("0", Fraction(0), "0%"),
        ("-3", Fraction(-3, 100), "-3%"),
        ("1_500", Fraction(15), "1_500%"),
        ("2.50", Fraction(1, 40), "2.5%"),
    ],
)
def test_rate_literals(text, value, printed):
    rate = parse_rate(text)
    assert rate.value == value
    assert str(rate) == repr(rate) == printed
    assert parse_rate(printed) == rate


@pytest.mark.parametrize(
    "value, printed",
    [
        (Fraction(1, 3), "100% / 3"),
        (Fraction(1, 12), "25% / 3"),
        (Fraction(-2, 7), "-200% / 7"),
        (Fraction(1000, 3), "100_000% / 3"),
        (Fraction(1, 2**30), "25% / 268435456"),
        (Fraction(1, 10**8), "0.000001%"),
    ],
)
def test_rate_without_a_short_percent_prints_as_an_exact_division(value, printed):
    assert str(Rate.of(value)) == printed


@given(st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6))
def test_every_rate_prints_as_an_exact_expression(value):
    text = str(Rate.of(value))
    percent, _, divisor = text.partition(" / ")
    assert parse_rate(percent).value / int(divisor or 1) == value


@pytest.mark.parametrize("text", ["", "%", "15 %", "1.5.5", "abc", "1/3", "100% / 3"])
def test_parse_rate_refuses(text):
    with pytest.raises(ValueError):
        parse_rate(text)


@given(st.integers(-(10**20), 10**20), st.integers(0, 6))
def test_rate_round_trips(numerator, decimals):
    rate = Rate.of(Fraction(numerator, 10**decimals * 100))
    assert parse_rate(str(rate)) == rate


def test_rate_arithmetic():
    fifteen, five = Rate.percent(15), Rate.percent(5)
    assert fifteen + five == Rate.percent(20) and fifteen - five == Rate.percent(10)
    assert fifteen * five == Rate.percent(75, 100) and fifteen * 2 == 2 * fifteen == Rate.percent(30)
    assert fifteen / five == Rate.of(3) and fifteen / 3 == five and -five == Rate.percent(-5)
    assert five < fifteen <= fifteen and fifteen > five >= five
    assert sorted([fifteen, five]) == [five, fifteen]
    with pytest.raises(DivisionByZero):
        fifteen / 0
    with pytest.raises(DivisionByZero):
        fifteen / Rate.of(0)


def test_rate_parts_stay_bounded():
    with pytest.raises(ArithmeticOverflow):
        Rate.of(Fraction(1, 2**200)) * Rate.of(Fraction(1, 2**200))
    with pytest.raises(ArithmeticOverflow):
        Rate.of(2**255)
