"""The `waterfall` statement as a pure function: tiers, progress, one receipt in, payments out.

An amount received enters the first tier; each tier takes its part and passes the
rest down. What a tier has paid so far is the waterfall's progress, which the
engine keeps in contract storage under the waterfall's name (`progress.to_value()`
and `WaterfallProgress.from_value` convert it to and from a List[List[Money]]), so
each receipt continues where the last stopped and one receipt can straddle tiers.
Targets, caps and rates are evaluated by the engine on every receipt and passed in
as values. Whatever no tier takes is the remainder: it stays in the contract.

Tiers, and every rounding decision (all amounts are whole minor units):

- Fee(payee, rate, cap): takes floor(rate × what enters this tier), rounding
  toward zero (amounts entering are never negative), limited to cap minus what the
  tier has paid so far when there is a cap. The rate must lie in [0%, 100%].
  Flooring per receipt means many small receipts can pay a fee up to one minor unit
  per receipt less than one large receipt would.
- Recoup(payee, target): takes all that enters until the tier has paid `target`
  in total. No rounding.
- PariPassu(targets): takes all that enters until every payee has been paid its
  target; what it takes is divided pro rata to what each payee is still owed
  (target minus paid, never below zero) by largest remainder: shares floored, the
  minor units left over one each to the largest fractional remainders, ties to the
  payee listed first. No payee is ever paid past its target.
- Split(weights): takes everything that reaches it, divided by the same largest
  remainder rule with the given Int weights; it must be the last tier.

Payments of zero are left out of the result. A negative receipt, a rate outside
[0%, 100%], a negative target or cap, or a weight that is not positive raises
InvalidArgument (a Revert); targets in another currency than the receipt raise
CurrencyMismatch. Tiers that break the structure (a Split that is not last, a
progress shaped for other tiers) raise ValueError: that is a bug in the caller.
"""

import attrs

from tabellion.runtime.errors import CurrencyMismatch, InvalidArgument
from tabellion.runtime.numeric import Money, Rate
from tabellion.runtime.split import largest_remainder_units

__all__ = [
    "Fee",
    "Recoup",
    "PariPassu",
    "Split",
    "WaterfallProgress",
    "WaterfallResult",
    "run_waterfall",
]


@attrs.frozen
class Fee:
    """A share `rate` of what enters this tier, to `payee`, up to `cap` in total if given."""

    payee: object
    rate: Rate
    cap: Money | None = None


@attrs.frozen
class Recoup:
    """All that enters this tier, to `payee`, until `target` has been paid in total."""

    payee: object
    target: Money


@attrs.frozen
class PariPassu:
    """All that enters, shared pro rata to what each is still owed, until every target is paid."""

    targets: tuple  # ((payee, Money target), ...)


@attrs.frozen
class Split:
    """Everything that reaches it, pro rata to Int weights; always the last tier."""

    weights: tuple  # ((payee, int weight), ...)


def _width(tier):
    """How many payees a tier keeps progress for."""
    if type(tier) is PariPassu:
        return len(tier.targets)
    if type(tier) is Split:
        return len(tier.weights)
    return 1


@attrs.frozen
class WaterfallProgress:
    """What each tier has paid so far: `paid[i][j]` went to the j-th payee of tier i.

    `WaterfallProgress()` is a waterfall that has paid nothing; tiers not yet listed
    have paid nothing.
    """

    paid: tuple = ()  # (tuple[Money, ...], ...), one inner tuple per tier

    def __getitem__(self, tier_index):
        return self.paid[tier_index]

    def __len__(self):
        return len(self.paid)

    def tier_total(self, tier_index):
        """All that tier `tier_index` has paid, to every payee together."""
        row = self.paid[tier_index]
        total = row[0]
        for amount in row[1:]:
            total = total + amount
        return total

    def to_value(self):
        """The progress as a Tabellion List[List[Money]], for contract storage."""
        return [list(row) for row in self.paid]

    @staticmethod
    def from_value(value):
        """The progress stored by `to_value`."""
        return WaterfallProgress(tuple(tuple(row) for row in value))


@attrs.frozen
class WaterfallResult:
    """One receipt's outcome: payments as (tier index, payee, Money), new progress, remainder."""

    payments: tuple
    progress: WaterfallProgress
    remainder: Money


