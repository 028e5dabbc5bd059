"""What a generated state machine is built from: the contract, how to deploy it, the parties in play.

The deploy comes, in order of preference, from

1. deploy arguments given by the caller (`machine_for(..., deploy={...})`);
2. the first scenario of the file (in file order) that deploys the contract: its
   steps before that deploy (funding, the clock, other deploys) are replayed as
   written, then the deploy with the values it evaluates to;
3. generated arguments: each param without a default drawn from its type
   (amounts, rates and durations non-negative), each role one or two parties of
   the pool, each party one of the pool, an opening balance now and then.

The pool of parties is the scenario's own parties in order of appearance (the
generated steps then read like the scenario), plus `eve`, who holds no role; for
a generated deploy it is `alice`, `bob`, `carol`, `eve`.
"""

from __future__ import annotations

import re

import attrs

from tabellion.lang import ast
from tabellion.lang.checked import CheckedModule

from ..compiler import compile_module
from ..values import Party
from .drawing import CallContext
from .strategies import DEFAULT_PARTIES

__all__ = ["MachinePlan", "ScenarioSetup", "Stats", "find_setup", "scenario_parties", "iter_nodes"]

OUTSIDER = "eve"
_MAX_POOL = 7
_RESERVED_EXTRA = frozenset({"now", "block", "balance"})


def _reserved_words() -> frozenset[str]:
    """The grammar's keywords (its `NAME: "word"` terminals) and the scenario built-ins."""
    from importlib import resources

    grammar = resources.files("tabellion.lang").joinpath("grammar.lark").read_text("utf-8")
    return frozenset(re.findall(r'^[A-Z_]+: "([a-z_]+)"', grammar, re.MULTILINE)) | _RESERVED_EXTRA


@attrs.define
class Stats:
    """Counts a running machine keeps: examples started and steps taken."""

    examples: int = 0
    steps: int = 0


@attrs.frozen
class ScenarioSetup:
    """A scenario's steps before its deploy of the contract, and that deploy."""

    scenario: ast.Scenario
    home: str | None
    prefix: tuple
    deploy: ast.Deploy


def iter_nodes(node):
    """Every AST node under `node` (itself included), depth first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Node):
            yield current
            children = [getattr(current, f.name) for f in attrs.fields(type(current)) if f.name != "span"]
        elif isinstance(current, tuple):
            children = list(current)
        else:
            continue
        stack.extend(reversed(children))


def scenario_parties(checked: CheckedModule, node) -> list[str]:
    """The scenario parties named under `node`, in order of first appearance."""
    found: list[str] = []
    params = {p.name.text for p in node.params} if isinstance(node, ast.Property) else set()
    for child in iter_nodes(node):
        if isinstance(child, ast.Fund) and child.party.text not in found and child.party.text not in params:
            found.append(child.party.text)
        elif isinstance(child, ast.Name):
            ref = checked.ref_of(child)
            if ref is not None and ref.kind == "scenario_party" and child.text not in found:
                found.append(child.text)
    return found


def find_setup(checked: CheckedModule, contract: str) -> ScenarioSetup | None:
    """The first scenario of the file (in file order) that deploys `contract`, cut at that deploy."""
    found = [(s, info.name) for info in checked.contracts.values() for s in info.scenarios]
    found += [(s, None) for s in checked.scenarios]
    found.sort(key=lambda pair: (pair[0].span.line, pair[0].span.column))
    for scenario, home in found:
        for index, step in enumerate(scenario.steps):
            if isinstance(step, ast.Deploy) and step.contract.text == contract:
                return ScenarioSetup(scenario, home, tuple(scenario.steps[:index]), step)
    return None


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class MachinePlan:
    """Everything computed once per contract for its generated state machine."""

    def __init__(self, checked: CheckedModule, contract: str | None = None, *, runner=None, deploy=None,
                 deployer=None, opening=None, use_scenario: bool = True, pool=None, native: str = "EUR",
                 on_step=None):
        from ..scenarios import ScenarioRunner

        if contract is None:
            if len(checked.contracts) != 1:
                names = ", ".join(checked.contracts) or "none"
                raise ValueError(f"name the contract to test (the file has {names})")
            contract = next(iter(checked.contracts))
        if contract not in checked.all_contracts():
            names = ", ".join(checked.all_contracts()) or "none"
            raise ValueError(f"no contract named {contract!r} (the file has {names})")
        self.checked = checked
        self.runner = runner or ScenarioRunner(checked, native_currency=native)
        self.compiled = compile_module(checked)[contract]
        self.info = self.compiled.info
        self.native = native
        self.stats = Stats()
        self.on_step = on_step
        self.deploy_args = deploy
        self.deployer = Party(deployer) if isinstance(deployer, str) else deployer
        self.opening = opening
        self.setup = find_setup(checked, contract) if use_scenario and deploy is None else None
        names = list(pool) if pool is not None else self._pool_names()
        self.pool = tuple(p if isinstance(p, Party) else Party(p) for p in names)
        self.instance_name = self._instance_name()
        context = CallContext(self.compiled, self.pool, native=native)
        self.entries = tuple(name for name, entry in self.info.entries.items() if context.supported(entry))
        self.skipped_entries = tuple(name for name in self.info.entries if name not in self.entries)
        self.invariants_by_span = {decl.span: decl for decl in self.info.invariants}
        from .transcript import source_text

        self._invariant_texts = {id(d): source_text(checked.source, d.condition.span) for d in self.info.invariants}
        self.title = f"counterexample: {contract}"
        from tabellion.lang.types import ContractT

        self.contract_params = tuple(n for n, p in self.info.params.items() if isinstance(p.type, ContractT))

    @property
    def name(self) -> str:
        return self.info.name

    def invariant_text(self, decl) -> str:
        """The condition of an invariant as written (`paid <= confirmed`)."""
        return self._invariant_texts[id(decl)]

    def _pool_names(self) -> list[str]:
        if self.setup is None:
            return list(DEFAULT_PARTIES)
        names = scenario_parties(self.checked, self.setup.scenario)[: _MAX_POOL - 1]
        if OUTSIDER not in names:
            names.append(OUTSIDER)
        return names

    def _instance_name(self) -> str:
        taken = {p.name for p in self.pool} | _reserved_words() | set(self.checked.contracts)
        if self.setup is not None and self.setup.deploy.name is not None:
            candidate = self.setup.deploy.name.text
        else:
            candidate = _snake(self.name)
        while candidate in taken:
            candidate += "_1"
        return candidate

    def cannot_generate(self) -> str | None:
        """Why no deploy can be drawn for this contract, or None."""
        if self.setup is not None or self.deploy_args is not None:
            return None
        from .strategies import Unsupported, from_type

        for param in self.info.params.values():
            if param.default is None:
                try:
                    from_type(param.type)
                except Unsupported as error:
                    return f"param '{param.name}': {error}"
        return None
