"""Benchmark: steps per second of the generated state machine (`tabellion test`), target >= 200.

Contracts: the standard library's waterfall and insurance if `stdlib/waterfall.sc`
and `stdlib/insurance.sc` exist, else examples/film_waterfall.sc and
examples/flight_delay.sc. Each runs its generated state machine (fixed seeds, no
example database) and counts steps (deploy, fund, wait and call steps; the
shrinker's no-op pauses are not counted). The baseline, measured in the same
run, replays the very steps the machine took directly on the engine (no
Hypothesis, no checks): the ratio is what drawing and checking cost on top.

    python bench/testing.py [--examples N] [--seeds K]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tabellion.lang import compile_file
from tabellion.runtime.ledger import DevLedger
from tabellion.runtime.scenarios import ScenarioContext
from tabellion.runtime.testing.machine import machine_for
from tabellion.runtime.testing.plan import MachinePlan
from tabellion.runtime.testing.session import Options, hypothesis_settings
from tabellion.runtime.testing.transcript import Called, Deployed, Funded, Setup, Waited

ROOT = Path(__file__).resolve().parent.parent
TARGET = 200


def contracts() -> list[Path]:
    stdlib = [ROOT / "stdlib" / "waterfall.sc", ROOT / "stdlib" / "insurance.sc"]
    if all(path.exists() for path in stdlib):
        return stdlib
    return [ROOT / "examples" / "film_waterfall.sc", ROOT / "examples" / "flight_delay.sc"]


def run_machine(path: Path, contract: str, examples: int, seed: int):
    """(steps, seconds, transcripts) of one run of the machine."""
    from hypothesis.stateful import get_state_machine_test

    plan = MachinePlan(compile_file(str(path)), contract)
    transcripts = []

    class Recorded(machine_for(plan)):
        def teardown(self):
            transcripts.append(list(self.transcript.steps))

    test = get_state_machine_test(Recorded, settings=hypothesis_settings(Options(max_examples=examples), None))
    test._hypothesis_internal_use_seed = seed
    started = time.perf_counter()
    test()
    return plan.stats.steps, time.perf_counter() - started, transcripts, plan


def replay(plan: MachinePlan, transcripts) -> tuple[int, float]:
    """The same steps straight on the engine: (steps, seconds)."""
    steps, started = 0, time.perf_counter()
    for transcript in transcripts:
        ledger = DevLedger()
        if plan.setup is not None:
            context = ScenarioContext(plan.runner, ledger)
            for node in plan.setup.prefix:
                plan.runner.step(node, context, plan.setup.home)
        address = None
        for step in transcript:
            if isinstance(step, Setup):
                continue
            steps += 1
            if isinstance(step, Deployed):
                address = ledger.deploy(plan.compiled, dict(step.args), step.by, step.paying).address
            elif isinstance(step, Funded):
                ledger.fund(step.party, step.amount)
            elif isinstance(step, Waited):
                ledger.wait(step.duration)
            elif isinstance(step, Called):
                ledger.call(address, step.entry, step.args, step.caller, step.paying)
    return steps, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    for path in contracts():
        checked = compile_file(str(path))
        for contract in checked.contracts:
            rates, ratios = [], []
            for seed in range(args.seeds):
                steps, seconds, transcripts, plan = run_machine(path, contract, args.examples, seed)
                base_steps, base_seconds = replay(plan, transcripts)
                rate = steps / seconds
                rates.append(rate)
                ratios.append((base_steps / base_seconds) / rate)
            rate = statistics.median(rates)
            verdict = "ok" if rate >= TARGET else "BELOW TARGET"
            print(f"{path.relative_to(ROOT)} {contract}: {rate:,.0f} steps/s (median of {args.seeds} runs of "
                  f"{args.examples} examples; target >= {TARGET}: {verdict}); the engine alone on the same steps "
                  f"is {statistics.median(ratios):.1f}x faster")


if __name__ == "__main__":
    main()
