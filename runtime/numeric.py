"""Int, Money and Rate: Tabellion's numbers, their arithmetic and their literals.

Decisions, each observable from a contract:

- Int is a plain Python int kept in the signed 256-bit range [INT_MIN, INT_MAX];
  generated code wraps every result that can grow in `check_int`. `/` and `%` are
  `int_div` and `int_mod`: the quotient rounds toward zero and the remainder has the
  sign of the dividend (as in C), so `a == int_div(a, b) * b + int_mod(a, b)`.
- Money is an integer count of minor units and a currency code. Every operation
  that can grow the units checks they stay in the Int range (ArithmeticOverflow).
  Mixing currencies in `+`, `-`, comparisons and `Money / Money` raises
  CurrencyMismatch; `==` between currencies is simply false, so that Money stays an
  ordinary hashable value.
- `Money * Int` is exact; `Money / Int` rounds toward zero and `Money % Int` is the
  matching remainder; `Money / Money` is an exact Rate.
- `Money * Rate` is floored to the minor unit, toward negative infinity: a fee of
  15% on 0.99 EUR is 0.14 EUR, and 15% of -0.99 EUR is -0.15 EUR. Flooring never
  pays out a fraction of a cent that was not received.
- Rate is an exact fraction; its numerator and denominator stay within the Int
  range, so no loop can grow one without bound.
- Printing: Money always shows every minor digit, with `_` between thousands
  (`1_250.50 EUR`, `1_000 JPY`), so the text reads back as the same literal. A Rate
  prints as a percent when that takes at most six decimals (`15%`, `2.5%`,
  `0.125%`); otherwise, having no literal, as the exact Rate expression
  `P% / Q` with the percent P/Q reduced: one third prints `100% / 3`, one twelfth
  `25% / 3`. Negative amounts and rates print with a leading `-`, which reads back
  as unary minus.

Currency codes are three capital letters. MINOR_DIGITS lists the ISO 4217 codes
whose minor unit is not the cents of most currencies (and BTC, 8); any other code
has 2. It must agree with the front end's table in tabellion.lang.literals.
"""

import re
from fractions import Fraction

import attrs

from tabellion.runtime.errors import ArithmeticOverflow, CurrencyMismatch, DivisionByZero

__all__ = [
    "INT_MIN",
    "INT_MAX",
    "check_int",
    "int_div",
    "int_mod",
    "MINOR_DIGITS",
    "DEFAULT_MINOR_DIGITS",
    "minor_digits",
    "Money",
    "zero_money",
    "sum_money",
    "Rate",
    "parse_int",
    "parse_money",
    "parse_rate",
    "format_decimal",
]

INT_MIN = -(2**255)
INT_MAX = 2**255 - 1

DEFAULT_MINOR_DIGITS = 2
MINOR_DIGITS = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "CNY": 2, "INR": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "PYG": 0, "UGX": 0, "XOF": 0,
    "XAF": 0, "XPF": 0, "RWF": 0, "GNF": 0, "KMF": 0, "DJF": 0, "BIF": 0, "VUV": 0,
    "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "IQD": 3, "LYD": 3, "TND": 3,
    "CLF": 4, "UYW": 4, "BTC": 8,
}  # fmt: skip

# Percent decimals beyond which a Rate prints as `P% / Q` instead.
RATE_PERCENT_DECIMALS = 6

_CURRENCY_CODE = re.compile(r"[A-Z]{3}\Z")
_DECIMAL = re.compile(r"(-?)([0-9]+(?:_[0-9]+)*)(?:\.([0-9]+))?\Z")
_INTEGER = re.compile(r"-?[0-9]+(?:_[0-9]+)*\Z")


def check_int(value):
    """Return `value` if it fits in a 256-bit signed Int, else raise ArithmeticOverflow."""
    if INT_MIN <= value <= INT_MAX:
        return value
    raise ArithmeticOverflow("arithmetic overflow: result does not fit in a 256-bit Int")


def int_div(a, b):
    """Divide rounding toward zero, as Tabellion's Int `/` does."""
    if not b:
        raise DivisionByZero()
    quotient = a // b
    if quotient < 0 and quotient * b != a:
        quotient += 1
    if quotient > INT_MAX:  # only INT_MIN / -1
        raise ArithmeticOverflow("arithmetic overflow: result does not fit in a 256-bit Int")
    return quotient


def int_mod(a, b):
    """The remainder matching `int_div`: it has the sign of the dividend."""
    if not b:
        raise DivisionByZero()
    remainder = a % b
    if remainder and (a < 0) != (b < 0):
        remainder -= b
    return remainder


