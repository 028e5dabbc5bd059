"""Pro rata division of an amount to the minor unit: the `split` statement.

Largest remainder: each payee's exact share is amount × weight / total weight;
every share is first floored to the minor unit, then the minor units left over go
one each to the payees with the largest fractional remainders, ties to the payee
listed first. So the shares add up to exactly the amount and each is within one
minor unit of its exact value (it is the floor or the floor plus one).

A payee listed twice is paid twice; nothing is merged. The result lists every
payee in the order given, zero shares included. Negative amounts raise
InvalidArgument (a Revert that is also a ValueError), and so do weights that are
not positive, with one exception: `split_by_rational_weights`, which serves
`split x among m` and pro rata to what is still owed, accepts zero weights (those
payees get exactly zero: a zero remainder never wins a leftover unit) as long as
one weight is positive.
"""

import math
from fractions import Fraction

from tabellion.runtime.errors import CurrencyMismatch, InvalidArgument
from tabellion.runtime.numeric import Money, Rate

__all__ = ["split_amount", "split_by_rational_weights", "largest_remainder_units"]


def largest_remainder_units(units, weights):
    """Divide `units` (>= 0) pro rata to int `weights` (>= 0, some > 0); a list of ints."""
    total = sum(weights)
    shares = []
    remainders = []
    for weight in weights:
        share, remainder = divmod(units * weight, total)
        shares.append(share)
        remainders.append(remainder)
    leftover = units - sum(shares)
    if leftover:
        # sorted is stable, also in reverse: equal remainders keep the listed order.
        ranked = sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)
        for index in ranked[:leftover]:
            shares[index] += 1
    return shares


def _check_amount(amount):
    if amount.units < 0:
        raise InvalidArgument(f"cannot split a negative amount ({amount})")


def split_amount(amount, weights):
    """Split `amount` over `weights`, a sequence of (payee, positive Int weight) pairs.

    Returns [(payee, Money)] in the order given; the shares add up to `amount`.
    """
    _check_amount(amount)
    if not weights:
        raise InvalidArgument("a split needs at least one payee")
    for payee, weight in weights:
        if type(weight) is not int or weight <= 0:
            raise InvalidArgument(f"split weight for {payee} must be a positive Int, not {weight}")
    shares = largest_remainder_units(amount.units, [weight for _, weight in weights])
    currency = amount.currency
    return [(payee, Money(share, currency)) for (payee, _), share in zip(weights, shares)]


def _as_fraction(payee, weight, currency):
    kind = type(weight)
    if kind is Rate:
        value = weight.value
    elif kind is Money:
        if currency is not None and weight.currency != currency:
            raise CurrencyMismatch(
                f"currency mismatch: split weights in {currency} and {weight.currency}"
            )
        value = Fraction(weight.units)
    elif kind is int or kind is Fraction:
        value = Fraction(weight)
    else:
        raise TypeError(f"split weight for {payee} must be a Rate, Money or Int, not {weight!r}")
    if value < 0:
        raise InvalidArgument(f"split weight for {payee} cannot be negative ({weight})")
    return value


def split_by_rational_weights(amount, weights):
    """Split `amount` pro rata to exact weights >= 0: Rates, Money (one currency) or Ints.

    `split x { a: 30%, b: 70% }`, or pari passu pro rata to what each is still
    owed. Scaled to whole numbers by the least common denominator, then exactly
    as `split_amount`.
    """
    _check_amount(amount)
    if not weights:
        raise InvalidArgument("a split needs at least one payee")
    currency = next((w.currency for _, w in weights if type(w) is Money), None)
    fractions = [_as_fraction(payee, weight, currency) for payee, weight in weights]
    if not any(fractions):
        raise InvalidArgument("a split needs at least one positive weight")
    common = math.lcm(*(value.denominator for value in fractions))
    scaled = [value.numerator * (common // value.denominator) for value in fractions]
    shares = largest_remainder_units(amount.units, scaled)
    return [(payee, Money(share, amount.currency)) for (payee, _), share in zip(weights, shares)]
