"""The generated state machine: what it checks after every step, and how it reports each failure.

Contract failures (an invariant a call would break, one that time breaks, a deploy
that fails) are `ContractFailure`; what no contract can cause (an internal error,
money created, a refused call that left a trace, a caller let in outside the `by`
clause) is `TabellionBug`. The Tabellion bugs are simulated by breaking the engine
with monkeypatch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import settings

from tabellion.lang import compile_source
from tabellion.runtime import engine as engine_module
from tabellion.runtime.errors import InternalError
from tabellion.runtime.ledger import DevLedger
from tabellion.runtime.state import WorldState
from tabellion.runtime.testing import ContractFailure, TabellionBug, machine_for
from tabellion.runtime.testing.plan import MachinePlan
from tabellion.runtime.testing.session import Options, run_machine
from tabellion.runtime.scenarios import ScenarioRunner

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"

KITTY = """
contract Kitty {
    role members
    state total: Money = 0 EUR
    state count: Int = 0

    invariant total <= balance

    entry chip_in() by members pays any {
        require received > 0 EUR, "chip in something"
        total += received
        count += 1
    }

    entry spend(amount: Money, to: Party) by members {
        require amount <= total, "not that much in the kitty"
        total -= amount
        pay amount to to
    }
}

scenario "friends share a kitty" {
    fund ana 100 EUR
    deploy k = Kitty(members: [ana, ben]) by ana
    call k.chip_in() by ana paying 30 EUR
    call k.spend(10 EUR, cafe) by ben
    expect k.total == 20 EUR
}
"""

VAULT = """
contract Vault {
    role owners
    param limit: Money

    state total: Money = 0 EUR

    invariant total <= limit

    entry deposit() by owners pays any {
        total += received       // forgot: require total + received <= limit
    }
}
"""

LEASE = """
contract Lease {
    party tenant
    state ends: Time = 2026-03-01T00:00Z

    invariant now < ends

    entry extend() by tenant {
        ends = ends + 30d
    }
}

