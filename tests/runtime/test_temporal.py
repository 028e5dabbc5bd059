"""Date, Time and Duration: literals, printing, and arithmetic checked against datetime."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.errors import ArithmeticOverflow, DivisionByZero, InvalidArgument
from tabellion.runtime.numeric import INT_MAX, Rate
from tabellion.runtime.temporal import (
    DATE_MAX,
    DATE_MIN,
    DAY,
    HOUR,
    Date,
    Duration,
    Time,
    date_to_time,
    duration_days,
    duration_hours,
    duration_minutes,
    duration_ratio,
    duration_seconds,
    parse_date,
    parse_duration,
    parse_time,
    time_to_date,
)

EPOCH = datetime.datetime(1970, 1, 1)
dates = st.dates()
datetimes = st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59, 59))


def to_date(value):
    return parse_date(value.isoformat())


def to_time(value):
    return Time(int((value.replace(microsecond=0) - EPOCH).total_seconds()))


@pytest.mark.parametrize(
    "text, days",
    [("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2026-12-01", 20788), ("2024-02-29", 19782), ("0001-01-01", -719162)],
)
def test_parse_date(text, days):
    assert parse_date(text) == Date(days)
    assert str(Date(days)) == repr(Date(days)) == text


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-13-01", "has no month 13"),
        ("2026-00-10", "has no month 00"),
        ("2026-02-30", "2026-02-30 does not exist: February 2026 has 28 days"),
        ("2026-02-29", "February 2026 has 28 days"),
        ("2100-02-29", "February 2100 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-01-00", "January 2026 has 31 days"),
        ("0000-01-01", "years run from 0001 to 9999"),
        ("2026-1-01", "expected YYYY-MM-DD"),
        ("26-01-01", "expected YYYY-MM-DD"),
        ("2026-01-01T", "expected YYYY-MM-DD"),
    ],
)
def test_parse_date_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@pytest.mark.parametrize(
    "text, printed",
    [
        ("2026-12-01T10:30Z", "2026-12-01T10:30Z"),
        ("2026-12-01T10:30:15Z", "2026-12-01T10:30:15Z"),
        ("2026-12-01T10:30:00Z", "2026-12-01T10:30Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2026-01-01T00:00Z", "2026-01-01T00:00Z"),
    ],
)
def test_parse_time(text, printed):
    assert str(parse_time(text)) == printed
    assert parse_time(printed) == parse_time(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-12-01T10:30", "times are UTC and end in Z"),
        ("2026-12-01T24:00Z", "hours run to 23"),
        ("2026-12-01T10:60Z", "minutes and seconds to 59"),
        ("2026-12-01T10:30:60Z", "minutes and seconds to 59"),
        ("2026-02-30T10:30Z", "February 2026 has 28 days"),
        ("2026-12-01 10:30Z", "expected YYYY-MM-DDTHH:MMZ"),
        ("2026-12-01T10:30+01:00", "expected YYYY-MM-DDTHH:MMZ"),
        ("2026-12-01T1:30Z", "expected YYYY-MM-DDTHH:MMZ"),
    ],
)
def test_parse_time_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_time(text)


@pytest.mark.parametrize(
    "text, seconds, printed",
    [
        ("90d", 90 * DAY, "90d"),
        ("2h", 2 * HOUR, "2h"),
        ("15m", 900, "15m"),
        ("30s", 30, "30s"),
        ("2w", 14 * DAY, "2w"),
        ("14d", 14 * DAY, "2w"),
        ("5400s", 5400, "90m"),
        ("86401s", 86401, "86401s"),
        ("0d", 0, "0s"),
        ("-3h", -3 * HOUR, "-3h"),
        ("1000s", 1000, "1000s"),
        ("2h30m", 9000, "150m"),
        ("1d12h", 36 * HOUR, "36h"),
        ("1w1s", 604801, "604801s"),
    ],
)
def test_parse_duration(text, seconds, printed):
    assert parse_duration(text) == Duration(seconds)
    assert str(Duration(seconds)) == repr(Duration(seconds)) == printed
    assert parse_duration(printed) == Duration(seconds)


@pytest.mark.parametrize(
    "text, message",
    [
        ("5y", "the unit 'y': a duration takes w, d, h, m \\(minutes\\) or s"),
        ("5mo", "w, d, h, m \\(minutes\\) or s"),
        ("2h5y", "the unit 'y'"),
        ("5", "expected a number and a unit"),
        ("1_000s", "expected a number and a unit"),
        ("2h 30m", "expected a number and a unit"),
        ("1.5h", "expected a number and a unit"),
        ("h", "expected a number and a unit"),
        ("5 d", "expected a number and a unit"),
        ("5D", "expected a number and a unit"),
        (f"{2**255}s", "too long"),
    ],
)
def test_parse_duration_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_duration(text)


@given(dates)
def test_date_round_trips_and_matches_datetime(value):
    date = to_date(value)
    assert date.days == (value - datetime.date(1970, 1, 1)).days
    assert parse_date(str(date)) == date


@given(datetimes)
def test_time_round_trips_and_matches_datetime(value):
    time = to_time(value)
    assert parse_time(str(time)) == time
    seconds = f":{value.second:02d}" if value.second else ""
    assert str(time) == f"{value.date().isoformat()}T{value.hour:02d}:{value.minute:02d}{seconds}Z"
    assert time_to_date(time) == to_date(value.date())


@given(st.integers(-(10**30), 10**30))
def test_duration_round_trips(seconds):
    assert parse_duration(str(Duration(seconds))) == Duration(seconds)


@given(dates, st.integers(-(10**6), 10**6))
def test_date_plus_days_matches_datetime(value, days):
    date = to_date(value)
    try:
        expected = value + datetime.timedelta(days=days)
    except OverflowError:
        with pytest.raises(ArithmeticOverflow):
            date + Duration(days * DAY)
        return
    assert date + Duration(days * DAY) == Duration(days * DAY) + date == to_date(expected)
    assert to_date(expected) - Duration(days * DAY) == date
    assert to_date(expected) - date == Duration(days * DAY)


@given(datetimes, st.integers(-(10**10), 10**10))
def test_time_arithmetic_matches_datetime(value, seconds):
    time = to_time(value)
    try:
        expected = value + datetime.timedelta(seconds=seconds)
    except OverflowError:
        with pytest.raises(ArithmeticOverflow):
            time + Duration(seconds)
        return
    assert time + Duration(seconds) == to_time(expected)
    assert to_time(expected) - Duration(seconds) == time
    assert to_time(expected) - time == Duration(seconds)


def test_date_moves_by_whole_days_only():
    with pytest.raises(InvalidArgument, match="whole number of days"):
        parse_date("2026-12-01") + parse_duration("2h")
    with pytest.raises(InvalidArgument):
        parse_date("2026-12-01") - parse_duration("25h")
    assert parse_date("2026-12-01") + parse_duration("2w") == parse_date("2026-12-15")


def test_calendar_limits_overflow():
    assert DATE_MAX == parse_date("9999-12-31") and DATE_MIN == parse_date("0001-01-01")
    with pytest.raises(ArithmeticOverflow):
        DATE_MAX + parse_duration("1d")
    with pytest.raises(ArithmeticOverflow):
        DATE_MIN - parse_duration("1d")
    with pytest.raises(ArithmeticOverflow):
        parse_time("9999-12-31T23:59:59Z") + parse_duration("1s")
    with pytest.raises(ArithmeticOverflow):
        Duration(INT_MAX) + Duration(1)
    with pytest.raises(ArithmeticOverflow):
        Duration(INT_MAX) * 2


def test_conversions():
    day = parse_date("2026-12-01")
    assert date_to_time(day) == parse_time("2026-12-01T00:00Z")
    assert time_to_date(parse_time("2026-12-01T23:59:59Z")) == day
    assert time_to_date(parse_time("1969-12-31T23:59Z")) == parse_date("1969-12-31")


def test_duration_arithmetic():
    hour, day = parse_duration("1h"), parse_duration("1d")
    assert day - hour == parse_duration("23h") and -hour == parse_duration("-1h")
    assert hour * 3 == 3 * hour == parse_duration("3h")
    assert parse_duration("7h") / 2 == parse_duration("12600s")
    assert parse_duration("-7s") / 2 == parse_duration("-3s")
    assert parse_duration("100d") / parse_duration("30d") == 3
    assert parse_duration("-100d") / parse_duration("30d") == -3
    assert parse_duration("100d") % parse_duration("30d") == parse_duration("10d")
    assert parse_duration("7s") % 2 == parse_duration("1s")
    assert duration_ratio(parse_duration("45d"), parse_duration("90d")) == Rate.percent(50)
    assert hour < day <= day and day > hour >= hour
    for operation in (lambda: hour / 0, lambda: hour / Duration(0), lambda: hour % Duration(0),
                      lambda: duration_ratio(hour, Duration(0))):
        with pytest.raises(DivisionByZero):
            operation()


@pytest.mark.parametrize(
    "seconds, days, hours, minutes",
    [(90 * 60, 0, 1, 90), (-1, -1, -1, -1), (DAY, 1, 24, 1440), (0, 0, 0, 0), (-DAY - 1, -2, -25, -1441)],
)
def test_duration_accessors_floor(seconds, days, hours, minutes):
    duration = Duration(seconds)
    assert duration_days(duration) == days
    assert duration_hours(duration) == hours
    assert duration_minutes(duration) == minutes
    assert duration_seconds(duration) == seconds


def test_calendar_values_order_and_hash():
    early, late = parse_date("2026-01-01"), parse_date("2026-12-01")
    assert early < late <= late and late > early >= early
    assert sorted([late, early]) == [early, late]
    assert {early: 1}[parse_date("2026-01-01")] == 1
    assert Date(5) != Duration(5) and Time(5) != Duration(5)
    with pytest.raises(TypeError):
        Date(1) < Time(1)
    assert Rate.of(Fraction(1, 2)) == duration_ratio(Duration(1), Duration(2))
