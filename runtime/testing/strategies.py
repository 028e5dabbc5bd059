"""Hypothesis strategies for Tabellion values, one per type, and `from_type` for any `lang.types` type.

Every strategy shrinks toward the value a reader finds simplest: zero amounts,
0%, the development chain's first day, `0s`, the first party of the pool, `"a"`,
the first member of an enum, empty collections.

Default ranges are the ones contracts meet in practice, not the whole domain:
Money from 0 to 1_000_000_000 in the currency's major unit (negative amounts
only when `min_value` says so), Rates from 0% to 100% in hundredths of a percent,
Dates and Times from a year before to three years after the development chain's
genesis (2026-01-01), Durations from `0s` to a year in whole minutes. Texts come
mostly from a small vocabulary (`"a"`, `"b"`, `"c"`) so that two draws often
agree, as a flight number bought and then reported must.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from tabellion.lang.types import (
    BoolT, ContractT, DateT, DurationT, EnumT, IntT, ListT, MapT, MoneyT, PartyT, RateT, RecordT, TextT,
    TimeT, Type,
)

from ..ledger import GENESIS_TIME
from ..numeric import Money, Rate, minor_digits, parse_money, parse_rate
from ..temporal import DAY, MINUTE, Date, Duration, Time, parse_date, parse_duration, parse_time, time_to_date
from ..values import EnumValue, Party, make_enum_members

__all__ = [
    "DEFAULT_PARTIES", "TEXT_VOCABULARY", "money", "rates", "dates", "times", "durations", "texts", "ints",
    "parties", "enum_members", "records", "from_type", "Unsupported",
]

DEFAULT_PARTIES = ("alice", "bob", "carol", "eve")
TEXT_VOCABULARY = ("a", "b", "c")
GENESIS_DATE = time_to_date(GENESIS_TIME)
_MAJOR_MAX = 10**9
_INT_SMALL = (0, 10)
_INT_RANGE = (-(10**9), 10**9)
_COMMON_DURATIONS = tuple(map(parse_duration, ("1m", "1h", "2h", "3h", "1d", "7d", "30d", "90d", "365d")))


class Unsupported(TypeError):
    """A type no strategy can produce values of (a deployed contract)."""


def _as_money(value, currency: str, argument: str) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, str):
        text = value.strip()
        return parse_money(text) if " " in text else parse_money(text, currency)
    raise TypeError(f"{argument} must be Money or an amount like '100 EUR', not {value!r}")


def money(currency: str = "EUR", min_value=None, max_value=None) -> st.SearchStrategy[Money]:
    """Amounts in `currency` between `min_value` and `max_value` (Money or text like `"100 EUR"`)."""
    digits = minor_digits(currency)
    low = _as_money(min_value, currency, "min_value").units if min_value is not None else 0
    high = _as_money(max_value, currency, "max_value").units if max_value is not None else _MAJOR_MAX * 10**digits
    for bound in (min_value, max_value):
        if isinstance(bound, Money) and bound.currency != currency:
            raise ValueError(f"money(): the bound {bound} is not in {currency}")
    if low > high:
        raise ValueError(f"money(): min_value {Money(low, currency)} is above max_value {Money(high, currency)}")
    return st.integers(low, high).map(lambda units: Money(units, currency))


def rates(min_value="0%", max_value="100%", places: int = 2) -> st.SearchStrategy[Rate]:
    """Rates in steps of 10**-places percent (`places=2`: 0.01%) from `min_value` to `max_value`."""
    low = min_value if isinstance(min_value, Rate) else parse_rate(str(min_value))
    high = max_value if isinstance(max_value, Rate) else parse_rate(str(max_value))
    scale = 100 * 10**places
    first, last = -((-low.value * scale) // 1), (high.value * scale) // 1
    if first > last:
        raise ValueError(f"rates(): no rate between {low} and {high} in steps of 10**-{places}%")
    return st.integers(int(first), int(last)).map(lambda n: Rate.of(Fraction(n, scale)))


def _as_date(value) -> Date:
    return value if isinstance(value, Date) else parse_date(str(value))


def dates(min_value=None, max_value=None) -> st.SearchStrategy[Date]:
    """Dates from `min_value` to `max_value`; by default around the development chain's genesis."""
    low = _as_date(min_value) if min_value is not None else Date(GENESIS_DATE.days - 365)
    high = _as_date(max_value) if max_value is not None else Date(GENESIS_DATE.days + 3 * 365)
    # shrink toward genesis, not toward the lower bound
    anchor = min(max(GENESIS_DATE.days, low.days), high.days)
    return st.integers(low.days - anchor, high.days - anchor).map(lambda offset: Date(anchor + offset))


