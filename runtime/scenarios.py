"""Playing `scenario` blocks on a development ledger, step by step.

The runner reports each step to an observer (the `run` command prints them; tests
collect them). A call or deploy that fails unexpectedly ends its scenario; a failed
`expect` is reported and the scenario goes on, so every broken expectation shows.
"""

from __future__ import annotations

import attrs

from tabellion.lang import ast
from tabellion.lang.checked import CheckedModule

from . import gas
from .compiler import compile_module, compile_scenario_code
from .errors import InternalError, OutOfGas, Revert, TabellionError
from .ledger import ClockError, DevLedger
from .numeric import Money
from .temporal import Date, Time, date_to_time
from .values import Party, format_value

__all__ = ["ScenarioRunner", "StepResult", "ScenarioResult", "ScenarioContext", "DEFAULT_DEPLOYER"]

DEFAULT_DEPLOYER = "deployer"


@attrs.frozen
class StepResult:
    step: object              # the AST node
    ok: bool
    text: str                 # the step as written
    message: str | None = None
    receipt: object = None
    detail: tuple = ()        # extra lines (expected vs actual)


@attrs.frozen
class ScenarioResult:
    name: str
    contract: str | None
    steps: tuple
    ledger: object

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)


class ScenarioContext:
    """The `_x` of compiled scenario expressions: names, instances, balances, the clock."""

    def __init__(self, runner: "ScenarioRunner", ledger: DevLedger):
        self.runner = runner
        self.ledger = ledger
        self.gas = gas.GasMeter(10**12)
        self.locals: dict = {}
        self.instances: dict[str, Party] = {}
        self.current: Party | None = None

    @property
    def now(self) -> Time:
        return self.ledger.now

    @property
    def block(self) -> int:
        return self.ledger.height

    def party(self, name: str) -> Party:
        return Party(name)

    def instance(self, name: str) -> Party:
        return self.instances[name]

    def state_of(self, address: Party | None, field: str):
        address = address if address is not None else self.current
        if address is None:
            raise Revert(f"no contract deployed to read '{field}' from")
        instance = self.ledger.state.instances[address]
        if field not in instance.storage:
            raise Revert(f"state '{field}' of {instance.name} has not been set")
        return instance.storage[field]

    def current_balance(self) -> Money:
        if self.current is None:
            raise Revert("no contract deployed to read the balance of")
        return self.ledger.balance(self.current)

    def balance_of(self, owner: Party, currency: str | None) -> Money:
        return self.ledger.balance(owner, currency)

    def zero_money(self) -> Money:
        return Money(0, self.ledger.native)


