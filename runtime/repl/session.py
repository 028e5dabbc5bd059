"""A REPL session: contracts, a development ledger, and the steps played on it so far.

Each input is parsed as declarations and scenario steps (`parse_repl_input`), or else
as one expression. Declarations join the session's module (`SessionSource`), which is
checked whole; a step is checked alone by the scenario checker, against what the
earlier steps bound (`StepChecker`), then run by the scenario runner's own step
machinery on the session's one `DevLedger` and `ScenarioContext`.

The log keeps every step that succeeded. Whatever must rewind — `:undo`, `:reload`,
a new version of a contract, Ctrl-C during a call — replays the log from scratch on
a fresh ledger: the engine is deterministic, so the replay reaches the same state,
and the log is exactly the scenario that `:save` writes.

On a persistent chain (`chain` given; `repl/chain.py`) the ledger is the chain's
`ChainLedger`: every transaction is a block, failed ones included, and nothing
rewinds — `rebuild` only re-checks against new contracts, keeping the bindings.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from itertools import groupby

from tabellion.lang import ast, compile_source
from tabellion.lang.diagnostics import Diagnostic
from tabellion.lang.errors import CompileError, TabellionError
from tabellion.lang.parser import parse_expression, parse_repl_input

from ..errors import OutOfGas, Revert
from ..ledger import DevLedger
from ..scenarios import ScenarioContext
from .printer import Printer, entry_signature, show
from .source import (
    MODULE_PATH,
    Chunk,
    SessionSource,
    scenario_count,
    source_slice,
    with_default_caller,
)
from .steps import SessionRunner, StepChecker

__all__ = ["LoggedStep", "Session"]

_ITEMS = (ast.Contract, ast.Import, ast.Scenario, ast.Property)


class LoggedStep:
    """A step that succeeded: its node, the input it came from, and its exact text."""

    __slots__ = ("input", "node", "text")

    def __init__(self, node, input_name: str, text: str):
        self.node = node
        self.input = input_name
        self.text = text

    @property
    def changes(self) -> bool:
        """Whether undoing it changes anything (an `expect` only looks)."""
        return not isinstance(self.node, ast.Expect)


class _Outcome:
    __slots__ = ("diagnostics", "ok", "receipts", "result")

    def __init__(self, ok, diagnostics=(), result=None, receipts=()):
        self.ok, self.diagnostics, self.result, self.receipts = ok, diagnostics, result, receipts

    @property
    def reason(self) -> str:
        if self.diagnostics:
            return self.diagnostics[0].message
        return self.result.message or "failed"


class Session:
    """Everything one `tabellion repl` knows; `execute(text)` runs one input."""

    def __init__(self, out, color: bool = False, party: str | None = None, chain=None,
                 passphrase_file: str | None = None):
        self.printer = Printer(out, color)
        self.chain = chain          # an open runtime.chain.node.Chain, or None: the development ledger
        self.chain_dir = None
        if chain is not None:
            from .chain import Reads, chain_ledger, renamer

            self.chain_dir = str(chain.directory)
            self.chain_ledger = chain_ledger(chain, passphrase_file)
            self.reads = Reads(chain)
            self.printer.rename = renamer(self.chain_ledger)
        self.source = SessionSource()
        self.checked = compile_source("", MODULE_PATH)
        self.log: list[LoggedStep] = []
        self.party = party
        self.trace_on = False
        self.failures = 0
        self.quit = False
        self.inputs = 0
        self.last_receipt = None
        self.last_gas: tuple = ()
        self._keep: list = []       # every parsed node stays alive: side tables are keyed by id(node)
        self._gas_trace: list = []
        self._fresh_runtime()

    def _fresh_runtime(self) -> None:
        self.checker = StepChecker(self.checked)
        self.runner = SessionRunner(self, self.checked, self._trace)
        if self.chain is not None:
            from .chain import ReplChainContext

            self.ledger = self.chain_ledger
            self.context = ReplChainContext(self.runner, self.ledger, self)
        else:
            self.ledger = DevLedger()
            self.context = ScenarioContext(self.runner, self.ledger)
        self.blocks: dict[int, tuple] = {}  # height -> (time, the step's text)

    @property
    def on_chain(self) -> bool:
        return self.chain is not None

    def read_request(self, action, resource):
        """The bytes of a read request signed by the `:as` party (None: anonymous)."""
        from .chain import sign_request

        return sign_request(self, action, resource)

    # -- one input

    def execute(self, text: str) -> bool:
        """Run one input (declarations, steps, an expression or a `:command`); False if anything failed."""
        if not text.strip():
            return True
        try:
            if text.strip().startswith(":"):
                from .commands import run_command

                ok = run_command(self, text.strip())
            else:
                ok = self._input(text)
        except KeyboardInterrupt:
            self.rebuild()
            self.printer.line("interrupted: the chain keeps the blocks already made (see :blocks)" if self.on_chain
                              else "interrupted: nothing changed")
            ok = False
        except Exception as error:  # noqa: BLE001 - a bug in Tabellion must not end the session
            self.printer.error(f"internal error: {type(error).__name__}: {error} — this is a bug in Tabellion, "
                               "please report it")
            self.rebuild()
            ok = False
        if not ok:
            self.failures += 1
        return ok

    def _input(self, text: str) -> bool:
        self.inputs += 1
        name = f"<input-{self.inputs}>"
        self.source.texts[name] = text
        parsed = self._parse(text, name)
        if parsed is None:
            return False
        if isinstance(parsed, ast.Expr):
            return self._expression(parsed)
        if self.party is not None:
            rewritten = with_default_caller(text, parsed, self.party)
            if rewritten is not None:
                text = self.source.texts[name] = rewritten
                parsed = parse_repl_input(text, name)
        self._keep.append(parsed)
        groups = [(declares, list(nodes)) for declares, nodes in groupby(parsed, lambda n: isinstance(n, _ITEMS))]
        for index, (declares, nodes) in enumerate(groups):
            ok = self._declare(nodes, name, text) if declares else all(self.run_step(n, text) for n in nodes)
            if not ok:
                if index + 1 < len(groups):
                    self.printer.line("       (the rest of this input was not run)")
                return False
        return True

    def _parse(self, text: str, name: str):
        """The input's nodes, or its expression, or None after printing why neither parses."""
        try:
            return parse_repl_input(text, name)
        except CompileError as as_steps:
            try:
                return parse_expression(text, name)
            except CompileError as as_expression:
                chosen = as_steps if _reach(as_steps) >= _reach(as_expression) else as_expression
                self.printer.diagnostics(chosen.diagnostics, self.source)
                return None

    # -- declarations

    def _declare(self, items, name: str, text: str) -> bool:
        for item in items:
            if isinstance(item, (ast.Scenario, ast.Property)):
                word = "scenario" if isinstance(item, ast.Scenario) else "property"
                self.printer.diagnostics([Diagnostic(
                    "E0601", f"a {word} block is not run at the prompt", item.span,
                    hint="type its steps one at a time, or keep it in a file for `tabellion run`/`tabellion test`")],
                    self.source)
                return False
        return self.change_module(self.source.with_typed([Chunk.typed(name, text, items)]))

    def check_module(self, candidate: SessionSource):
        """The checked module of `candidate`, or None after printing its diagnostics."""
        try:
            return compile_source(candidate.text, MODULE_PATH)
        except CompileError as error:
            self.printer.diagnostics(error.diagnostics, candidate)
            return None

    def change_module(self, candidate: SessionSource, heading: str | None = None) -> bool:
        """Switch to new contracts and replay the log on them; report what changed."""
        checked = self.check_module(candidate)
        if checked is None:
            return False
        if heading:
            self.printer.line(heading)
        before, after = self.source.contract_texts(), candidate.contract_texts()
        self.source, self.checked = candidate, checked
        redeployed = sorted({entry.node.contract.text for entry in self.log if isinstance(entry.node, ast.Deploy)
                             and before.get(entry.node.contract.text) != after.get(entry.node.contract.text)})
        count = len(self.log)
        dropped = self.rebuild()
        changed = [name for name in sorted(after) if before.get(name) != after[name]]
        if heading and not changed:
            self.printer.line("  no contract changed")
        for name in changed:
            self.printer.line(f"{'changed' if name in before else 'contract'} {name}")
            info = checked.contracts.get(name)
            for entry in info.entries.values() if info is not None else ():
                self.printer.line(f"  entry {entry.name}{entry_signature(entry)}")
        if redeployed and self.on_chain:
            self.printer.line(f"note: the instances of {', '.join(redeployed)} already on the chain keep their "
                              "code; later deploys use the new version")
        elif redeployed:
            self.printer.line(f"redeployed {', '.join(redeployed)}: replayed {count - len(dropped)} of {count} steps")
        for entry, reason in dropped:
            self.printer.line(f"dropped: {' '.join(entry.text.split())}  ({reason})")
        return True

    # -- steps

    def run_step(self, node, text: str) -> bool:
        outcome = self._apply(node)
        if outcome.receipts:
            self.last_receipt = outcome.receipts[-1]
            self.last_gas = tuple(self._gas_trace)
        if outcome.diagnostics:
            self.printer.diagnostics(outcome.diagnostics, self.source)
            return False
        if outcome.ok:
            self.log.append(LoggedStep(node, node.span.file, source_slice(text, node.span)))
        self.printer.step(outcome.result, self.source, self._binding(node) if outcome.ok else None)
        return outcome.ok

    def _apply(self, node) -> _Outcome:
        """Check and run one step; a failure leaves the ledger and the bindings as they were."""
        saved = self.checker.save()
        diagnostics = self.checker.step(node)
        if diagnostics:
            self.checker.restore(saved)
            return _Outcome(False, diagnostics)
        ledger = self.ledger
        height, count = ledger.height, len(ledger.receipts)
        self._gas_trace = []
        result = self.runner.step(node, self.context, None)
        receipts = tuple(ledger.receipts[count:])
        if result.ok or self.on_chain:  # on a chain a failed transaction has its block too: blocks are final
            for number in range(height + 1, ledger.height + 1):
                self.blocks[number] = (ledger.now, result.text)
            if not result.ok:
                self.checker.restore(saved)
        else:  # a failed transaction takes no block at the prompt: nothing changes
            del ledger.receipts[count:]
            ledger.height = height
            self.checker.restore(saved)
        return _Outcome(result.ok, (), result, receipts)

    def _binding(self, node) -> str | None:
        if isinstance(node, (ast.Let, ast.Assign)):
            target = node.name.text if isinstance(node, ast.Let) else getattr(node.target, "text", None)
            if target in self.context.locals:
                return f"{target} = {show(self.context.locals[target])}"
        elif isinstance(node, ast.Fund):
            party = node.party.text
            from ..values import Party

            return f"{party} holds {self.ledger.balance(Party(party), self._currency_of(node))}"
        elif isinstance(node, (ast.Wait, ast.At)):
            return f"now {self.ledger.now}"
        return None

    def _currency_of(self, node) -> str | None:
        type_ = self.checked.types.get(id(node.amount))
        return getattr(type_, "currency", None)

    def _expression(self, expr) -> bool:
        self._keep.append(expr)
        _type, diagnostics = self.checker.expression(expr)
        if diagnostics:
            self.printer.diagnostics(diagnostics, self.source)
            return False
        try:
            value = self.runner.evaluate(expr, self.context)
        except (Revert, OutOfGas) as error:
            self.printer.error(error.reason)
            self.printer.place(error.span, self.source)
            return False
        except (KeyError, IndexError) as error:
            self.printer.error(f"missing key: {show(error.args[0]) if error.args else '?'}")
            return False
        except TabellionError as error:
            self.printer.error(str(error))
            return False
        self.printer.line(show(value))
        return True

    def _trace(self, execution, span) -> None:
        self._gas_trace.append((span, execution.gas.used, execution.instance))
        if self.trace_on:
            self.printer.trace(span, self.source, execution.instance)

    # -- rewinding

    def rebuild(self) -> list:
        """Replay the log on a fresh ledger; returns the steps that no longer pass, with why.

        Ctrl-C is held off meanwhile: a replay cut short would lose the steps not yet replayed.
        """
        if self.on_chain:
            self._recheck()
            return []
        with _sigint_held():
            old, self.log = self.log, []
            self._fresh_runtime()
            dropped = []
            for entry in old:
                outcome = self._apply(entry.node)
                if outcome.ok:
                    self.log.append(entry)
                else:
                    dropped.append((entry, outcome.reason))
        return dropped

    def _recheck(self) -> None:
        """On a chain nothing is replayed (blocks are final): new contracts, the same bindings and instances."""
        saved = self.checker.save()
        self.checker = StepChecker(self.checked)
        self.checker.restore(saved)
        self.runner = SessionRunner(self, self.checked, self._trace)
        self.context.runner = self.runner
        if self.chain.broken:  # an interrupted block left the handle unusable: open the chain again
            from ..chain.node import Chain

            directory = self.chain.directory
            self.chain.close()
            self.chain = self.ledger.chain = Chain.open(directory)
            self.reads.chain = self.chain

    def undo(self) -> list[LoggedStep]:
        """Remove the last step that changed something (and the expectations after it); replay."""
        undone = []
        while self.log:
            undone.append(self.log.pop())
            if undone[-1].changes:
                break
        if undone:
            self.rebuild()
        return undone

    def reset(self) -> None:
        """A fresh ledger with the same contracts."""
        self.log = []
        self._fresh_runtime()
        self.last_receipt, self.last_gas = None, ()

    def load(self, path: str) -> bool:
        from tabellion.lang.reading import read_source

        try:
            text = read_source(path)
        except CompileError as error:
            self.printer.diagnostics(error.diagnostics, self.source)
            return False
        verb = "reloaded" if any(chunk.path == path for chunk in self.source.files) else "loaded"
        if not self.change_module(self.source.with_file(Chunk(path, text, text, 1, path)), f"{verb} {path}"):
            return False
        count = scenario_count(text, path)
        if count:
            self.printer.line(f"  ({count} scenario{'s' * (count > 1)} not run here: `tabellion run {path}` plays them)")
        return True

    # -- what completion and the toolbar read

    def contracts(self) -> dict:
        return self.checked.all_contracts()

    def instances(self) -> dict:
        """Instance names bound so far -> ContractInfo."""
        contracts = self.contracts()
        return {name: contracts[kind] for name, kind in self.checker.env.scenario.instances.items()
                if kind in contracts}

    def current_contract(self):
        current = self.checker.env.scenario.current
        return self.contracts().get(current) if current else None

    def local_names(self) -> list[str]:
        return sorted(self.checker.env.scope.names)

    def parties(self) -> list[str]:
        """Every party the session has seen: funded, paid, in a role, or named in a step."""
        from ..values import Party

        state = self.ledger.state
        found = {owner.name for owner, _ in state.balances if owner not in state.instances}
        for instance in state.instances.values():
            for members in instance.roles.values():
                found.update(p.name for p in members)
            found.update(v.name for v in instance.params.values() if isinstance(v, Party))
            found.add(instance.deployer.name)
        found.update(ref.name for ref in self.checked.refs.values() if ref.kind == "scenario_party")
        found -= {str(a) for a in state.instances}
        if self.on_chain:  # addresses print as the names they were given
            from .chain import display_name

            found = {display_name(self.ledger, address) for address in found}
        if self.party:
            found.add(self.party)
        return sorted(found)


@contextmanager
def _sigint_held():
    """Ignore SIGINT inside the block (in the main thread; elsewhere there is none to ignore)."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _reach(error: CompileError) -> tuple:
    """How far into the input a parse got before failing."""
    span = error.diagnostics[0].span if error.diagnostics else None
    return (span.line, span.column) if span else (0, 0)
