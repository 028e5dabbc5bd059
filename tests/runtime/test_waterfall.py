"""The waterfall: tiers in order, progress carried between receipts, nothing paid twice."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.errors import CurrencyMismatch, InvalidArgument
from tabellion.runtime.values import Money, Party, Rate, parse_money, parse_rate
from tabellion.runtime.waterfall import (
    Fee,
    PariPassu,
    Recoup,
    Split,
    WaterfallProgress,
    run_waterfall,
)

sales_agent, distributor, financier, gap, producer = map(
    Party, ["sales_agent", "distributor", "financier", "gap", "producer"]
)


def eur(text):
    return parse_money(text, "EUR")


FILM = (
    Fee(sales_agent, parse_rate("15")),
    Recoup(distributor, eur("200_000")),
    PariPassu(((financier, eur("1_000_000") * parse_rate("120")), (gap, eur("150_000")))),
    Fee(producer, parse_rate("5"), eur("50_000")),
    Split(((producer, 50), (financier, 50))),
)


def test_the_film_waterfall_receipt_by_receipt():
    first = run_waterfall(eur("100_000"), FILM)
    assert first.payments == ((0, sales_agent, eur("15_000")), (1, distributor, eur("85_000")))
    assert first.remainder == eur("0")

    # Straddles the end of the recoup and enters pari passu: 310_000 shared 1.2M : 150k.
    second = run_waterfall(eur("500_000"), FILM, first.progress)
    assert second.payments == (
        (0, sales_agent, eur("75_000")),
        (1, distributor, eur("115_000")),
        (2, financier, eur("275_555.56")),  # 275_555.555..., the larger remainder
        (2, gap, eur("34_444.44")),
    )

    third = run_waterfall(eur("2_000_000"), FILM, second.progress)
    assert third.payments == (
        (0, sales_agent, eur("300_000")),
        (2, financier, eur("924_444.44")),
        (2, gap, eur("115_555.56")),
        (3, producer, eur("33_000")),
        (4, producer, eur("313_500")),
        (4, financier, eur("313_500")),
    )

    fourth = run_waterfall(eur("1_000_000"), FILM, third.progress)
    assert fourth.payments == (
        (0, sales_agent, eur("150_000")),
        (3, producer, eur("17_000")),  # 5% would be 42_500; the cap leaves 17_000
        (4, producer, eur("416_500")),
        (4, financier, eur("416_500")),
    )
    progress = fourth.progress
    assert progress[2] == (eur("1_200_000"), eur("150_000"))
    assert progress.tier_total(3) == eur("50_000") and progress.tier_total(4) == eur("1_460_000")


def test_what_no_tier_takes_is_the_remainder():
    tiers = (Fee(sales_agent, parse_rate("10")), Recoup(distributor, eur("50")))
    result = run_waterfall(eur("100"), tiers)
    assert result.payments == ((0, sales_agent, eur("10")), (1, distributor, eur("50")))
    assert result.remainder == eur("40")
    assert run_waterfall(eur("0"), tiers).payments == ()
    assert run_waterfall(eur("1"), ()).remainder == eur("1")


def test_fee_floors_and_zero_payments_are_left_out():
    tiers = (Fee(sales_agent, parse_rate("15")), Recoup(distributor, eur("1")))
    result = run_waterfall(eur("0.06"), tiers)  # 15% of 6 cents is 0.9 cent: nothing
    assert result.payments == ((1, distributor, eur("0.06")),)
    assert result.progress[0] == (eur("0"),)


def test_pari_passu_is_pro_rata_to_what_is_still_owed():
    tiers = (PariPassu(((financier, eur("100")), (gap, eur("100")))),)
    first = run_waterfall(eur("0.03"), tiers)  # a tie: the first listed gets the odd cent
    assert first.payments == ((0, financier, eur("0.02")), (0, gap, eur("0.01")))
    second = run_waterfall(eur("199.97"), tiers, first.progress)
    assert second.progress[0] == (eur("100"), eur("100"))
    assert second.remainder == eur("0")
    assert run_waterfall(eur("5"), tiers, second.progress).remainder == eur("5")


def test_targets_that_fell_below_what_was_paid_take_nothing():
    progress = run_waterfall(eur("100"), (Recoup(distributor, eur("100")),)).progress
    result = run_waterfall(eur("10"), (Recoup(distributor, eur("60")),), progress)
    assert result.payments == () and result.remainder == eur("10")


def test_progress_round_trips_through_storage_values():
    progress = run_waterfall(eur("600_000"), FILM).progress
    assert WaterfallProgress.from_value(progress.to_value()) == progress
    assert len(progress) == len(FILM)


@pytest.mark.parametrize(
    "amount, tiers, progress, error",
    [
        (eur("-1"), (Recoup(gap, eur("1")),), None, InvalidArgument),
        (eur("1"), (Fee(gap, parse_rate("101")),), None, InvalidArgument),
        (eur("1"), (Fee(gap, parse_rate("-1")),), None, InvalidArgument),
        (eur("1"), (Fee(gap, parse_rate("1"), eur("-1")),), None, InvalidArgument),
        (eur("1"), (Recoup(gap, eur("-1")),), None, InvalidArgument),
        (eur("1"), (Split(((gap, 0),)),), None, InvalidArgument),
        (eur("1"), (Recoup(gap, Money(1, "USD")),), None, CurrencyMismatch),
        (eur("1"), (PariPassu(((gap, eur("1")), (financier, Money(1, "USD")))),), None, CurrencyMismatch),
        (eur("1"), (Recoup(gap, eur("1")),), WaterfallProgress(((Money(0, "USD"),),)), CurrencyMismatch),
        (eur("1"), (Split(((gap, 1),)), Recoup(gap, eur("1"))), None, ValueError),
        (eur("1"), (PariPassu(()),), None, ValueError),
        (eur("1"), (Recoup(gap, eur("1")),), WaterfallProgress(((eur("0"), eur("0")),)), ValueError),
        (eur("1"), (Recoup(gap, eur("1")),), WaterfallProgress(((eur("0"),), (eur("0"),))), ValueError),
        (eur("1"), ("fee",), None, ValueError),
    ],
)
def test_run_waterfall_refuses(amount, tiers, progress, error):
    with pytest.raises(error):
        run_waterfall(amount, tiers, progress)


# --- properties ---------------------------------------------------------------

payees = st.sampled_from([Party(name) for name in "abcde"])
amounts = st.integers(0, 10_000).map(lambda units: Money(units, "EUR"))
rates = st.integers(0, 1000).map(lambda per_mille: Rate.of(Fraction(per_mille, 1000)))
fees = st.builds(Fee, payees, rates, st.none() | amounts)
recoups = st.builds(Recoup, payees, amounts)
pari_passus = st.builds(PariPassu, st.lists(st.tuples(payees, amounts), min_size=1, max_size=4).map(tuple))
splits = st.builds(Split, st.lists(st.tuples(payees, st.integers(1, 10)), min_size=1, max_size=4).map(tuple))


def waterfalls(middle_tiers, last_tiers):
    return st.tuples(st.lists(middle_tiers, max_size=5), st.none() | last_tiers).map(
        lambda parts: tuple(parts[0]) + ((parts[1],) if parts[1] is not None else ())
    )


any_waterfall = waterfalls(st.one_of(fees, recoups, pari_passus), splits)
receipt_lists = st.lists(st.integers(0, 20_000), min_size=1, max_size=5)


def run_all(tiers, receipts):
    """Pay each receipt in turn; return the results."""
    results, progress = [], None
    for units in receipts:
        result = run_waterfall(Money(units, "EUR"), tiers, progress)
        results.append(result)
        progress = result.progress
    return results


def paid_units(progress):
    return [[amount.units for amount in row] for row in progress.paid]


def is_complete(tier, row):
    if type(tier) is Recoup:
        return row[0] >= tier.target.units
    if type(tier) is PariPassu:
        return all(done >= target.units for done, (_, target) in zip(row, tier.targets))
    return True


@given(any_waterfall, receipt_lists)
def test_a_waterfall_pays_exactly_what_it_receives_and_never_past_a_target(tiers, receipts):
    before = [[0] * len(row) for row in paid_units(run_waterfall(Money(0, "EUR"), tiers).progress)]
    for units, result in zip(receipts, run_all(tiers, receipts)):
        paid = sum(amount.units for _, _, amount in result.payments)
        assert paid + result.remainder.units == units and result.remainder.units >= 0
        assert all(amount.units > 0 for _, _, amount in result.payments)
        assert [index for index, _, _ in result.payments] == sorted(index for index, _, _ in result.payments)
        after = paid_units(result.progress)
        assert sum(map(sum, after)) - sum(map(sum, before)) == paid
        for tier, row in zip(tiers, after):
            if type(tier) is Recoup:
                assert row[0] <= tier.target.units
            elif type(tier) is PariPassu:
                assert all(done <= target.units for done, (_, target) in zip(row, tier.targets))
            elif type(tier) is Fee and tier.cap is not None:
                assert row[0] <= tier.cap.units
        before = after


@given(any_waterfall, receipt_lists)
def test_tiers_are_paid_in_order(tiers, receipts):
    for result in run_all(tiers, receipts):
        rows = paid_units(result.progress)
        reached = max((index for index, _, _ in result.payments), default=-1)
        if result.remainder.units:
            reached = len(tiers)
        for index in range(reached):
            assert is_complete(tiers[index], rows[index]), f"tier {index} incomplete, tier {reached} paid"


exact_tiers = st.one_of(
    recoups,
    st.builds(PariPassu, st.tuples(st.tuples(payees, amounts))),
    st.builds(Fee, payees, st.sampled_from([Rate.of(0), Rate.of(1)]), st.none() | amounts),
)


@given(waterfalls(exact_tiers, st.builds(Split, st.tuples(st.tuples(payees, st.integers(1, 9))))), receipt_lists)
def test_receipts_add_up_exactly_when_nothing_rounds(tiers, receipts):
    results = run_all(tiers, receipts)
    once = run_waterfall(Money(sum(receipts), "EUR"), tiers)
    assert results[-1].progress == once.progress
    assert sum(result.remainder.units for result in results) == once.remainder.units


@given(any_waterfall, receipt_lists)
def test_receipts_add_up_within_a_unit_per_tier_per_receipt(tiers, receipts):
    results = run_all(tiers, receipts)
    once = run_waterfall(Money(sum(receipts), "EUR"), tiers)
    for index, (in_turn, at_once) in enumerate(zip(paid_units(results[-1].progress), paid_units(once.progress))):
        for a, b in zip(in_turn, at_once):
            assert abs(a - b) <= (index + 1) * len(receipts)
    remainder = sum(result.remainder.units for result in results)
    assert abs(remainder - once.remainder.units) <= len(tiers) * len(receipts)
