"""`tabellion run FILE`: play the scenarios of a file and show who got paid what.

Each step prints on one line (the step as written, then its outcome); calls and
deploys add their gas, events and transfers. A final table lists every balance.
`--trace` prints each executed statement, `--gas-report` the gas per entry,
`--explain PARTY` where each payment to PARTY came from. Exit status 1 when any
scenario fails.
"""

from __future__ import annotations

import statistics
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .sc file")
    parser.add_argument("--scenario", metavar="NAME", action="append",
                        help="run only the scenario(s) with this name (repeatable)")
    parser.add_argument("--chain", metavar="DIR", help="play the scenarios as signed transactions on a chain")
    parser.add_argument("--gas-report", action="store_true", help="print min/median/max gas per entry")
    parser.add_argument("--trace", action="store_true", help="print each executed statement")
    parser.add_argument("--explain", metavar="PARTY", action="append",
                        help="list each payment to PARTY and the statement that made it (repeatable)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")


def run(args) -> int:
    from ..scenarios import ScenarioRunner

    checked = load_checked(args.file)
    if checked is None:
        return 1
    if args.chain:
        from ..chain_scenarios import run_on_chain  # the persistent chain, when present

        return run_on_chain(checked, args)
    report = Report(sys.stdout, args, _sources(checked))
    trace = report.trace if args.trace else None
    runner = ScenarioRunner(checked, report.observe, trace)
    scenarios = select_scenarios(runner, args)
    if not scenarios:
        return 0 if scenarios is not None else 1
    results = [runner.run(scenario, home) for scenario, home in scenarios]
    report.summary(results)
    return 0 if all(r.ok for r in results) else 1


def select_scenarios(runner, args):
    """The scenarios `--scenario` asks for (all by default), or None after saying which
    names do not exist; an empty list (after saying so) when the file has none."""
    scenarios = runner.scenarios()
    if args.scenario:
        wanted = set(args.scenario)
        missing = wanted - {s.name for s, _ in scenarios}
        if missing:
            names = ", ".join(repr(s.name) for s, _ in scenarios) or "none"
            print(f"error: no scenario named {', '.join(map(repr, sorted(missing)))} (scenarios: {names})",
                  file=sys.stderr)
            return None
        scenarios = [(s, home) for s, home in scenarios if s.name in wanted]
    if not scenarios:
        print(f"{args.file}: no scenarios to run", file=sys.stderr)
    return scenarios


def _sources(checked) -> dict[str, str]:
    """Source text by file name, for the module and everything it imports."""
    found = {checked.module.path: checked.source}
    for imported in checked.imports:
        found.update(_sources(imported))
    return found


def load_checked(path: str):
    """The checked module of `path`, or None after printing its diagnostics."""
    from tabellion.lang import compile_source
    from tabellion.lang.errors import CompileError
    from tabellion.lang.reading import read_source

    from .check import _render, use_color

    source = None
    try:
        source = read_source(path)
        return compile_source(source, path)
    except CompileError as error:
        color = use_color("auto", sys.stderr)
        for diagnostic in error.diagnostics:
            sys.stderr.write(_render(source, path, diagnostic, color) + "\n")
        count = len(error.diagnostics)
        print(f"{count} error{'s' * (count != 1)} in {path}", file=sys.stderr)
        return None


class Report:
    """Prints scenario progress as the runner reports it."""

    def __init__(self, out, args, sources=None):
        self.out = out
        self.args = args
        self.sources = sources or {}
        self.gas: dict[str, list[int]] = {}
        self.payments: list[tuple[str, object]] = []
        self.scenario_name = ""
        self.traced: list[str] = []

    def write(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def observe(self, event: str, value) -> None:
        getattr(self, "_" + event)(value)

    def _scenario(self, value) -> None:
        scenario, home = value
        self.scenario_name = scenario.name
        where = f" ({home})" if home else ""
        self.write(f'scenario "{scenario.name}"{where}')

    def _step(self, result) -> None:

        receipt = result.receipt
        mark = "ok  " if result.ok else "FAIL"
        line = f"  {mark} {result.text}"
        if receipt is not None:
            line += f"   [gas {receipt.gas_used:_}]"
            if receipt.entry and receipt.kind == "call":
                self.gas.setdefault(receipt.entry, []).append(receipt.gas_used)
        if self.args.quiet and result.ok:
            self.traced.clear()
            self._payments(receipt)
            return
        self.write(line)
        for traced in self.traced:
            self.write(traced)
        self.traced.clear()
        if result.message and (not result.ok or receipt is not None and not receipt.ok):
            where = ""
            if receipt is not None and receipt.span is not None:
                where = f" at {receipt.span}"
            elif receipt is None:
                where = f" at {result.step.span}"
            self.write(f"         {result.message}{where}")
        for line in result.detail:
            self.write(f"         {line}")
        if receipt is not None and receipt.ok:
            for effect in receipt.effect_lines():
                self.write(f"         {effect}")
        self._payments(receipt)

    def _payments(self, receipt) -> None:
        if receipt is not None and receipt.ok:
            for transfer in receipt.transfers:
                self.payments.append((self.scenario_name, transfer))

    def _end(self, result) -> None:
        state = result.ledger.state
        rows = [(str(owner), currency, units) for (owner, currency), units in sorted(
            state.balances.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])) if units]
        if rows and not self.args.quiet:
            from ..numeric import Money

            width = max(len(r[0]) for r in rows)
            self.write("  balances:")
            for owner, currency, units in rows:
                self.write(f"    {owner:<{width}}  {Money(units, currency)!s:>18}")
        verdict = "passed" if result.ok else "FAILED"
        self.write(f"  {verdict}\n")

    def trace(self, execution, span) -> None:
        line = execution.instance.contract.checked.source.split("\n")[span.line - 1].strip()
        self.traced.append(f"       | {execution.instance.name}:{span.line}: {line}")

    def summary(self, results) -> None:
        if self.args.gas_report and self.gas:
            self.write("gas per entry:           calls        min     median        max")
            for entry, values in sorted(self.gas.items()):
                self.write(f"  {entry:<20} {len(values):>8} {min(values):>10_} "
                           f"{int(statistics.median(values)):>10_} {max(values):>10_}")
            self.write()
        for party in self.args.explain or ():
            self._explain(party)
        passed = sum(r.ok for r in results)
        failed = len(results) - passed
        self.write(f"{passed} passed, {failed} failed")

    def _statement_text(self, span) -> str | None:
        source = self.sources.get(span.file) if span is not None else None
        if source is None:
            return None
        lines = source.split("\n")
        return lines[span.line - 1].strip() if 0 < span.line <= len(lines) else None

    def _explain(self, party: str) -> None:
        self.write(f"payments to {party}:")
        found = False
        for scenario, transfer in self.payments:
            if str(transfer.target) != party:
                continue
            found = True
            where = f"{transfer.span.file}:{transfer.span.line}" if transfer.span else "paid with a call"
            cause = f", {transfer.cause}" if transfer.cause else ""
            self.write(f"  {transfer.amount!s:>18} from {transfer.source}  [{scenario}]")
            self.write(f"  {'':>18} {where}{cause}")
            statement = self._statement_text(transfer.span)
            if statement:
                self.write(f"  {'':>18}   {statement}")
        if not found:
            self.write("  none")
        self.write()
