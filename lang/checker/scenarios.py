"""Checking `scenario` and `property` blocks: deploys, calls as parties, clock, expectations.

Inside a scenario an unknown lower-case name is a party (every party starts with a
zero balance on a development chain); `deploy w = C(...)` binds `w`; a bare
`call entry(...)` calls the instance deployed last without a name (in a contract's
own scenario, that contract).
"""

from __future__ import annotations

from .. import ast
from ..types import DATE, DURATION, ERROR, INT, PARTY, TIME, ContractT, ErrorT, ListT, MoneyT, Type
from .context import Scope
from .expressions import Env, ExpressionChecker
from .statements import StatementChecker

__all__ = ["ScenarioChecker", "ScenarioState"]

_SCENARIO_BUILTINS = {"now": TIME, "block": INT}


class ScenarioState:
    """What a scenario has bound so far: deployed instances and the current one."""

    def __init__(self, home):
        self.home = home  # the ContractInfo whose scenario this is, or None at file level
        self.instances: dict[str, str] = {}
        self.current: str | None = None
        self.party_uses: dict[str, list] = {}

    def resolve_name(self, ec: ExpressionChecker, node: ast.Name, env: Env, expected) -> Type:
        name = node.text
        if name in self.instances:
            ec.ctx.note_ref(node, "instance", name)
            return ContractT(self.instances[name])
        if name in _SCENARIO_BUILTINS:
            ec.ctx.note_ref(node, "builtin", name)
            return _SCENARIO_BUILTINS[name]
        home = self.current_contract(ec)
        if name == "balance" and home is not None:
            ec.ctx.note_ref(node, "instance_balance", name)
            return MoneyT()
        if home is not None and name in home.state:
            ec.ctx.note_ref(node, "instance_state", name)
            return home.state[name].type
        if name in ec.contracts or name[:1].isupper():
            ec.ctx.error("E0202", f"'{name}' is not a value here", node.span,
                         hint=f"deploy it first: `deploy x = {name}(...)`" if name in ec.contracts else None)
            return ERROR
        ec.ctx.note_ref(node, "scenario_party", name)
        self.party_uses.setdefault(name, []).append(node.span)
        return PARTY

    def current_contract(self, ec):
        if self.current is not None:
            return ec.contracts.get(self.current)
        return self.home

    def call_target(self, ec: ExpressionChecker, node: ast.ContractCall, env: Env):
        if node.target is None:
            if self.current is None:
                ec.ctx.error("E0603", f"no contract has been deployed to call '{node.entry.text}' on",
                             node.span, hint="add a `deploy` step first, or name the instance: `call w.entry(...)`")
                return None
            return ec.contracts.get(self.current)
        t = ec.check(node.target, env)
        if isinstance(t, ContractT):
            return ec.contracts.get(t.name)
        ref = ec.ctx.refs.get(id(node.target))
        if ref is not None and ref.kind == "scenario_party":
            ec.ctx.error("E0601", f"'{ref.name}' is not a contract deployed in this scenario", node.target.span,
                         hint=f"deploy it first: `deploy {ref.name} = Contract(...)`")
            return None
        if not isinstance(t, ErrorT):
            ec.ctx.error("E0601", f"`call` needs a deployed contract, and this is {t}", node.target.span)
        return None