class ScenarioRunner:
    """Runs the scenarios of one checked module."""

    def __init__(self, checked: CheckedModule, observer=None, trace=None, native_currency: str = "EUR"):
        self.checked = checked
        self.compiled = compile_module(checked, traced=trace is not None)
        self.observer = observer or (lambda event, value: None)
        self.trace = trace
        self.native = native_currency
        self._code: dict[int, object] = {}

    def scenarios(self) -> list[tuple[ast.Scenario, str | None]]:
        """Every scenario of the module: each contract's, then the file's."""
        found = []
        for info in self.checked.contracts.values():
            found.extend((s, info.name) for s in info.scenarios)
        found.extend((s, None) for s in self.checked.scenarios)
        return found

    def prepare(self, scenario: ast.Scenario, ledger) -> tuple:
        """The ledger and context a scenario plays on (a fresh development ledger by default)."""
        ledger = ledger or DevLedger(self.native)
        return ledger, ScenarioContext(self, ledger)

    def run(self, scenario: ast.Scenario, home: str | None, ledger: DevLedger | None = None) -> ScenarioResult:
        ledger, context = self.prepare(scenario, ledger)
        self.observer("scenario", (scenario, home))
        results = []
        for step in scenario.steps:
            result = self.step(step, context, home)
            results.append(result)
            self.observer("step", result)
            if not result.ok and not isinstance(step, ast.Expect):
                break
        outcome = ScenarioResult(scenario.name, home, tuple(results), ledger)
        self.observer("end", outcome)
        return outcome

    # -- steps

    def step(self, node, context: ScenarioContext, home: str | None) -> StepResult:
        text = self.text_of(node)
        try:
            return getattr(self, "_" + type(node).__name__)(node, context, home, text)
        except (Revert, OutOfGas, ClockError) as error:
            return StepResult(node, False, text, error.reason if hasattr(error, "reason") else str(error))
        except (KeyError, IndexError) as error:
            return StepResult(node, False, text, f"missing key: {error.args[0] if error.args else '?'}")
        except TabellionError as error:
            return StepResult(node, False, text, str(error))

    def evaluate(self, node, context: ScenarioContext):
        code = self._code.get(id(node))
        if code is None:
            code = self._code[id(node)] = compile_scenario_code(self.checked, node, "expr")
        try:
            return code(context)
        except (Revert, OutOfGas, TabellionError, KeyError, IndexError):
            raise
        except Exception as error:  # noqa: BLE001 - a bug in Tabellion, not the scenario
            raise InternalError(f"evaluating {self.text_of(node)}: {type(error).__name__}: {error}") from error

    def _Fund(self, node: ast.Fund, context, home, text):
        # `fund who 10 EUR` in a property whose param `who: Party` funds that party,
        # not one called "who"; any other name is a scenario party
        bound = context.locals.get(node.party.text)
        party = bound if isinstance(bound, Party) else Party(node.party.text)
        context.ledger.fund(party, self.evaluate(node.amount, context))
        return StepResult(node, True, text)

    def _Wait(self, node: ast.Wait, context, home, text):
        context.ledger.wait(self.evaluate(node.duration, context))
        return StepResult(node, True, text)

    def _At(self, node: ast.At, context, home, text):
        moment = self.evaluate(node.time, context)
        context.ledger.set_time(date_to_time(moment) if isinstance(moment, Date) else moment)
        return StepResult(node, True, text)

    def _Let(self, node, context, home, text):
        self._statement(node, context)
        return StepResult(node, True, text)

    _Assign = _Let

    def _statement(self, node, context):
        code = self._code.get(id(node))
        if code is None:
            code = self._code[id(node)] = compile_scenario_code(self.checked, node, "statement")
        code(context)

    def _Deploy(self, node: ast.Deploy, context, home, text, bind: bool = True):
        receipt = self.deploy(node, context)
        if receipt.ok and bind:
            if node.name is not None:
                context.instances[node.name.text] = receipt.address
            else:
                context.current = receipt.address
        return StepResult(node, receipt.ok, text, receipt.reason, receipt)

    def deploy(self, node: ast.Deploy, context):
        compiled = self.compiled[node.contract.text]
        args = {arg.name.text: self.evaluate(arg.value, context) for arg in node.args if arg.name is not None}
        by = self.evaluate(node.by, context) if node.by is not None else Party(DEFAULT_DEPLOYER)
        paying = self.evaluate(node.paying, context) if node.paying is not None else None
        return context.ledger.deploy(compiled, args, by, paying)

    def _CallStep(self, node: ast.CallStep, context, home, text):
        receipt = self.call(node.call, context)
        return StepResult(node, receipt.ok, text, receipt.reason, receipt)

    def call(self, node: ast.ContractCall, context):
        address = self.evaluate(node.target, context) if node.target is not None else context.current
        ref = self.checked.refs[id(node)]
        _contract, order = ref.detail
        values = [None] * len(node.args)
        for arg, index in zip(node.args, order):
            values[index] = self.evaluate(arg.value, context)
        instance = context.ledger.state.instances[address]
        by = self.evaluate(node.by, context) if node.by is not None else instance.deployer
        paying = self.evaluate(node.paying, context) if node.paying is not None else None
        return context.ledger.call(address, node.entry.text, tuple(values), by, paying, trace=self.trace)

    def _ExpectFails(self, node: ast.ExpectFails, context, home, text):
        step = node.step
        if isinstance(step, ast.Deploy):
            receipt = self.deploy(step, context)
        else:
            receipt = self.call(step, context)
        if receipt.ok:
            return StepResult(node, False, text, "expected a failure, but it succeeded", receipt)
        if node.reason is not None and node.reason not in (receipt.reason or ""):
            return StepResult(node, False, text, f"failed with '{receipt.reason}', not '{node.reason}'", receipt)
        return StepResult(node, True, text, receipt.reason, receipt)

    def _Expect(self, node: ast.Expect, context, home, text):
        condition = node.condition
        if self.evaluate(condition, context):
            return StepResult(node, True, text)
        detail = []
        if isinstance(condition, ast.Binary) and condition.op in ("==", "!=", "<", "<=", ">", ">="):
            left = self.evaluate(condition.left, context)
            right = self.evaluate(condition.right, context)
            detail = [f"{self.text_of(condition.left)} is {format_value(left)}",
                      f"{self.text_of(condition.right)} is {format_value(right)}"]
        return StepResult(node, False, text, "expectation failed", None, tuple(detail))

    # -- source text

    def text_of(self, node) -> str:
        span = node.span
        lines = self.checked.source.split("\n")
        if not 0 < span.line <= len(lines):
            return type(node).__name__
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1 : span.end_column - 1]
        first = lines[span.line - 1][span.column - 1 :]
        middle = lines[span.line : span.end_line - 1]
        last = lines[span.end_line - 1][: span.end_column - 1]
        return " ".join(part.strip() for part in [first, *middle, last])