scenario "a lease" {
    deploy l = Lease(tenant: tom) by landlord
    call l.extend() by tom
}
"""


def plan_of(source: str, contract: str, **options) -> MachinePlan:
    return MachinePlan(compile_source(source, "test.sc"), contract, **options)


def run(plan, examples: int = 60, seed: int = 1, steps: int | None = None):
    return run_machine(plan, Options(max_examples=examples, seed=seed, steps=steps))


def test_a_sound_contract_passes_and_the_machine_counts_its_work():
    plan = plan_of(KITTY, "Kitty")
    assert run(plan) is None
    assert plan.stats.examples >= 60
    assert plan.stats.steps > plan.stats.examples  # the deploy and then some


def test_the_deploy_comes_from_the_first_scenario_and_the_pool_from_its_parties():
    plan = plan_of(KITTY, "Kitty")
    assert plan.setup is not None and plan.setup.deploy.name.text == "k"
    assert plan.instance_name == "k"
    assert [p.name for p in plan.pool] == ["ana", "ben", "cafe", "eve"]
    assert plan.entries == ("chip_in", "spend")


def test_a_contract_without_a_scenario_gets_a_generated_deploy_and_its_bug_is_found():
    plan = plan_of(VAULT, "Vault")
    assert plan.setup is None and plan.cannot_generate() is None
    failure = run(plan, examples=200)
    assert isinstance(failure, ContractFailure) and failure.kind == "invariant"
    scenario = failure.scenario()
    assert re.search(r"deploy vault = Vault\(limit: [\d_.]+ EUR, owners: \[\w+(, \w+)?\]\) by \w+", scenario), scenario
    assert "call vault.deposit() by" in scenario
    assert failure.steps <= 2


def test_an_invariant_that_time_breaks_is_caught_after_the_wait():
    failure = run(plan_of(LEASE, "Lease"), examples=100)
    assert isinstance(failure, ContractFailure)
    assert failure.message == "invariant `now < ends` no longer holds once the clock has moved on"
    last = failure.scenario().splitlines()[-2]
    assert last.strip().startswith("wait ") and "// <- invariant `now < ends` no longer holds" in last


def test_a_scenario_whose_deploy_fails_is_reported_as_a_setup_failure():
    source = KITTY.replace("deploy k = Kitty(members: [ana, ben]) by ana",
                           "deploy k = Kitty(members: [ana, ben]) by ana paying 1_000 EUR")
    failure = run(plan_of(source, "Kitty"), examples=5)
    assert isinstance(failure, ContractFailure) and failure.kind == "setup"
    assert "insufficient balance" in failure.message


def test_generated_machines_pass_on_every_example_contract():
    for path in sorted(EXAMPLES.glob("*.sc")):
        checked = compile_source(path.read_text(encoding="utf-8"), str(path))
        runner = ScenarioRunner(checked)
        for name in checked.contracts:
            plan = MachinePlan(checked, name, runner=runner)
            assert run(plan, examples=15) is None, (path, name)


def test_machine_for_gives_a_test_case_pytest_can_run():
    machine = machine_for(compile_source(KITTY, "test.sc"), "Kitty")
    assert machine.__name__ == "KittyMachine"
    for rule in ("deploy", "a_pause", "fund", "wait", "call_chip_in", "call_spend"):
        assert callable(getattr(machine, rule))
    assert hasattr(machine, "TestCase")


# -- bugs in Tabellion, simulated


def test_a_refused_call_that_leaves_a_trace_is_a_bug_in_tabellion(monkeypatch):
    monkeypatch.setattr(WorldState, "rollback", lambda self, savepoint: None)
    failure = run(plan_of(KITTY, "Kitty"), examples=100)
    assert isinstance(failure, TabellionBug) and failure.bug
    assert failure.kind == "rollback"
    assert "changed the state" in failure.message


def test_a_caller_let_in_outside_the_by_clause_is_a_bug_in_tabellion(monkeypatch):
    monkeypatch.setattr(engine_module, "_check_permission", lambda instance, entry, caller: None)
    failure = run(plan_of(KITTY, "Kitty"), examples=100)
    assert isinstance(failure, TabellionBug) and failure.kind == "permission"
    assert "went through" in failure.message
    # printed as an `expect fails`, so that `tabellion run` fails on it too
    assert re.search(r"expect fails call k\.\w+\(.*\) by (cafe|eve).*// <- went through", failure.scenario())


def test_an_internal_error_is_a_bug_in_tabellion(monkeypatch):
    original = engine_module.Engine.run_entry

    def broken(self, tx, instance, entry_name, *rest):
        if entry_name == "spend":
            raise RuntimeError("the engine tripped")
        return original(self, tx, instance, entry_name, *rest)

    monkeypatch.setattr(engine_module.Engine, "run_entry", broken)
    failure = run(plan_of(KITTY, "Kitty"), examples=100)
    assert isinstance(failure, TabellionBug) and failure.kind == "internal"
    assert "InternalError" in failure.message and "the engine tripped" in failure.message


def test_money_created_outside_a_transaction_is_a_bug_in_tabellion(monkeypatch):
    original = DevLedger.fund
    monkeypatch.setattr(DevLedger, "fund", lambda self, party, amount: original(self, party, amount + amount))
    failure = run(plan_of(KITTY, "Kitty"), examples=100)
    assert isinstance(failure, TabellionBug) and failure.kind == "conservation"
    assert "was funded" in failure.message


def test_internal_errors_keep_their_class(monkeypatch):
    def boom(self, *args, **kwargs):
        raise InternalError("no")

    monkeypatch.setattr(DevLedger, "call", boom)
    failure = run(plan_of(KITTY, "Kitty"), examples=5)
    assert isinstance(failure, TabellionBug) and "InternalError: no" in failure.message


@pytest.mark.slow
def test_the_example_contracts_pass_a_thorough_run():
    for path in sorted(EXAMPLES.glob("*.sc")):
        checked = compile_source(path.read_text(encoding="utf-8"), str(path))
        for name in checked.contracts:
            assert run(MachinePlan(checked, name), examples=1000, steps=50) is None, (path, name)


# what a user writes to run a generated machine in their own suite
TestKittyMachine = machine_for(compile_source(KITTY, "test.sc"), "Kitty").TestCase
TestKittyMachine.settings = settings(TestKittyMachine.settings, max_examples=20)


def test_a_contract_no_generated_deploy_can_deploy_asks_for_a_scenario():
    source = """
contract Picky {
    param secret: Int
    state seen: Int = 0
    init { require secret == 123_456_789, "wrong secret" }
    entry look() by anyone { seen += 1 }
}
"""
    failure = run(plan_of(source, "Picky"), examples=20)
    assert isinstance(failure, ContractFailure) and failure.kind == "setup"
    assert failure.message == ("state machine of Picky: no generated deploy of Picky went through: "
                               "write a scenario that deploys it")
