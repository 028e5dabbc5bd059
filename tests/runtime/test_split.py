"""The `split` statement: largest remainder to the minor unit, ties to the first listed."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.errors import CurrencyMismatch, InvalidArgument
from tabellion.runtime.split import largest_remainder_units, split_amount, split_by_rational_weights
from tabellion.runtime.values import Money, Party, Rate, parse_money, parse_rate

author, composer, publisher = Party("author"), Party("composer"), Party("publisher")


def eur(text):
    return parse_money(text, "EUR")


def units(shares):
    return [share.units for _, share in shares]


@pytest.mark.parametrize(
    "amount, weights, expected",
    [
        (100, [1, 1, 1], [34, 33, 33]),  # one cent left: tie, first listed
        (200, [1, 1, 1], [67, 67, 66]),
        (101, [1, 1], [51, 50]),
        (100, [1, 2], [33, 67]),  # exact 33.33 and 66.67: the larger remainder wins
        (10, [3, 3, 4], [3, 3, 4]),
        (7, [50, 30, 20], [4, 2, 1]),  # 3.5, 2.1, 1.4
        (1, [1, 1, 1], [1, 0, 0]),
        (2, [1, 5, 1, 5], [0, 1, 0, 1]),  # 1/6, 5/6, 1/6, 5/6
        (0, [2, 3], [0, 0]),
        (12345, [1], [12345]),
    ],
)
def test_split_table(amount, weights, expected):
    payees = [Party(f"p{index}") for index in range(len(weights))]
    shares = split_amount(Money(amount, "EUR"), list(zip(payees, weights)))
    assert [payee for payee, _ in shares] == payees
    assert units(shares) == expected
    assert all(share.currency == "EUR" for _, share in shares)


def test_the_design_example():
    shares = split_amount(eur("100"), [(author, 1), (composer, 1), (publisher, 1)])
    assert shares == [(author, eur("33.34")), (composer, eur("33.33")), (publisher, eur("33.33"))]


def test_a_payee_listed_twice_is_paid_twice():
    assert split_amount(eur("1"), [(author, 1), (author, 1)]) == [(author, eur("0.50")), (author, eur("0.50"))]


@pytest.mark.parametrize(
    "amount, weights",
    [
        (eur("-1"), [(author, 1)]),
        (eur("1"), []),
        (eur("1"), [(author, 0)]),
        (eur("1"), [(author, 1), (composer, -2)]),
        (eur("1"), [(author, 1.5)]),
        (eur("1"), [(author, True)]),
    ],
)
def test_split_refuses(amount, weights):
    with pytest.raises(InvalidArgument):
        split_amount(amount, weights)


weight_lists = st.lists(st.integers(1, 10**6), min_size=1, max_size=12)


@given(st.integers(0, 10**15), weight_lists)
def test_split_pays_exactly_the_amount_within_a_unit_of_pro_rata(amount, weights):
    shares = largest_remainder_units(amount, weights)
    total = sum(weights)
    assert sum(shares) == amount
    for share, weight in zip(shares, weights):
        assert abs(share * total - amount * weight) < total


@given(st.integers(0, 10**6), st.integers(1, 100), st.integers(2, 10))
def test_ties_go_to_the_first_listed(amount, weight, count):
    shares = largest_remainder_units(amount, [weight] * count)
    assert shares == sorted(shares, reverse=True)
    assert shares[0] - shares[-1] <= 1


@given(st.integers(0, 10**6), weight_lists)
def test_leftover_goes_to_largest_remainders(amount, weights):
    total = sum(weights)
    shares = largest_remainder_units(amount, weights)
    bumped = [i for i, (s, w) in enumerate(zip(shares, weights)) if s * total > amount * w]
    kept = [i for i in range(len(weights)) if i not in bumped]
    remainder = [amount * w % total for w in weights]
    for up in bumped:
        for down in kept:
            assert remainder[up] > remainder[down] or (remainder[up] == remainder[down] and up < down)


def test_rational_weights():
    assert split_by_rational_weights(eur("10"), [(author, parse_rate("30")), (composer, parse_rate("70"))]) == [
        (author, eur("3")),
        (composer, eur("7")),
    ]
    # Pro rata to what each is still owed: 100 and 50 owed, 1 EUR to share.
    shares = split_by_rational_weights(eur("1"), [(author, eur("100")), (composer, eur("50"))])
    assert shares == [(author, eur("0.67")), (composer, eur("0.33"))]
    assert units(split_by_rational_weights(eur("1"), [(author, Fraction(1, 3)), (composer, 2)])) == [14, 86]
    # A payee owed nothing gets nothing, even the odd cent.
    shares = split_by_rational_weights(eur("0.01"), [(author, eur("0")), (composer, eur("5")), (publisher, eur("5"))])
    assert units(shares) == [0, 1, 0]


@pytest.mark.parametrize(
    "weights, error",
    [
        ([(author, parse_rate("0"))], InvalidArgument),
        ([(author, 0), (composer, eur("0"))], InvalidArgument),
        ([(author, eur("-1"))], InvalidArgument),
        ([], InvalidArgument),
        ([(author, eur("1")), (composer, Money(1, "USD"))], CurrencyMismatch),
        ([(author, "1")], TypeError),
    ],
)
def test_rational_weights_refuse(weights, error):
    with pytest.raises(error):
        split_by_rational_weights(eur("1"), weights)


rational_weights = st.lists(
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000), min_size=1, max_size=8
).filter(any)


@given(st.integers(0, 10**12), rational_weights)
def test_rational_split_is_exact_and_within_a_unit(amount, weights):
    payees = [Party(f"p{index}") for index in range(len(weights))]
    shares = units(split_by_rational_weights(Money(amount, "EUR"), [(p, Rate.of(w)) for p, w in zip(payees, weights)]))
    assert sum(shares) == amount
    total = sum(weights)
    for share, weight in zip(shares, weights):
        assert abs(share - amount * weight / total) < 1
        assert weight or share == 0
