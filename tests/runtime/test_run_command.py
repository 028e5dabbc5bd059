"""`tabellion run` as a user runs it: a real process, its output and exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

FILM = "examples/film_waterfall.sc"


def tabellion(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_run_an_example():
    result = tabellion("run", FILM)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed, 0 failed" in result.stdout
    assert "balances:" in result.stdout and "event Received" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_failing_expectation_exits_1_with_expected_and_actual(tmp_path):
    path = tmp_path / "bad.sc"
    path.write_text('contract A { state n: Int  entry f() by anyone { n += 1 } }\n'
                    'scenario "wrong" { deploy a = A()\n call a.f() by x\n expect a.n == 2 }\n')
    result = tabellion("run", str(path))
    assert result.returncode == 1
    assert "FAIL expect a.n == 2" in result.stdout and "a.n is 1" in result.stdout


def test_compile_errors_are_diagnostics(tmp_path):
    path = tmp_path / "broken.sc"
    path.write_text("contract A { entry f() by anyon { } }\n")
    result = tabellion("run", str(path))
    assert result.returncode == 1
    assert "error[E0203]" in result.stderr and "Traceback" not in result.stderr


def test_options(tmp_path):
    report = tabellion("run", FILM, "--gas-report", "--explain", "producer", "--quiet")
    assert report.returncode == 0
    assert "gas per entry:" in report.stdout and "receive" in report.stdout
    assert "payments to producer:" in report.stdout and "tier" in report.stdout
    traced = tabellion("run", FILM, "--trace", "--scenario", "two receipts straddle the tiers")
    assert traced.returncode == 0 and "| Film:" in traced.stdout
    missing = tabellion("run", FILM, "--scenario", "no such scenario")
    assert missing.returncode == 1 and "no scenario named" in missing.stderr


@pytest.mark.parametrize("bad", ["missing.sc", "."])
def test_bad_paths(bad):
    result = tabellion("run", bad)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_gas_schedule_matches_the_docs():
    result = tabellion("gas-schedule", "--markdown")
    assert result.returncode == 0
    with open("docs/gas.md", encoding="utf-8") as handle:
        assert result.stdout.strip() in handle.read()
