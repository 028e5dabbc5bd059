"""The README stays true: its example contract checks and its scenario passes, and its
set-up commands are the ones CI runs."""

from __future__ import annotations

import pathlib
import re

from tabellion.lang import compile_source
from tabellion.runtime.scenarios import ScenarioRunner

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_contract_checks_and_its_scenario_passes():
    section = README.split("## A first contract", 1)[1]
    source = re.search(r"```\n(contract .*?)```", section, re.S).group(1)
    checked = compile_source(source, "README.md")
    runner = ScenarioRunner(checked)
    results = [runner.run(scenario, home) for scenario, home in runner.scenarios()]
    assert results and all(result.ok for result in results)


def test_ci_runs_the_readme_test_command():
    command = re.search(r"Install and run the tests:\n\n```sh\n(.*?)\n```", README).group(1)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_example_command_names_a_real_example():
    command = re.search(r"Install and run an example.*?\n\n```sh\n(.*?)\n```", README, re.S).group(1)
    example = command.split("tabellion run ", 1)[1].strip()
    assert (ROOT / example).is_file()
