"""Every benchmark still runs, at a tiny size. No timing is checked here (the machines
are shared and noisy); this only keeps `bench/` from breaking unnoticed."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

RUNS = [
    (["engine.py", "--iterations", "1000", "--calls", "50", "--receipts", "20"], "(c) 10-tier waterfall"),
    (["front_end.py", "--lines", "300", "--cold-runs", "1"], "Cold start"),
    (["chain.py", "--transactions", "60", "--block", "20", "--senders", "10", "--accounts", "100,1000"],
     "ratio 1,000 / 100 accounts"),
    (["state_root.py", "--sizes", "100,1000", "--rounds", "2"], "update time ratio"),
    (["testing.py", "--examples", "3", "--seeds", "1"], "steps/s"),
]


@pytest.mark.parametrize("arguments, expected", RUNS, ids=[r[0][0] for r in RUNS])
def test_benchmark_runs(arguments, expected):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / arguments[0]), *arguments[1:]],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert expected in result.stdout