def times(min_value=None, max_value=None) -> st.SearchStrategy[Time]:
    """Times in whole minutes from `min_value` to `max_value`; by default around genesis."""
    low = (min_value if isinstance(min_value, Time) else parse_time(str(min_value))) if min_value is not None \
        else GENESIS_TIME - Duration(365 * DAY)
    high = (max_value if isinstance(max_value, Time) else parse_time(str(max_value))) if max_value is not None \
        else GENESIS_TIME + Duration(3 * 365 * DAY)
    anchor = min(max(GENESIS_TIME.seconds, low.seconds), high.seconds)
    first, last = -((anchor - low.seconds) // MINUTE), (high.seconds - anchor) // MINUTE
    return st.integers(first, last).map(lambda minutes: Time(anchor + minutes * MINUTE))


def durations(min_value="0s", max_value="365d") -> st.SearchStrategy[Duration]:
    """Durations in whole minutes, often a common one (`1h`, `2h`, `1d`, `30d`, ...)."""
    low = min_value if isinstance(min_value, Duration) else parse_duration(str(min_value))
    high = max_value if isinstance(max_value, Duration) else parse_duration(str(max_value))
    common = [d for d in _COMMON_DURATIONS if low <= d <= high]
    first, last = -((-low.seconds) // MINUTE), high.seconds // MINUTE
    anchor = min(max(0, first), last)
    minutes = st.integers(first - anchor, last - anchor).map(lambda m: Duration((anchor + m) * MINUTE))
    return st.one_of(minutes, st.sampled_from(common)) if common else minutes


def texts(vocabulary=TEXT_VOCABULARY, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text: mostly a word of `vocabulary`, sometimes any short text."""
    anything = st.text(st.characters(codec="utf-8"), max_size=max_size)
    return st.one_of(st.sampled_from(tuple(vocabulary)), anything) if vocabulary else anything


def ints(min_value: int | None = None, max_value: int | None = None) -> st.SearchStrategy[int]:
    """Ints: by default mostly 0 to 10 (ids, counts), sometimes up to a billion either way."""
    if min_value is not None or max_value is not None:
        return st.integers(min_value, max_value)
    return st.one_of(st.integers(*_INT_SMALL), st.integers(*_INT_RANGE))


def parties(pool=DEFAULT_PARTIES) -> st.SearchStrategy[Party]:
    """A party of `pool` (names or Party values), shrinking toward the first."""
    members = tuple(p if isinstance(p, Party) else Party(p) for p in pool)
    if not members:
        raise ValueError("parties(): the pool is empty")
    return st.sampled_from(members)


def enum_members(enum: EnumT) -> st.SearchStrategy[EnumValue]:
    return st.sampled_from(make_enum_members(enum.name, enum.members))


def records(record: RecordT, **options) -> st.SearchStrategy:
    """Values of a record type, each field drawn with `from_type(field type, **options)`."""
    from ..compiler import record_class_for

    cls = record_class_for(record)
    fields = [from_type(t, **options) for _, t in record.fields]
    return st.tuples(*fields).map(lambda values: cls(*values))


def from_type(t: Type, *, pool=DEFAULT_PARTIES, currency: str = "EUR", max_size: int = 4) -> st.SearchStrategy:
    """A strategy for values of the Tabellion type `t`.

    `pool` is the parties Party values come from; `currency` the currency of a
    `Money` whose type leaves it open; collections have at most `max_size` items.
    """
    options = {"pool": pool, "currency": currency, "max_size": max_size}
    if isinstance(t, IntT):
        return ints()
    if isinstance(t, BoolT):
        return st.booleans()
    if isinstance(t, TextT):
        return texts()
    if isinstance(t, MoneyT):
        return money(t.currency or currency)
    if isinstance(t, RateT):
        return rates()
    if isinstance(t, DateT):
        return dates()
    if isinstance(t, TimeT):
        return times()
    if isinstance(t, DurationT):
        return durations()
    if isinstance(t, PartyT):
        return parties(pool)
    if isinstance(t, EnumT):
        return enum_members(t)
    if isinstance(t, RecordT):
        return records(t, **options)
    if isinstance(t, ListT):
        return st.lists(from_type(t.item, **options), max_size=max_size)
    if isinstance(t, MapT):
        return st.dictionaries(from_type(t.key, **options), from_type(t.value, **options), max_size=max_size)
    if isinstance(t, ContractT):
        raise Unsupported(f"cannot generate a deployed {t.name}: deploy it in a scenario")
    raise Unsupported(f"cannot generate values of type {t}")
