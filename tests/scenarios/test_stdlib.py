"""The contract library: every stdlib module loads as package data, imports, and
plays all its scenarios through the real runner with every step passing."""

from __future__ import annotations

import functools
from importlib import resources

import pytest

from tabellion.lang import ast, compile_source, load_stdlib
from tabellion.lang.checker.modules import STDLIB_MODULES
from tabellion.runtime.scenarios import ScenarioRunner

MODULES = sorted(
    entry.name[:-3] for entry in resources.files("tabellion.stdlib").iterdir() if entry.name.endswith(".sc")
)


@functools.lru_cache(maxsize=None)
def runner_for(module: str) -> ScenarioRunner:
    checked = load_stdlib(module)
    assert checked is not None, f"stdlib module {module} did not load"
    return ScenarioRunner(checked)


def scenario_ids():
    for module in MODULES:
        for scenario, home in runner_for(module).scenarios():
            yield pytest.param(module, scenario.name, id=f"{module}: {scenario.name}")


def failures(result) -> list[str]:
    return [
        f"{step.text}: {step.message or ''} {' / '.join(step.detail)}".strip()
        for step in result.steps
        if not step.ok
    ]


def test_the_library_ships_every_module_the_checker_names():
    assert set(STDLIB_MODULES) <= set(MODULES)


@pytest.mark.parametrize("module, name", list(scenario_ids()))
def test_every_step_of_every_scenario_passes(module, name):
    runner = runner_for(module)
    scenario, home = next((s, h) for s, h in runner.scenarios() if s.name == name)
    result = runner.run(scenario, home)
    assert result.ok, "\n".join(failures(result))
    assert len(result.steps) == len(scenario.steps)  # nothing stopped early


@pytest.mark.parametrize("module", MODULES)
def test_each_module_is_documented_tested_and_guarded(module):
    checked = load_stdlib(module)
    assert checked.source.startswith(f"// {module}:"), "the header comment names the module"
    scenarios = runner_for(module).scenarios()
    assert len(scenarios) >= 4
    for info in checked.contracts.values():
        assert info.invariants, f"{info.name} declares no invariant"
    refusals = [
        step
        for scenario, _ in scenarios
        for step in scenario.steps
        if isinstance(step, ast.ExpectFails)
    ]
    assert len(refusals) >= 4, "rejected calls are part of every module's scenarios"


@pytest.mark.parametrize("module", MODULES)
def test_import_makes_the_module_contracts_available(module):
    checked = compile_source(f"import {module}\n", "<import test>")
    assert set(load_stdlib(module).contracts) <= set(checked.all_contracts())
