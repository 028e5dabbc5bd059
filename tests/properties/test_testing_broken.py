"""`tabellion test` catches deliberately broken contracts, with short counterexamples that replay.

Each contract in tests/broken/ comes as `NAME_broken.sc` (a bug a contract author
could make, ruled out by the contract's own invariant) and `NAME_correct.sc`. The
generated state machine must find every bug with a counterexample of at most the
stated number of steps after the deploy; the scenario it prints, pasted into the
file, must fail `tabellion run` with the same invariant; the correct versions must
pass (a short run here, the thorough profile under `-m slow`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tabellion.lang import compile_file
from tabellion.runtime.testing import ContractFailure
from tabellion.runtime.testing.plan import MachinePlan
from tabellion.runtime.testing.session import Options, run_machine

BROKEN = Path(__file__).resolve().parent.parent / "broken"
CLI = [sys.executable, "-m", "tabellion.runtime.cli"]

# name, contract, the invariant it breaks, most steps after the deploy, examples, seed
CASES = [
    ("waterfall", "TwoTiers", "producer_paid <= (received_total - recouped) * 50%", 3, 300, 1),
    ("insurance", "DelayCover", "paid <= confirmed", 3, 300, 1),
    ("royalties", "Song", "balance == 0 EUR", 2, 200, 1),
    ("invoice", "Invoices", "settled <= invoiced", 5, 1000, 1),
]


def tabellion(*args):
    environment = {**os.environ, "NO_COLOR": "1", "TABELLION_DEBUG": ""}
    done = subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, timeout=300, env=environment)
    return done.returncode, done.stdout, done.stderr


def scenario_block(output: str) -> str:
    match = re.search(r'^scenario "counterexample[^\n]*\{\n.*?^\}$', output, re.MULTILINE | re.DOTALL)
    assert match, f"no counterexample scenario in:\n{output}"
    return match.group(0)


@pytest.mark.parametrize("name, contract, invariant, most_steps, examples, seed", CASES,
                         ids=[case[0] for case in CASES])
def test_a_broken_contract_is_caught_and_its_counterexample_replays(tmp_path, name, contract, invariant,
                                                                     most_steps, examples, seed):
    source = BROKEN / f"{name}_broken.sc"
    status, output, errors = tabellion("test", source, "--max-examples", examples, "--seed", seed,
                                       "--database", tmp_path / "examples")
    assert status == 1, output + errors
    assert f"invariant `{invariant}` would be broken by this call" in output
    assert f"reproduce: tabellion test {source} --seed {seed}" in output
    steps = int(re.search(r"counterexample \((\d+) steps? after the deploy\)", output).group(1))
    assert 1 <= steps <= most_steps, output

    scenario = scenario_block(output)
    pasted = tmp_path / f"{name}.sc"
    pasted.write_text(source.read_text(encoding="utf-8") + "\n" + scenario + "\n", encoding="utf-8")
    title = re.match(r'scenario "([^"]*)"', scenario).group(1)
    status, output, errors = tabellion("run", pasted, "--scenario", title)
    assert status == 1, output + errors
    lines = output.splitlines()
    failed = [i for i, line in enumerate(lines) if re.match(r"\s+FAIL ", line)]
    assert len(failed) == 1, output
    assert lines[failed[0]].strip().startswith("FAIL call "), output      # the last call, as printed
    assert "invariant" in lines[failed[0] + 1] and invariant in lines[failed[0] + 1], output


def test_the_machine_reports_a_broken_invariant_as_a_contract_failure():
    plan = MachinePlan(compile_file(str(BROKEN / "royalties_broken.sc")), "Song")
    failure = run_machine(plan, Options(max_examples=200, seed=1))
    assert isinstance(failure, ContractFailure) and not failure.bug
    assert failure.kind == "invariant"
    assert failure.steps == 1
    scenario = failure.scenario()
    assert scenario.startswith('scenario "counterexample: Song" {\n    fund sacem 1_000 EUR\n')
    assert "deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem\n" in scenario
    assert re.search(r"call s\.distribute\(\) by sacem paying 0\.0[12] EUR   // <- invariant", scenario), scenario


@pytest.mark.parametrize("name, contract", [(case[0], case[1]) for case in CASES], ids=[case[0] for case in CASES])
def test_the_correct_version_passes(name, contract):
    plan = MachinePlan(compile_file(str(BROKEN / f"{name}_correct.sc")), contract)
    assert run_machine(plan, Options(max_examples=60, seed=2)) is None


@pytest.mark.slow
@pytest.mark.parametrize("name", [case[0] for case in CASES])
def test_the_correct_version_passes_the_thorough_profile(tmp_path, name):
    status, output, errors = tabellion("test", BROKEN / f"{name}_correct.sc", "--profile", "thorough",
                                       "--database", tmp_path / "examples")
    assert status == 0, output + errors
    assert "1_000 examples" in output or "examples" in output


@pytest.mark.parametrize("name", [case[0] for case in CASES])
def test_the_broken_files_own_scenarios_pass(name):
    # the bug hides from the scenarios the author wrote: only generated steps find it
    status, output, errors = tabellion("run", BROKEN / f"{name}_broken.sc")
    assert status == 0, output + errors
