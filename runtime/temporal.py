"""Date, Time and Duration: Tabellion's calendar values, their arithmetic and literals.

All three are integers underneath, in UTC and the proleptic Gregorian calendar:

- Date: days since 1970-01-01, printed `2026-12-01`; years 0001 to 9999.
- Time: seconds since 1970-01-01T00:00Z, printed `2026-12-01T10:30Z`, with `:SS`
  only when the seconds are not zero; same years as Date. Times are always UTC
  (the literal ends in `Z`) and there are no leap seconds, so every run agrees.
- Duration: a signed number of seconds, bounded like an Int. Literals take one
  or more units: `2w`, `90d`, `2h`, `15m` (minutes: months and years are not fixed
  lengths, so they are not Durations), `30s`, `2h30m`. A Duration prints in the
  one largest unit that divides it exactly (`14d` prints `2w`, `2h30m` prints
  `150m`) and zero prints `0s`.

Arithmetic: `Date + Duration` and `Date - Duration` need a whole number of days
(else InvalidArgument: a Date has no time of day to absorb the rest; convert with
`date_to_time` first); `Date - Date` and `Time - Time` are Durations;
`Time +/- Duration` is a Time; Durations add, subtract, negate and multiply by an
Int. `Duration / Int` rounds toward zero; `Duration / Duration` is an Int, the
number of whole periods rounded toward zero (so `elapsed / 30d` counts whole
30-day periods) and `Duration % Duration` is what is left over; use
`duration_ratio` for the exact Rate. A result outside the years 0001-9999 or the
Int range raises ArithmeticOverflow. `duration_days` and friends floor toward
negative infinity; `time_to_date` is the date a Time falls on, `date_to_time` its
midnight.
"""

import calendar
import datetime
import re

import attrs

from tabellion.runtime.errors import ArithmeticOverflow, DivisionByZero, InvalidArgument
from tabellion.runtime.numeric import INT_MAX, INT_MIN, Rate, int_div, int_mod

__all__ = [
    "SECOND",
    "MINUTE",
    "HOUR",
    "DAY",
    "WEEK",
    "DATE_MIN",
    "DATE_MAX",
    "Date",
    "Time",
    "Duration",
    "date_to_time",
    "time_to_date",
    "duration_days",
    "duration_hours",
    "duration_minutes",
    "duration_seconds",
    "duration_ratio",
    "parse_date",
    "parse_time",
    "parse_duration",
]

SECOND = 1
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_DAYS_MIN = datetime.date.min.toordinal() - _EPOCH_ORDINAL
_DAYS_MAX = datetime.date.max.toordinal() - _EPOCH_ORDINAL
_SECONDS_MIN = _DAYS_MIN * DAY
_SECONDS_MAX = _DAYS_MAX * DAY + DAY - 1

_UNITS = (("w", WEEK), ("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", SECOND))
_UNIT_SECONDS = dict(_UNITS)

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z?)\Z")
_DURATION = re.compile(r"(-?)((?:[0-9]+[a-z]+)+)\Z")
_DURATION_PART = re.compile(r"([0-9]+)([a-z]+)")


def _date_overflow():
    return ArithmeticOverflow("arithmetic overflow: date outside the years 0001 to 9999")


def _time_overflow():
    return ArithmeticOverflow("arithmetic overflow: time outside the years 0001 to 9999")


def _duration_overflow():
    return ArithmeticOverflow("arithmetic overflow: duration does not fit in 256 bits")


def _whole_days(duration):
    days, rest = divmod(duration.seconds, DAY)
    if rest:
        raise InvalidArgument(
            f"a Date moves by whole days only, and {duration} is not a whole number of days"
        )
    return days