class ScenarioChecker:
    def __init__(self, ec: ExpressionChecker, statements: StatementChecker):
        self.ec = ec
        self.ctx = ec.ctx
        self.statements = statements

    def scenario(self, node: ast.Scenario, home) -> None:
        env = Env(home, Scope(), "scenario", ScenarioState(home))
        for step in node.steps:
            self.step(step, env)
        self._warn_about_lone_parties(env.scenario)

    def _warn_about_lone_parties(self, state: ScenarioState) -> None:
        """A party named once, next to a similar name used more, is most likely a typo."""
        from ..diagnostics import closest

        frequent = [name for name, uses in state.party_uses.items() if len(uses) > 1]
        for name, uses in state.party_uses.items():
            if len(uses) != 1:
                continue
            guess = closest(name, frequent)
            if guess is not None:
                self.ctx.warn("W0601", f"party '{name}' appears only once in this scenario", uses[0],
                              hint=f"did you mean '{guess}'? (every new name is a new party with no money)")

    def property(self, node: ast.Property, home) -> None:
        env = Env(home, Scope(), "scenario", ScenarioState(home))
        for param in node.params:
            type_ = self.statements._resolve(param.type, env)
            self.statements.declare(param.name, type_, env, mutable=False)
        if node.where is not None:
            self.ec.condition(node.where, env, "a `where` condition")
        for step in node.steps:
            self.step(step, env)

    def step(self, node, env: Env) -> None:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            self.statements.statement(node, env, ERROR)
        else:
            method(node, env)

    def _Fund(self, node: ast.Fund, env):
        env.scenario.party_uses.setdefault(node.party.text, []).append(node.party.span)
        self.ec.expect(node.amount, env, MoneyT(), "the amount funded")

    def _Wait(self, node: ast.Wait, env):
        self.ec.expect(node.duration, env, DURATION, "the time waited")

    def _At(self, node: ast.At, env):
        t = self.ec.check(node.time, env)
        if t not in (TIME, DATE) and not isinstance(t, ErrorT):
            self.ctx.error("E0301", f"`at` takes a Time or a Date, not {t}", node.time.span)

    def _Expect(self, node: ast.Expect, env):
        self.ec.condition(node.condition, env, "an expectation")

    def _CallStep(self, node: ast.CallStep, env):
        self.ec.check(node.call, env)

    def _ExpectFails(self, node: ast.ExpectFails, env):
        if isinstance(node.step, ast.Deploy):
            self._deploy(node.step, env, bind=False)
        else:
            self.ec.check(node.step, env)

    def _Deploy(self, node: ast.Deploy, env):
        self._deploy(node, env, bind=True)

    def _deploy(self, node: ast.Deploy, env, bind: bool) -> None:
        contract = self.ec.contracts.get(node.contract.text)
        if node.by is not None:
            self.ec.expect(node.by, env, PARTY, "the deployer")
        if node.paying is not None:
            self.ec.expect(node.paying, env, MoneyT(), "the opening balance")
        if contract is None:
            self.ctx.error("E0207", f"unknown contract '{node.contract.text}'", node.contract.span,
                           hint=self.ctx.did_you_mean(node.contract.text, self.ec.contracts))
            for arg in node.args:
                self.ec.check(arg.value, env)
            return
        given = set()
        for arg in node.args:
            if arg.name is None:
                self.ctx.error("E0602", "deploy arguments are named: `premium: 20 EUR`", arg.span,
                               hint=f"{contract.name} takes {', '.join(_deploy_names(contract)) or 'no arguments'}")
                self.ec.check(arg.value, env)
                continue
            name = arg.name.text
            wanted = _deploy_type(contract, name)
            if name in given:
                self.ctx.error("E0602", f"'{name}' is given twice", arg.span)
            given.add(name)
            if wanted is None:
                self.ctx.error("E0602", f"{contract.name} has no param, role or party '{name}'", arg.name.span,
                               hint=self.ctx.did_you_mean(name, _deploy_names(contract)))
                self.ec.check(arg.value, env)
                continue
            self.ec.expect(arg.value, env, wanted, f"'{name}'")
        missing = [p for p, info in contract.params.items() if info.default is None and p not in given]
        if missing:
            self.ctx.error("E0602", f"deploy of {contract.name} is missing {', '.join(repr(m) for m in missing)}",
                           node.span, hint="params without a default must be given")
        self.ctx.note_ref(node, "deploy", contract.name)
        if bind:
            if node.name is not None:
                if node.name.text in env.scenario.instances or env.scope.lookup(node.name.text):
                    self.ctx.error("E0201", f"'{node.name.text}' is already bound in this scenario", node.name.span)
                env.scenario.instances[node.name.text] = contract.name
            else:
                env.scenario.current = contract.name


def _deploy_names(contract) -> list[str]:
    return [*contract.params, *contract.roles, *contract.parties]


def _deploy_type(contract, name: str) -> Type | None:
    if name in contract.params:
        return contract.params[name].type
    if name in contract.roles:
        return ListT(PARTY)
    if name in contract.parties:
        return PARTY
    return None
