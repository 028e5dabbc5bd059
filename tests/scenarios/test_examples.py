"""The examples: every examples/*.sc checks, plays all its scenarios with every
step passing, and `tabellion run` exits 0 on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tabellion.lang import compile_file
from tabellion.runtime.scenarios import ScenarioRunner

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.sc"))


def test_there_are_examples_for_each_stdlib_walkthrough():
    names = {path.stem for path in EXAMPLES}
    for module in ("insurance", "debt", "waterfall", "royalties", "registry", "supply", "provenance",
                   "token", "escrow"):
        assert f"stdlib_{module}" in names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_scenario_of_the_example_passes(path):
    runner = ScenarioRunner(compile_file(str(path)))
    scenarios = runner.scenarios()
    assert scenarios, f"{path.name} has no scenario"
    for scenario, home in scenarios:
        result = runner.run(scenario, home)
        broken = [f"{s.text}: {s.message} {' / '.join(s.detail)}" for s in result.steps if not s.ok]
        assert not broken, f"{scenario.name}:\n" + "\n".join(broken)
        assert len(result.steps) == len(scenario.steps)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_tabellion_run_exits_zero(path):
    completed = subprocess.run(
        [sys.executable, "-m", "tabellion.runtime.cli", "run", "--quiet", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " 0 failed" in completed.stdout
