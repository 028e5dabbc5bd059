"""Testing a whole file: its scenarios, its `property` blocks and a generated state machine per contract.

`run_file(path, options, observer)` is what `tabellion test` runs for each file;
the observer (see `commands/test.py`) shows progress and the summary.

Profiles (`Options.profile`), and what `--max-examples` overrides:

| profile    | examples per machine / property | steps per example | randomness                   |
|------------|----------------------------------|-------------------|------------------------------|
| `default`  | 100                              | 30                | a fresh seed each run, shown |
| `ci`       | 100                              | 30                | derandomized: same every run |
| `thorough` | 1_000                            | 50                | a fresh seed each run, shown |

Failing examples are kept in a Hypothesis `DirectoryBasedExampleDatabase` under
`.tabellion/examples` next to the file (in the user's data directory when that
folder cannot be written) and replayed first on the next run, so a failure once
found stays found until it is fixed. Each machine and property has its own key
there (file, contract, property name), so editing a contract keeps its failures.
The `ci` profile, being derandomized, neither reads nor writes them.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from pathlib import Path

import attrs
from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.errors import Flaky, Unsatisfiable

from tabellion.lang import ast

from .failures import CheckFailed, ContractFailure, TabellionBug

__all__ = ["Options", "Outcome", "FileReport", "PROFILES", "run_file", "run_checked", "hypothesis_settings",
           "run_machine", "run_property", "database_for"]

PROFILES = {
    "default": {"max_examples": 100, "steps": 30, "derandomize": False},
    "ci": {"max_examples": 100, "steps": 30, "derandomize": True},
    "thorough": {"max_examples": 1000, "steps": 50, "derandomize": False},
}
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)


@attrs.define
class Options:
    profile: str = "default"
    max_examples: int | None = None
    steps: int | None = None
    seed: int | None = None
    database: object = None  # None: next to the file; False: none; else a directory

    def __attrs_post_init__(self):
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r} (profiles: {', '.join(PROFILES)})")

    @property
    def derandomize(self) -> bool:
        return PROFILES[self.profile]["derandomize"] and self.seed is None

    @property
    def examples(self) -> int:
        return self.max_examples or PROFILES[self.profile]["max_examples"]

    @property
    def step_count(self) -> int:
        return self.steps or PROFILES[self.profile]["steps"]


@attrs.define
class Outcome:
    """One thing tested: a scenario, a property or a contract's state machine."""

    kind: str                 # "scenario", "property", "machine"
    name: str
    group: str                # the contract it belongs to, or "(file)"
    status: str = "running"   # "passed", "failed", "bug", "skipped"
    seconds: float = 0.0
    message: str | None = None
    failure: CheckFailed | None = None
    examples: int = 0
    steps: int = 0
    detail: tuple = ()

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "skipped")


@attrs.define
class FileReport:
    path: str
    outcomes: list
    seed: int | None
    errors: tuple = ()        # compile diagnostics, already rendered

    @property
    def ok(self) -> bool:
        return not self.errors and all(o.ok for o in self.outcomes)


def database_for(path: str, choice=None):
    """The example database for `path`: `.tabellion/examples` beside it, else the user's data dir."""
    if choice is False:
        return None
    if choice not in (None, True):
        return DirectoryBasedExampleDatabase(str(choice))
    beside = Path(path).resolve().parent / ".tabellion" / "examples"
    # created by Hypothesis on the first failure kept; here only check it could be
    existing = next((p for p in (beside, beside.parent, beside.parent.parent) if p.exists()), None)
    if existing is not None and existing.is_dir() and os.access(existing, os.W_OK):
        return DirectoryBasedExampleDatabase(str(beside))
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    digest = hashlib.sha256(str(Path(path).resolve().parent).encode()).hexdigest()[:16]
    return DirectoryBasedExampleDatabase(str(data_home / "tabellion" / "examples" / digest))


def hypothesis_settings(options: Options, database) -> settings:
    return settings(
        max_examples=options.examples,
        stateful_step_count=options.step_count,
        derandomize=options.derandomize,
        database=None if options.derandomize else database,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        phases=_PHASES,
        print_blob=False,
    )


def _prepare(test, key: str, seed: int | None) -> None:
    """Give a Hypothesis test its own database key and, if any, a seed, keeping the database on.

    These are Hypothesis internals: `_hypothesis_internal_add_digest` is what
    stateful tests and `pytest.mark.parametrize` set to tell tests apart in the
    database, `_hypothesis_internal_use_seed` what `@seed` sets (the decorator
    would also switch the database off, and failures would not be kept).
    """
    inner = test.hypothesis.inner_test
    inner._hypothesis_internal_add_digest = hashlib.sha256(key.encode()).digest()
    if seed is not None:
        test._hypothesis_internal_use_seed = seed


def _run(test, what: str, unsatisfiable: str = "no example could be run") -> CheckFailed | None:
    try:
        test()
    except CheckFailed as failure:
        return failure
    except Unsatisfiable:
        return ContractFailure("setup", f"{what}: {unsatisfiable}")
    except Flaky as error:
        return TabellionBug("flaky", f"{what}: the same steps gave different results: {error}")
    except BaseExceptionGroup as group:  # noqa: F821 - Python 3.11
        found = [e for e in group.exceptions if isinstance(e, CheckFailed)]
        if found:
            return found[0]
        return TabellionBug("internal", f"{what}: {group}")
    except Exception as error:  # noqa: BLE001 - a failure of the harness itself
        return TabellionBug("internal", f"{what}: the test harness raised {type(error).__name__}: {error}")
    return None