@attrs.frozen(slots=True, order=False, repr=False)
class Duration:
    """A length of time in seconds; negative when it runs backward."""

    seconds: int

    def __lt__(self, other):
        return self.seconds < other.seconds if type(other) is Duration else NotImplemented

    def __le__(self, other):
        return self.seconds <= other.seconds if type(other) is Duration else NotImplemented

    def __gt__(self, other):
        return self.seconds > other.seconds if type(other) is Duration else NotImplemented

    def __ge__(self, other):
        return self.seconds >= other.seconds if type(other) is Duration else NotImplemented

    def __add__(self, other):
        if type(other) is Duration:
            return _duration(self.seconds + other.seconds)
        if type(other) is Date or type(other) is Time:
            return other + self
        return NotImplemented

    def __sub__(self, other):
        if type(other) is Duration:
            return _duration(self.seconds - other.seconds)
        return NotImplemented

    def __neg__(self):
        return _duration(-self.seconds)

    def __mul__(self, other):
        if type(other) is int:
            return _duration(self.seconds * other)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other):
        """Duration / Int is a Duration, Duration / Duration an Int; both toward zero."""
        if type(other) is int:
            return _new_duration(int_div(self.seconds, other))
        if type(other) is Duration:
            return int_div(self.seconds, other.seconds)
        return NotImplemented

    def __mod__(self, other):
        if type(other) is int:
            return _new_duration(int_mod(self.seconds, other))
        if type(other) is Duration:
            return _new_duration(int_mod(self.seconds, other.seconds))
        return NotImplemented

    def __str__(self):
        seconds = self.seconds
        if not seconds:
            return "0s"
        for unit, size in _UNITS:
            if seconds % size == 0:
                return f"{seconds // size}{unit}"
        raise AssertionError("unreachable: every duration is whole seconds")

    __repr__ = __str__


def _duration(seconds):
    if INT_MIN <= seconds <= INT_MAX:
        return _new_duration(seconds)
    raise _duration_overflow()


@attrs.frozen(slots=True, order=False, repr=False)
class Date:
    """A calendar day, as days since 1970-01-01."""

    days: int

    def __lt__(self, other):
        return self.days < other.days if type(other) is Date else NotImplemented

    def __le__(self, other):
        return self.days <= other.days if type(other) is Date else NotImplemented

    def __gt__(self, other):
        return self.days > other.days if type(other) is Date else NotImplemented

    def __ge__(self, other):
        return self.days >= other.days if type(other) is Date else NotImplemented

    def __add__(self, other):
        if type(other) is not Duration:
            return NotImplemented
        days = self.days + _whole_days(other)
        if _DAYS_MIN <= days <= _DAYS_MAX:
            return _new_date(days)
        raise _date_overflow()

    __radd__ = __add__

    def __sub__(self, other):
        """Date - Date is the Duration between them; Date - Duration an earlier Date."""
        if type(other) is Date:
            return _new_duration((self.days - other.days) * DAY)
        if type(other) is Duration:
            days = self.days - _whole_days(other)
            if _DAYS_MIN <= days <= _DAYS_MAX:
                return _new_date(days)
            raise _date_overflow()
        return NotImplemented

    def __str__(self):
        return datetime.date.fromordinal(self.days + _EPOCH_ORDINAL).isoformat()

    __repr__ = __str__


@attrs.frozen(slots=True, order=False, repr=False)
class Time:
    """An instant, as seconds since 1970-01-01T00:00Z."""

    seconds: int

    def __lt__(self, other):
        return self.seconds < other.seconds if type(other) is Time else NotImplemented

    def __le__(self, other):
        return self.seconds <= other.seconds if type(other) is Time else NotImplemented

    def __gt__(self, other):
        return self.seconds > other.seconds if type(other) is Time else NotImplemented

    def __ge__(self, other):
        return self.seconds >= other.seconds if type(other) is Time else NotImplemented

    def __add__(self, other):
        if type(other) is not Duration:
            return NotImplemented
        seconds = self.seconds + other.seconds
        if _SECONDS_MIN <= seconds <= _SECONDS_MAX:
            return _new_time(seconds)
        raise _time_overflow()

    __radd__ = __add__

    def __sub__(self, other):
        """Time - Time is the Duration between them; Time - Duration an earlier Time."""
        if type(other) is Time:
            return _new_duration(self.seconds - other.seconds)
        if type(other) is Duration:
            seconds = self.seconds - other.seconds
            if _SECONDS_MIN <= seconds <= _SECONDS_MAX:
                return _new_time(seconds)
            raise _time_overflow()
        return NotImplemented

    def __str__(self):
        days, rest = divmod(self.seconds, DAY)
        hours, rest = divmod(rest, HOUR)
        minutes, seconds = divmod(rest, MINUTE)
        clock = f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
        return f"{_new_date(days)}T{clock}Z"

    __repr__ = __str__


