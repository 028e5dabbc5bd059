"""`tabellion test FILE...`: scenarios, `property` blocks and a generated state machine per contract.

For each file: every scenario is played (as `tabellion run` does), every
property is run for generated arguments, and each contract defined in the file
gets a generated state machine (deployed as the first scenario that deploys it
does, or with generated params) that checks invariants, conservation of money,
refusals, permissions and internal errors after every step
(`tabellion.runtime.testing`, docs/testing.md).

While it runs it shows progress: one updating line on a terminal, a plain line
per finished item otherwise. A failure prints the shrunk counterexample as a
`scenario` block to paste into the file (it fails `tabellion run` the same way)
and the seed that reproduces the run. A summary ends the output: counts and time
per contract. Exit status 1 if anything failed; bugs in Tabellion that the run
found are counted apart from contract failures.
"""

from __future__ import annotations

import sys
import time

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("files", metavar="FILE", nargs="+", help="the .sc files to test")
    parser.add_argument("--max-examples", type=_positive, metavar="N",
                        help="examples per state machine and per property (default: the profile's)")
    parser.add_argument("--seed", type=int, metavar="S", help="the random seed (printed by every run)")
    parser.add_argument("--profile", choices=("default", "ci", "thorough"), default="default",
                        help="ci: derandomized, same examples every run; thorough: 1_000 examples of 50 steps")
    parser.add_argument("--steps", type=_positive, metavar="N", help="steps per state machine example")
    parser.add_argument("--database", metavar="DIR",
                        help="where failing examples are kept (default: .tabellion/examples beside each file)")
    parser.add_argument("--no-database", action="store_true", help="neither read nor keep failing examples")


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def run(args) -> int:
    from tabellion.runtime.testing.session import Options, run_checked

    from .run import load_checked

    database = False if args.no_database else args.database
    options = Options(profile=args.profile, max_examples=args.max_examples, steps=args.steps, seed=args.seed,
                      database=database)
    display = Display(sys.stdout, sys.stdout.isatty())
    reports, broken_files = [], 0
    for path in args.files:
        checked = load_checked(path)
        if checked is None:
            broken_files += 1
            continue
        report = run_checked(checked, path, options, display.observe)
        reports.append(report)
        display.failures(report)
    display.summary(reports, broken_files)
    return 0 if not broken_files and all(r.ok for r in reports) else 1