def run_machine(plan, options: Options, database=None, key: str | None = None) -> CheckFailed | None:
    """Run the generated state machine of `plan`; the failure found (shrunk), or None."""
    from hypothesis.stateful import get_state_machine_test

    from .machine import machine_for

    factory = machine_for(plan)
    test = get_state_machine_test(factory, settings=hypothesis_settings(options, database))
    _prepare(test, key or f"machine:{plan.checked.module.span.file}:{plan.name}", options.seed)
    unsatisfiable = "no example could be run"
    if plan.setup is None and plan.deploy_args is None:
        unsatisfiable = f"no generated deploy of {plan.name} went through: write a scenario that deploys it"
    return _run(test, f"state machine of {plan.name}", unsatisfiable)


def run_property(runner, node: ast.Property, home: str | None, options: Options, database=None,
                 key: str | None = None, native: str = "EUR") -> CheckFailed | None:
    from .properties import property_test
    from .strategies import Unsupported

    try:
        test = property_test(runner, node, home, native)
    except Unsupported as error:
        return ContractFailure("property", f'property "{node.name}": {error}')
    test = settings(hypothesis_settings(options, database))(test)
    _prepare(test, key or f"property:{node.span.file}:{home}:{node.name}", options.seed)
    return _run(test, f'property "{node.name}"', "no example could be run: no arguments drawn satisfy `where`")


def _group_of_scenario(node: ast.Scenario, home: str | None) -> str:
    if home is not None:
        return home
    for step in node.steps:
        if isinstance(step, ast.Deploy):
            return step.contract.text
    return "(file)"


def run_file(path: str, options: Options | None = None, observer=None) -> FileReport:
    """Compile `path` and test everything in it; compile errors come back rendered in `errors`."""
    from tabellion.lang import compile_source
    from tabellion.lang.diagnostics import render
    from tabellion.lang.errors import CompileError
    from tabellion.lang.reading import read_source

    options = options or Options()
    source = None
    try:
        source = read_source(path)
        checked = compile_source(source, path)
    except CompileError as error:
        rendered = tuple(render(source, d) for d in error.diagnostics)
        return FileReport(path, [], options.seed, rendered or (str(error),))
    return run_checked(checked, path, options, observer)


def run_checked(checked, path: str, options: Options, observer=None) -> FileReport:
    from ..scenarios import ScenarioRunner
    from .plan import MachinePlan

    observer = observer or (lambda event, value: None)
    if options.seed is None and not options.derandomize:
        options = attrs.evolve(options, seed=random.getrandbits(32))
    database = None if options.derandomize else database_for(path, options.database)
    runner = ScenarioRunner(checked)
    report = FileReport(path, [], options.seed)
    observer("file", report)

    scenarios = [(s, home, _group_of_scenario(s, home)) for s, home in runner.scenarios()]
    properties = [(p, info.name) for info in checked.contracts.values() for p in info.properties]
    properties += [(p, None) for p in checked.properties]
    # the file's contracts, then imported ones its scenarios deploy: each gets a machine
    tested = list(checked.contracts)
    for scenario, _, _ in scenarios:
        for step in scenario.steps:
            if isinstance(step, ast.Deploy) and step.contract.text not in tested:
                tested.append(step.contract.text)
    groups = tested + ["(file)"]

    def run(outcome: Outcome, action) -> None:
        observer("start", outcome)
        started = time.perf_counter()
        action(outcome)
        outcome.seconds = time.perf_counter() - started
        report.outcomes.append(outcome)
        observer("end", outcome)

    for group in groups:
        for scenario, home, owner in scenarios:
            if owner == group:
                run(Outcome("scenario", scenario.name, group), lambda o, s=scenario, h=home: _scenario(runner, s, h, o))
        for node, home in properties:
            if (home or "(file)") == group:
                key = f"property:{Path(path).name}:{home}:{node.name}"
                run(Outcome("property", node.name, group),
                    lambda o, n=node, h=home, k=key: _property(runner, n, h, options, database, k, o))
        if group in tested:
            def machine(outcome, group=group):
                plan = MachinePlan(checked, group, runner=runner, on_step=lambda stats: observer("progress", stats))
                _machine(plan, options, database, f"machine:{Path(path).name}:{group}", outcome)

            run(Outcome("machine", "state machine", group), machine)
    return report


def _scenario(runner, node, home, outcome: Outcome) -> None:
    try:
        result = runner.run(node, home)
    except Exception as error:  # noqa: BLE001 - an internal error while playing it
        outcome.status, outcome.message = "bug", f"internal error: {type(error).__name__}: {error}"
        return
    outcome.steps = len(result.steps)
    if result.ok:
        outcome.status = "passed"
        return
    outcome.status = "failed"
    failed = [step for step in result.steps if not step.ok]
    outcome.message = f"{failed[0].text}: {failed[0].message}" if failed else "failed"
    outcome.detail = tuple(line for step in failed for line in step.detail)


def _property(runner, node, home, options, database, key, outcome: Outcome) -> None:
    failure = run_property(runner, node, home, options, database, key)
    _settle(outcome, failure)


def _machine(plan, options, database, key, outcome: Outcome) -> None:
    reason = plan.cannot_generate()
    if reason is not None:
        outcome.status, outcome.message = "skipped", f"no scenario deploys {plan.name}, and {reason}"
        return
    if not plan.entries:
        outcome.status, outcome.message = "skipped", f"{plan.name} has no entry to call"
        return
    failure = run_machine(plan, options, database, key)
    outcome.examples, outcome.steps = plan.stats.examples, plan.stats.steps
    _settle(outcome, failure)


def _settle(outcome: Outcome, failure: CheckFailed | None) -> None:
    if failure is None:
        outcome.status = "passed"
        return
    outcome.status = "bug" if failure.bug else "failed"
    outcome.message = failure.message
    outcome.failure = failure
    outcome.detail = failure.detail