def _check_money(amount, currency, what):
    if amount.currency != currency:
        raise CurrencyMismatch(f"currency mismatch: {what} is in {amount.currency}, not {currency}")
    if amount.units < 0:
        raise InvalidArgument(f"a waterfall {what} cannot be negative ({amount})")


def _check_tier(tier, currency):
    kind = type(tier)
    if kind is Fee:
        if not 0 <= tier.rate.value <= 1:
            raise InvalidArgument(f"a waterfall fee must lie between 0% and 100%, not {tier.rate}")
        if tier.cap is not None:
            _check_money(tier.cap, currency, "cap")
    elif kind is Recoup:
        _check_money(tier.target, currency, "target")
    elif kind is PariPassu:
        if not tier.targets:
            raise ValueError("a pari passu tier needs at least one payee")
        for _, target in tier.targets:
            _check_money(target, currency, "target")
    elif kind is Split:
        if not tier.weights:
            raise ValueError("a split tier needs at least one payee")
        for payee, weight in tier.weights:
            if type(weight) is not int or weight <= 0:
                raise InvalidArgument(
                    f"split weight for {payee} must be a positive Int, not {weight}"
                )
    else:
        raise ValueError(f"not a waterfall tier: {tier!r}")


def _paid_units(progress, tiers, currency):
    """The progress as mutable lists of minor units, one list per tier, checked against `tiers`."""
    stored = progress.paid if progress is not None else ()
    if len(stored) > len(tiers):
        raise ValueError(f"progress has {len(stored)} tiers, the waterfall {len(tiers)}")
    rows = []
    for index, tier in enumerate(tiers):
        width = _width(tier)
        if index >= len(stored):
            rows.append([0] * width)
            continue
        row = stored[index]
        if len(row) != width:
            raise ValueError(f"progress of tier {index} has {len(row)} payees, the tier {width}")
        for amount in row:
            if amount.currency != currency:
                raise CurrencyMismatch(
                    f"currency mismatch: the waterfall has paid {amount.currency}, not {currency}"
                )
        rows.append([amount.units for amount in row])
    return rows


def _fee_shares(tier, entering, paid):
    rate = tier.rate.value
    take = min(entering, entering * rate.numerator // rate.denominator)
    if tier.cap is not None:
        take = min(take, max(0, tier.cap.units - paid[0]))
    return [take]


def _recoup_shares(tier, entering, paid):
    return [min(entering, max(0, tier.target.units - paid[0]))]


def _pari_passu_shares(tier, entering, paid):
    owed = [max(0, target.units - done) for (_, target), done in zip(tier.targets, paid)]
    take = min(entering, sum(owed))
    if not take:
        return [0] * len(owed)
    # Payees owed nothing have weight zero: their remainder is zero, so no
    # leftover unit reaches them and no payee passes its target.
    return largest_remainder_units(take, owed)


def _split_shares(tier, entering, paid):
    return largest_remainder_units(entering, [weight for _, weight in tier.weights])


_SHARES = {
    Fee: _fee_shares,
    Recoup: _recoup_shares,
    PariPassu: _pari_passu_shares,
    Split: _split_shares,
}


def _payees(tier):
    if type(tier) is PariPassu:
        return [payee for payee, _ in tier.targets]
    if type(tier) is Split:
        return [payee for payee, _ in tier.weights]
    return [tier.payee]


def run_waterfall(amount, tiers, progress=None):
    """Pay one receipt `amount` down `tiers`, continuing from `progress` (None: from the start)."""
    currency = amount.currency
    if amount.units < 0:
        raise InvalidArgument(f"a waterfall cannot receive a negative amount ({amount})")
    for index, tier in enumerate(tiers):
        _check_tier(tier, currency)
        if type(tier) is Split and index != len(tiers) - 1:
            raise ValueError("a split tier must be the last tier of a waterfall")
    paid = _paid_units(progress, tiers, currency)
    payments = []
    rest = amount.units
    for index, tier in enumerate(tiers):
        if not rest:
            break
        shares = _SHARES[type(tier)](tier, rest, paid[index])
        row = paid[index]
        for position, (payee, share) in enumerate(zip(_payees(tier), shares)):
            if share:
                payments.append((index, payee, Money(share, currency)))
                row[position] += share
                rest -= share
    new_progress = WaterfallProgress(
        tuple(tuple(Money(units, currency) for units in row) for row in paid)
    )
    return WaterfallResult(tuple(payments), new_progress, Money(rest, currency))