def minor_digits(currency):
    """How many decimal places the minor unit of `currency` has."""
    return MINOR_DIGITS.get(currency, DEFAULT_MINOR_DIGITS)


def format_decimal(scaled, decimals):
    """Render the integer `scaled` / 10**decimals with `_` between thousands."""
    whole, fraction = divmod(abs(scaled), 10**decimals)
    text = f"{whole:_}"
    if decimals:
        text = f"{text}.{fraction:0{decimals}d}"
    return "-" + text if scaled < 0 else text


def _overflow(what):
    return ArithmeticOverflow(f"arithmetic overflow: {what} does not fit in 256 bits")


def _mismatch(verb, left, right):
    return CurrencyMismatch(
        f"currency mismatch: cannot {verb} {left.currency} and {right.currency}"
    )


@attrs.frozen(slots=True, order=False, repr=False)
class Money:
    """An amount: an integer count of minor units (cents) of one currency."""

    units: int
    currency: str

    def __add__(self, other):
        currency = self.currency
        if other.currency != currency:
            raise _mismatch("add", self, other)
        units = self.units + other.units
        if INT_MIN <= units <= INT_MAX:
            money = _new_object(Money)  # _money(units, currency), inlined: the hottest path
            _set_units(money, units)
            _set_currency(money, currency)
            return money
        raise _overflow("amount")

    def __sub__(self, other):
        currency = self.currency
        if other.currency != currency:
            raise _mismatch("subtract", self, other)
        units = self.units - other.units
        if INT_MIN <= units <= INT_MAX:
            money = _new_object(Money)  # _money(units, currency), inlined: the hottest path
            _set_units(money, units)
            _set_currency(money, currency)
            return money
        raise _overflow("amount")

    def __neg__(self):
        if self.units == INT_MIN:
            raise _overflow("amount")
        return _money(-self.units, self.currency)

    def __mul__(self, other):
        """Money * Int is exact; Money * Rate is floored to the minor unit."""
        if type(other) is int:
            units = self.units * other
        elif type(other) is Rate:
            value = other.value
            units = self.units * value.numerator // value.denominator
        else:
            return NotImplemented
        if INT_MIN <= units <= INT_MAX:
            return _money(units, self.currency)
        raise _overflow("amount")

    __rmul__ = __mul__

    def __truediv__(self, other):
        """Money / Int rounds toward zero; Money / Money is an exact Rate."""
        if type(other) is int:
            return _money(int_div(self.units, other), self.currency)
        if type(other) is Money:
            if other.currency != self.currency:
                raise _mismatch("divide", self, other)
            if not other.units:
                raise DivisionByZero()
            return Rate.of(Fraction(self.units, other.units))
        return NotImplemented

    def __mod__(self, other):
        """The remainder of Money / Int: it has the sign of the amount."""
        if type(other) is int:
            return _money(int_mod(self.units, other), self.currency)
        return NotImplemented

    def __lt__(self, other):
        if other.currency != self.currency:
            raise _mismatch("compare", self, other)
        return self.units < other.units

    def __le__(self, other):
        if other.currency != self.currency:
            raise _mismatch("compare", self, other)
        return self.units <= other.units

    def __gt__(self, other):
        if other.currency != self.currency:
            raise _mismatch("compare", self, other)
        return self.units > other.units

    def __ge__(self, other):
        if other.currency != self.currency:
            raise _mismatch("compare", self, other)
        return self.units >= other.units

    def __str__(self):
        return f"{format_decimal(self.units, minor_digits(self.currency))} {self.currency}"

    __repr__ = __str__


# Building through the slot descriptors skips attrs' frozen-instance guard, a third
# of the cost of Money(...); Money operations sit in the hot loops of contracts.
_new_object = object.__new__
_set_units = Money.__dict__["units"].__set__
_set_currency = Money.__dict__["currency"].__set__


def _money(units, currency):
    money = _new_object(Money)
    _set_units(money, units)
    _set_currency(money, currency)
    return money


def zero_money(currency):
    """Nothing, in `currency`."""
    return Money(0, currency)


def sum_money(amounts, currency):
    """Add up `amounts`, all in `currency` (the result for no amounts at all)."""
    total = Money(0, currency)
    for amount in amounts:
        total = total + amount
    return total


