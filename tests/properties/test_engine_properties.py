"""Hypothesis properties of the engine: exact money, reverts leave no trace, gas is
deterministic, and compiled code agrees with a reference evaluator."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings, strategies as st

from tabellion.runtime.numeric import INT_MAX, INT_MIN, Money, int_div, int_mod
from tabellion.runtime.receipts import SUCCESS
from tabellion.runtime.values import Party

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SPLIT = """
contract S {
    entry share(a: Party, b: Party, c: Party, wa: Int, wb: Int, wc: Int) by anyone pays any {
        split received { a: wa, b: wb, c: wc }
    }
}
"""


@SETTINGS
@given(units=st.integers(0, 10**9), weights=st.tuples(*[st.integers(1, 1000)] * 3))
def test_split_pays_exactly_the_amount_within_one_unit_of_pro_rata(sandbox, units, weights):
    box = sandbox(SPLIT)
    box.ledger.fund(Party("payer"), Money(units, "EUR"))
    box.deploy()
    payees = [Party(n) for n in "xyz"]
    receipt = box.ledger.call(box.address, "share", (*payees, *weights), Party("payer"), Money(units, "EUR"))
    assert receipt.ok
    shares = [box.balance(p).units for p in payees]
    assert sum(shares) == units
    total = sum(weights)
    for share, weight in zip(shares, weights):
        assert abs(Fraction(share) - Fraction(units * weight, total)) < 1


WATERFALL = """
contract W {
    party agent  party distributor  party a  party b
    entry receive() by anyone pays any {
        waterfall receipts(received) {
            fee 10% to agent up to 500 EUR
            recoup distributor up to 2_000 EUR
            recoup pari_passu { a: 1_000 EUR, b: 3_000 EUR }
            split { a: 1, b: 1 }
        }
    }
}
"""
PAYEES = [Party(p) for p in ("agent", "distributor", "a", "b")]


def _waterfall_balances(sandbox, receipts):
    box = sandbox(WATERFALL)
    box.ledger.fund(Party("cam"), Money(sum(receipts), "EUR"))
    box.deploy()
    for units in receipts:
        receipt = box.ledger.call(box.address, "receive", (), Party("cam"), Money(units, "EUR"))
        assert receipt.ok, receipt.reason
    return [box.balance(p).units for p in PAYEES], box.balance(box.address).units


@SETTINGS
@given(a=st.integers(0, 2_000_000).map(lambda u: u * 1000), b=st.integers(0, 2_000_000).map(lambda u: u * 1000))
def test_waterfall_in_two_receipts_equals_one_when_nothing_rounds(sandbox, a, b):
    # amounts in whole 10 EUR steps: 10% fees and pari passu shares of 1k:3k never round
    apart, rest_apart = _waterfall_balances(sandbox, [a, b])
    together, rest_together = _waterfall_balances(sandbox, [a + b])
    assert apart == together and rest_apart == rest_together


@SETTINGS
@given(receipts=st.lists(st.integers(0, 500_000), min_size=1, max_size=6))
def test_waterfall_never_pays_more_than_it_received_and_pays_in_order(sandbox, receipts):
    paid, kept = _waterfall_balances(sandbox, receipts)
    assert sum(paid) + kept == sum(receipts)
    assert kept == 0, "the split tier takes all that is left"
    agent, distributor, a, b = paid
    if distributor < 200_000:
        assert a == b == 0, "nothing passes a recoup that is not complete"


COUNTER = """
contract C {
    state n: Int = 0
    state log: Map[Int, Int]
    entry bump(x: Int) by anyone {
        log[n] = x
        n += 1
        require x % 3 != 0, "multiples of three are refused"
    }
}
"""


@SETTINGS
@given(xs=st.lists(st.integers(-50, 50), max_size=12))
def test_a_rejected_call_leaves_the_state_bit_for_bit_unchanged(sandbox, xs):
    box = sandbox(COUNTER)
    box.deploy()
    for x in xs:
        before = box.ledger.state.snapshot()
        receipt = box.call("bump", x)
        if x % 3 == 0:
            assert receipt.status != SUCCESS
            assert box.ledger.state.snapshot() == before
        else:
            assert receipt.ok


@SETTINGS
@given(xs=st.lists(st.integers(1, 10**6), max_size=8))
def test_gas_is_the_same_for_the_same_program_and_inputs(sandbox, xs):
    def gas_of():
        box = sandbox(COUNTER)
        box.deploy()
        return [box.call("bump", x).gas_used for x in xs]

    assert gas_of() == gas_of()


# -- compiled code against a reference evaluator of Int arithmetic

def _expressions():
    leaves = st.integers(-(10**6), 10**6).map(lambda v: (str(v) if v >= 0 else f"({v})", v))
    ops = st.sampled_from(["+", "-", "*", "/", "%"])

    def extend(children):
        return st.tuples(children, ops, children).map(_combine)

    return st.recursive(leaves, extend, max_leaves=8)


def _combine(parts):
    (left_text, left), op, (right_text, right) = parts
    text = f"({left_text} {op} {right_text})"
    if left is None or right is None:
        return text, None
    if op in "/%" and right == 0:
        return text, None
    value = {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
             "/": lambda: int_div(left, right), "%": lambda: int_mod(left, right)}[op]()
    return text, value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expression=_expressions())
def test_compiled_arithmetic_agrees_with_a_reference_evaluator(sandbox, expression):
    text, expected = expression
    box = sandbox(f"contract E {{ entry f() by anyone -> Int {{ return {text} }} }}")
    box.deploy()
    receipt = box.call("f")
    if expected is None:
        assert receipt.status != SUCCESS and "division by zero" in receipt.reason
    elif INT_MIN <= expected <= INT_MAX:
        assert receipt.ok and receipt.value == expected
    else:
        assert not receipt.ok and "overflow" in receipt.reason