class Display:
    """Progress while the run goes on, then failures and the summary."""

    def __init__(self, out, tty: bool):
        self.out = out
        self.tty = tty
        self.current = None
        self.last_draw = 0.0
        self.path = None

    def write(self, text: str = "") -> None:
        self.clear()
        self.out.write(text + "\n")
        self.out.flush()

    def clear(self) -> None:
        if self.tty and self.current is not None:
            self.out.write("\r\x1b[K")

    def observe(self, event: str, value) -> None:
        if event == "file":
            self.path = value.path
            seed = f" (seed {value.seed})" if value.seed is not None else " (derandomized)"
            self.write(f"{value.path}{seed}")
        elif event == "start":
            self.current = value
            self.started = time.perf_counter()
            self.draw(None, force=True)
        elif event == "progress":
            self.draw(value)
        elif event == "end":
            self.clear()
            self.current = None
            self.out.write(_line(value) + "\n")
            self.out.flush()

    def draw(self, stats, force: bool = False) -> None:
        if not self.tty or self.current is None:
            return
        now = time.perf_counter()
        if not force and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        outcome = self.current
        counts = f"  {stats.examples} examples, {stats.steps:_} steps" if stats is not None else ""
        self.out.write(f"\r\x1b[K  ...   {outcome.group}: {_title(outcome)}{counts}  ({now - self.started:.1f} s)")
        self.out.flush()

    def failures(self, report) -> None:
        for outcome in report.outcomes:
            if outcome.ok:
                continue
            kind = "BUG IN TABELLION" if outcome.status == "bug" else "FAILED"
            self.write()
            self.write(f"{kind}  {report.path}: {outcome.group}, {_title(outcome)}")
            self.write(f"  {outcome.message}")
            for line in outcome.detail:
                self.write(f"    {line}")
            failure = outcome.failure
            scenario = failure.scenario() if failure is not None else None
            if scenario:
                steps = failure.steps
                counted = f"{steps} step{'s' * (steps != 1)}" + (" after the deploy" if outcome.kind == "machine" else "")
                self.write()
                self.write(f"  counterexample ({counted}); paste it into {report.path} and run "
                           f"`tabellion run {report.path} --scenario \"{_scenario_name(scenario)}\"`:")
                self.write()
                self.write(scenario)
                self.write()
            if outcome.kind != "scenario":
                if report.seed is not None:
                    self.write(f"  reproduce: tabellion test {report.path} --seed {report.seed}")
                else:
                    self.write(f"  reproduce: tabellion test {report.path} --profile ci")
            if outcome.status == "bug":
                self.write("  this is a bug in Tabellion, not in the contract: please report it")

    def summary(self, reports, broken_files: int) -> None:
        self.write()
        self.write("summary")
        rows = []
        for report in reports:
            groups: dict[str, list] = {}
            for outcome in report.outcomes:
                groups.setdefault(outcome.group, []).append(outcome)
            for group, outcomes in groups.items():
                rows.append((group, outcomes))
        width = max([len(g) for g, _ in rows] + [8])
        for group, outcomes in rows:
            scenarios = [o for o in outcomes if o.kind == "scenario"]
            properties = [o for o in outcomes if o.kind == "property"]
            machines = [o for o in outcomes if o.kind == "machine"]
            seconds = sum(o.seconds for o in outcomes)
            parts = [f"scenarios {sum(o.ok for o in scenarios)}/{len(scenarios)}",
                     f"properties {sum(o.ok for o in properties)}/{len(properties)}"]
            for machine in machines:
                verdict = {"passed": "ok", "skipped": "skipped", "bug": "BUG", "failed": "FAILED"}[machine.status]
                parts.append(f"state machine {verdict} ({machine.examples} examples, {machine.steps:_} steps)")
            ok = all(o.ok for o in outcomes)
            self.write(f"  {'ok  ' if ok else 'FAIL'} {group:<{width}}  {'   '.join(parts)}   {seconds:.2f} s")
        outcomes = [o for r in reports for o in r.outcomes]
        failed = sum(o.status == "failed" for o in outcomes)
        bugs = sum(o.status == "bug" for o in outcomes)
        passed = sum(o.status == "passed" for o in outcomes)
        skipped = sum(o.status == "skipped" for o in outcomes)
        line = f"{passed} passed, {failed} failed"
        if skipped:
            line += f", {skipped} skipped"
        if bugs:
            line += f", {bugs} bug{'s' * (bugs != 1)} in Tabellion found"
        if broken_files:
            line += f", {broken_files} file{'s' * (broken_files != 1)} with errors"
        self.write(line)


def _title(outcome) -> str:
    if outcome.kind == "machine":
        return "state machine"
    return f'{outcome.kind} "{outcome.name}"'


def _line(outcome) -> str:
    mark = {"passed": "ok  ", "skipped": "skip", "bug": "BUG ", "failed": "FAIL"}[outcome.status]
    text = f"  {mark}  {outcome.group}: {_title(outcome)}"
    if outcome.kind == "machine" and outcome.status != "skipped":
        text += f" ({outcome.examples} examples, {outcome.steps:_} steps)"
    text += f"  {_duration(outcome.seconds)}"
    if outcome.status == "skipped":
        text += f"  ({outcome.message})"
    return text


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _scenario_name(scenario: str) -> str:
    import re

    match = re.search(r'scenario "((?:[^"\\]|\\.)*)"', scenario)
    return match.group(1) if match else ""