@attrs.frozen(slots=True, order=False, repr=False)
class Rate:
    """An exact ratio (`15%`, `2.5%`, or the result of Money / Money)."""

    value: Fraction

    @staticmethod
    def of(value):
        """A Rate of the Fraction (or int) `value`, refusing parts beyond the Int range."""
        if type(value) is not Fraction:
            value = Fraction(value)
        if INT_MIN <= value.numerator <= INT_MAX and value.denominator <= INT_MAX:
            return Rate(value)
        raise _overflow("rate")

    @staticmethod
    def percent(numerator, denominator=1):
        """The Rate numerator/denominator percent: `Rate.percent(25, 10)` is 2.5%."""
        return Rate.of(Fraction(numerator, denominator * 100))

    def __add__(self, other):
        if type(other) is Rate:
            return Rate.of(self.value + other.value)
        return NotImplemented

    def __sub__(self, other):
        if type(other) is Rate:
            return Rate.of(self.value - other.value)
        return NotImplemented

    def __neg__(self):
        return Rate.of(-self.value)

    def __mul__(self, other):
        """Rate * Rate and Rate * Int are exact Rates; Rate * Money is Money * Rate."""
        if type(other) is Rate:
            return Rate.of(self.value * other.value)
        if type(other) is int:
            return Rate.of(self.value * other)
        if type(other) is Money:
            return other * self
        return NotImplemented

    __rmul__ = __mul__

    def __lt__(self, other):
        return self.value < other.value if type(other) is Rate else NotImplemented

    def __le__(self, other):
        return self.value <= other.value if type(other) is Rate else NotImplemented

    def __gt__(self, other):
        return self.value > other.value if type(other) is Rate else NotImplemented

    def __ge__(self, other):
        return self.value >= other.value if type(other) is Rate else NotImplemented

    def __truediv__(self, other):
        if type(other) is Rate:
            divisor = other.value
        elif type(other) is int:
            divisor = other
        else:
            return NotImplemented
        if not divisor:
            raise DivisionByZero()
        return Rate.of(self.value / divisor)

    def __str__(self):
        percent = self.value * 100
        for decimals in range(RATE_PERCENT_DECIMALS + 1):
            scale = 10**decimals
            if scale % percent.denominator == 0:
                scaled = percent.numerator * (scale // percent.denominator)
                return format_decimal(scaled, decimals) + "%"
        return f"{format_decimal(percent.numerator, 0)}% / {percent.denominator}"

    __repr__ = __str__


def _split_decimal(text, what):
    """Split decimal literal text into (negative, whole digits, fraction digits)."""
    match = _DECIMAL.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not {what}: expected digits, as in 1_250.50")
    sign, whole, fraction = match.groups()
    return sign == "-", whole.replace("_", ""), fraction or ""


def _places(count):
    return f"{count} decimal place" + ("" if count == 1 else "s")


def parse_int(text):
    """The Int written `text` (`1_000`, `-5`); ValueError if malformed or beyond 256 bits."""
    if _INTEGER.match(text) is None:
        raise ValueError(f"{text!r} is not an integer: expected digits, as in 1_000")
    value = int(text.replace("_", ""))
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"{text} does not fit in a 256-bit Int")
    return value


def parse_money(text, currency=None):
    """The Money written `text` in `currency`, or `text` alone like `1_250.50 EUR`.

    ValueError if the number is malformed, the code is not three capital letters,
    the number has more decimals than the currency's minor unit, or it overflows.
    """
    if currency is None:
        parts = text.split()
        if len(parts) != 2:
            raise ValueError(
                f"{text!r} is not an amount: expected a number and a currency, as in 1_250.50 EUR"
            )
        text, currency = parts
    if _CURRENCY_CODE.match(currency) is None:
        raise ValueError(
            f"{currency!r} is not a currency code: expected three capital letters, as in EUR"
        )
    negative, whole, fraction = _split_decimal(text, "an amount")
    digits = minor_digits(currency)
    if len(fraction) > digits:
        raise ValueError(
            f"{text} {currency} has {_places(len(fraction))}, but {currency} allows "
            + (_places(digits) if digits else "none: it has no minor unit")
        )
    units = int(whole) * 10**digits + (int(fraction.ljust(digits, "0")) if digits else 0)
    units = -units if negative else units
    if not INT_MIN <= units <= INT_MAX:
        raise ValueError(f"{text} {currency} is too large: the minor units must fit in 256 bits")
    return Money(units, currency)


def parse_rate(text):
    """The Rate written `text` percent: `parse_rate("2.5")` (or `"2.5%"`) is 2.5%."""
    number = text[:-1] if text.endswith("%") else text
    negative, whole, fraction = _split_decimal(number, "a percentage")
    numerator = int(whole + fraction)
    value = Fraction(-numerator if negative else numerator, 10 ** len(fraction) * 100)
    if not (INT_MIN <= value.numerator <= INT_MAX and value.denominator <= INT_MAX):
        raise ValueError(f"{text} is too large for a Rate")
    return Rate(value)
