"""Decoding literal text (money, rates, dates, times, durations, text) into exact values.

Shared by the parser, which turns literals into AST values, and by the runtime,
which parses amounts typed on the command line. Every function raises `ValueError`
with a message fit to show a user.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

__all__ = [
    "MINOR_DIGITS",
    "KNOWN_CURRENCIES",
    "minor_digits",
    "parse_int",
    "parse_money",
    "parse_rate",
    "parse_date",
    "parse_time",
    "parse_duration",
    "parse_text",
    "EPOCH",
    "DURATION_UNITS",
]

EPOCH = datetime.date(1970, 1, 1)

# ISO 4217 codes with their minor-unit digits; the usual ones are 2.
MINOR_DIGITS: dict[str, int] = {
    **dict.fromkeys(
        "EUR USD GBP CHF CAD AUD NZD SEK NOK DKK PLN CZK HUF RON BGN CNY HKD SGD INR BRL MXN "
        "ZAR TRY RUB ILS AED SAR THB MYR PHP IDR TWD ARS COP PEN UAH EGP NGN KES MAD XAU XAG".split(),
        2,
    ),
    **dict.fromkeys("JPY KRW CLP ISK VND XOF XAF UGX PYG".split(), 0),
    **dict.fromkeys("KWD BHD OMR JOD TND LYD IQD".split(), 3),
    "BTC": 8,
}
KNOWN_CURRENCIES = frozenset(MINOR_DIGITS)

DURATION_UNITS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_DURATION_PART = re.compile(r"(\d+)([wdhms])")
_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?Z")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\"}


def minor_digits(currency: str) -> int:
    try:
        return MINOR_DIGITS[currency]
    except KeyError:
        raise ValueError(f"unknown currency '{currency}'") from None


def parse_int(text: str) -> int:
    digits = text.replace("_", "")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"'{text}' is not a whole number")
    return int(digits)


def parse_money(amount: str, currency: str) -> int:
    """Minor units of `amount` (`1_250.50`) in `currency`: exact, or ValueError."""
    digits = minor_digits(currency)
    whole, _, fraction = amount.replace("_", "").partition(".")
    if len(fraction) > digits:
        unit = "no decimal places" if digits == 0 else f"{digits} decimal place{'s' * (digits > 1)}"
        raise ValueError(f"{currency} has {unit}; '{amount} {currency}' has {len(fraction)}")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"'{amount}' is not an amount")
    return int(whole) * 10**digits + int(fraction.ljust(digits, "0") or 0)


def parse_rate(number: str) -> Fraction:
    """The exact rate written as `number%` (`2.5` gives 1/40)."""
    return Fraction(number.replace("_", "")) / 100


def parse_date(text: str) -> int:
    """Days since 1970-01-01 of an ISO date `YYYY-MM-DD`."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a calendar date (YYYY-MM-DD)") from None
    return (day - EPOCH).days


def parse_time(text: str) -> int:
    """Seconds since 1970-01-01T00:00Z of `YYYY-MM-DDTHH:MM[:SS]Z`."""
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not a time (YYYY-MM-DDTHH:MMZ)")
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(f"'{text}' is not a valid time") from None
    return (moment.date() - EPOCH).days * 86_400 + hour * 3_600 + minute * 60 + second


def parse_duration(text: str) -> int:
    """Seconds in `90d`, `2h30m`, `15m`, `2w`, `30s`."""
    position, total = 0, 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            break
        total += int(match.group(1)) * DURATION_UNITS[match.group(2)]
        position = match.end()
    if position != len(text) or not text:
        raise ValueError(f"'{text}' is not a duration (e.g. 90d, 2h30m, 15m)")
    return total


def parse_text(quoted: str) -> str:
    """The value of a double-quoted literal, escapes decoded: \\n \\t \\r \\0 \\" \\\\ \\u{20AC}."""
    body = quoted[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        code = body[i + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code == "u" and body[i + 2 : i + 3] == "{" and "}" in body[i + 3 : i + 11]:
            end = body.index("}", i + 3)
            try:
                out.append(chr(int(body[i + 3 : end], 16)))
            except ValueError:
                raise ValueError(f"'\\u{{{body[i + 3:end]}}}' is not a Unicode code point") from None
            i = end + 1
        else:
            raise ValueError(f"unknown escape '\\{code}' (use \\n \\t \\r \\0 \\\" \\\\ or \\u{{...}})")
    return "".join(out)
