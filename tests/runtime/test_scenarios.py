"""Playing scenarios: steps, expectations with expected-versus-actual, failures."""

from __future__ import annotations

from tabellion.lang import compile_source
from tabellion.runtime.scenarios import ScenarioRunner

SOURCE = """
contract Jar {
    role owner
    state deposits: Int = 0
    entry put() by anyone pays any { deposits += 1 }
    entry take(amount: Money) by owner { pay amount to caller }
}

scenario "good" {
    fund alice 10 EUR
    deploy j = Jar(owner: [bob]) by bob
    call j.put() by alice paying 4 EUR
    expect j.deposits == 1
    expect balance(j) == 4 EUR
    expect fails call j.take(1 EUR) by alice with "permission denied"
    call j.take(1.50 EUR) by bob
    expect balance(bob) == 1.50 EUR
    wait 30d
    at 2026-03-01T00:00Z
    let n = j.deposits + 1
    expect n == 2
}

scenario "bad expectations" {
    deploy j = Jar()
    expect j.deposits == 5
    expect balance(owner) > 1 EUR
    call j.take(100 EUR) by owner
    expect j.deposits == 0
}

scenario "clock" {
    at 2026-06-01
    at 2026-05-01
}

scenario "wrong reason" {
    deploy j = Jar()
    expect fails call j.take(1 EUR) by alice with "pool exhausted"
}
"""


def run_all():
    checked = compile_source(SOURCE, "jar.sc")
    runner = ScenarioRunner(checked)
    return {s.name: runner.run(s, home) for s, home in runner.scenarios()}


def test_a_passing_scenario():
    good = run_all()["good"]
    assert good.ok, [(s.text, s.message) for s in good.steps if not s.ok]
    assert len(good.steps) == 12


def test_failed_expectations_show_both_sides_and_an_unexpected_failure_stops_the_scenario():
    bad = run_all()["bad expectations"]
    assert not bad.ok
    first, second, call = bad.steps[1:4]
    assert not first.ok and first.detail == ("j.deposits is 0", "5 is 5")
    assert not second.ok and second.detail == ("balance(owner) is 0.00 EUR", "1 EUR is 1.00 EUR")
    assert not call.ok and "insufficient balance" in call.message
    assert len(bad.steps) == 4, "steps after an unexpected failure do not run"


def test_the_clock_never_goes_back():
    clock = run_all()["clock"]
    assert not clock.steps[1].ok and "never goes back" in clock.steps[1].message


def test_expect_fails_with_a_reason_checks_the_reason():
    wrong = run_all()["wrong reason"]
    assert not wrong.steps[1].ok and "permission denied" in wrong.steps[1].message


def test_bare_balance_in_a_contracts_own_scenario_is_the_instance_balance():
    source = """contract Pot {
    entry put() by anyone pays any { }
    scenario "own" { fund a 3 EUR  deploy Pot()  call put() by a paying 2 EUR  expect balance == 2 EUR }
}"""
    checked = compile_source(source, "pot.sc")
    runner = ScenarioRunner(checked)
    ((scenario, home),) = runner.scenarios()
    assert runner.run(scenario, home).ok