def _fast_constructor(cls, field):
    """Build `cls` through its slot descriptor, skipping attrs' frozen-instance guard.

    About twice as fast as `cls(value)`; these values sit in the hot loops of contracts.
    """
    new_object = object.__new__
    set_field = cls.__dict__[field].__set__

    def construct(value):
        instance = new_object(cls)
        set_field(instance, value)
        return instance

    return construct


_new_duration = _fast_constructor(Duration, "seconds")
_new_date = _fast_constructor(Date, "days")
_new_time = _fast_constructor(Time, "seconds")

DATE_MIN = Date(_DAYS_MIN)
DATE_MAX = Date(_DAYS_MAX)


def date_to_time(date):
    """Midnight UTC at the start of `date`."""
    return _new_time(date.days * DAY)


def time_to_date(time):
    """The UTC calendar day `time` falls on."""
    return _new_date(time.seconds // DAY)


def duration_days(duration):
    """Whole days in `duration`, floored toward negative infinity."""
    return duration.seconds // DAY


def duration_hours(duration):
    """Whole hours in `duration`, floored toward negative infinity."""
    return duration.seconds // HOUR


def duration_minutes(duration):
    """Whole minutes in `duration`, floored toward negative infinity."""
    return duration.seconds // MINUTE


def duration_seconds(duration):
    """The seconds in `duration`."""
    return duration.seconds


def duration_ratio(duration, period):
    """The exact Rate `duration / period`, for pro rata by time."""
    if not period.seconds:
        raise DivisionByZero()
    return Rate.of(duration.seconds) / period.seconds


def _date_days(text, year, month, day):
    if not 1 <= year:
        raise ValueError(f"{text} is out of range: years run from 0001 to 9999")
    if not 1 <= month <= 12:
        raise ValueError(f"{text} has no month {month:02d}: months run from 01 to 12")
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        name = calendar.month_name[month]
        raise ValueError(f"{text} does not exist: {name} {year} has {length} days")
    return datetime.date(year, month, day).toordinal() - _EPOCH_ORDINAL


def parse_date(text):
    """The Date written `text` (`2026-12-01`); ValueError naming what is wrong."""
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date: expected YYYY-MM-DD, as in 2026-12-01")
    year, month, day = (int(part) for part in match.groups())
    return Date(_date_days(text, year, month, day))


def parse_time(text):
    """The Time written `text` (`2026-12-01T10:30Z` or `...T10:30:15Z`), in UTC."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a time: expected YYYY-MM-DDTHH:MMZ, as in 2026-12-01T10:30Z"
        )
    day_text, hours, minutes, seconds, zulu = match.groups()
    if not zulu:
        raise ValueError(f"{text} has no time zone: times are UTC and end in Z, as in {text}Z")
    hours, minutes, seconds = int(hours), int(minutes), int(seconds or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"{text} is not a time of day: hours run to 23, minutes and seconds to 59")
    days = parse_date(day_text).days
    return Time(days * DAY + hours * HOUR + minutes * MINUTE + seconds)


def parse_duration(text):
    """The Duration written `text`: whole numbers with units, `90d`, `2h30m`, `-15m`."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration: expected a number and a unit, as in 90d or 2h30m"
        )
    sign, body = match.groups()
    seconds = 0
    for number, unit in _DURATION_PART.findall(body):
        if unit not in _UNIT_SECONDS:
            raise ValueError(
                f"{text} has the unit {unit!r}: a duration takes w, d, h, m (minutes) or s"
            )
        seconds += int(number) * _UNIT_SECONDS[unit]
    seconds = -seconds if sign else seconds
    if not INT_MIN <= seconds <= INT_MAX:
        raise ValueError(f"{text} is too long: a duration's seconds must fit in 256 bits")
    return Duration(seconds)
