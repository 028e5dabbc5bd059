"""`property` blocks: scenario steps run for arguments Hypothesis draws.

```
property "a receipt is paid out in full" (x: Money, ps: List[Party]) where x > 0 EUR { steps }
```

Each example starts a fresh development ledger, binds the params as scenario
locals (`ScenarioContext.locals`, where the compiled steps read them), evaluates
`where` as Hypothesis' `assume` (a `where` that fails to evaluate, a missing key
say, discards the example too), then runs the steps with the `ScenarioRunner`.
The first step that fails fails the property: a call or deploy refused, an
`expect` false, an `expect fails` that went through.

Arguments come from `strategies.from_type`: Money from 0 to 1_000_000_000 in the
chain's currency, Ints mostly small, Party from the parties the property names
(plus `eve`), and so on; narrow them with `where`. The counterexample prints as
a scenario that binds each param with `let` and then runs the property's steps as
written: paste it where the property is (inside its contract, if it is there).
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from tabellion.lang import ast
from tabellion.lang.types import PRIMITIVES, ContractT, ListT, MapT, MoneyT, Type

from ..errors import InternalError, OutOfGas, Revert, TabellionError
from ..ledger import DevLedger
from ..scenarios import ScenarioContext
from ..values import format_text, format_value
from .failures import ContractFailure, TabellionBug
from .plan import OUTSIDER, scenario_parties
from .strategies import DEFAULT_PARTIES, from_type
from .transcript import INDENT, source_text

__all__ = ["property_test", "resolve_type", "PropertyTranscript", "property_pool"]


def resolve_type(ref: ast.TypeRef, checked, home: str | None) -> Type:
    """The type a property param's `TypeRef` denotes (the checker has accepted it)."""
    name, args = ref.name.text, ref.args
    if name == "List":
        return ListT(resolve_type(args[0], checked, home))
    if name == "Map":
        return MapT(resolve_type(args[0], checked, home), resolve_type(args[1], checked, home))
    if name == "Money" and args:
        return MoneyT(args[0].name.text)
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    contracts = checked.all_contracts()
    scopes = [contracts[home]] if home is not None else list(contracts.values())
    for info in scopes:
        if name in info.records:
            return info.records[name]
        if name in info.enums:
            return info.enums[name]
    return ContractT(name)


def property_pool(checked, node: ast.Property) -> tuple[str, ...]:
    names = scenario_parties(checked, node)
    if not names:
        return DEFAULT_PARTIES
    return tuple(names + ([OUTSIDER] if OUTSIDER not in names else []))


class PropertyTranscript:
    """A property's counterexample: `let` for each argument, then its steps up to the failing one."""

    def __init__(self, checked, node: ast.Property, home: str | None, values: dict, failing_index: int,
                 note: str):
        self.checked, self.node, self.home = checked, node, home
        self.values, self.failing_index, self.note = values, failing_index, note

    @property
    def step_count(self) -> int:
        return self.failing_index + 1

    def render(self, failure=None) -> str:
        source = self.checked.source
        lines = []
        for param in self.node.params:
            type_text = source_text(source, param.type.span)
            lines.append(f"let {param.name.text}: {type_text} = {format_value(self.values[param.name.text])}")
        for index, step in enumerate(self.node.steps[: self.failing_index + 1]):
            text = source_text(source, step.span)
            if index == self.failing_index:
                text += "   // <- " + " ".join(self.note.split())
            lines.append(text)
        body = "\n".join(INDENT + line.replace("\n", "\n" + INDENT) for line in lines)
        header = f"// paste inside contract {self.home}\n" if self.home else ""
        title = format_text(f"counterexample: {self.node.name}")
        return f"{header}scenario {title} {{\n{body}\n}}"


def property_test(runner, node: ast.Property, home: str | None, native: str = "EUR"):
    """A Hypothesis test (call it with no arguments) that runs `node` for generated arguments."""
    checked = runner.checked
    pool = property_pool(checked, node)
    strategies = {
        param.name.text: from_type(resolve_type(param.type, checked, home), pool=pool, currency=native)
        for param in node.params
    }

    def run(values: dict) -> None:
        ledger = DevLedger(native)
        context = ScenarioContext(runner, ledger)
        context.locals.update(values)
        if node.where is not None:
            try:
                holds = runner.evaluate(node.where, context)
            except (Revert, OutOfGas, TabellionError, KeyError, IndexError):
                holds = False
            except InternalError as error:
                raise TabellionBug("internal", f"evaluating `where`: {error}") from error
            assume(holds)
        for index, step in enumerate(node.steps):
            try:
                result = runner.step(step, context, home)
            except Exception as error:  # noqa: BLE001 - InternalError or worse: a bug in Tabellion
                note = f"internal error: {type(error).__name__}: {error}"
                raise TabellionBug("internal", f'property "{node.name}": {note}',
                                   PropertyTranscript(checked, node, home, values, index, note)) from error
            if not result.ok:
                note = result.message or "fails"
                transcript = PropertyTranscript(checked, node, home, values, index, note)
                raise ContractFailure("property", f'property "{node.name}" fails at `{result.text}`: {note}',
                                      transcript, result.detail)

    return given(st.fixed_dictionaries(strategies))(run)
