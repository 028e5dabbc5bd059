"""Checking a whole module: imports, contracts (declarations, then bodies), scenarios."""

from __future__ import annotations

import attrs

from .. import ast
from ..checked import CheckedModule, ContractInfo
from ..errors import CompileError
from ..types import VOID, MoneyT
from .context import Context, Scope
from .declarations import collect_contract
from .expressions import Env, ExpressionChecker
from .scenarios import ScenarioChecker
from .statements import StatementChecker, always_returns

__all__ = ["ModuleChecker"]

STDLIB_MODULES = ("insurance", "debt", "waterfall", "royalties", "registry", "supply", "provenance", "token", "escrow")


class ModuleChecker:
    def __init__(self, module: ast.Module, source: str, loader=None):
        self.module = module
        self.source = source
        self.loader = loader
        self.ctx = Context(module.path)

    @property
    def diagnostics(self):
        return self.ctx.diagnostics

    def run(self) -> CheckedModule:
        ctx = self.ctx
        try:
            return self._run()
        except RecursionError:
            ctx.error("E0003", "input too deeply nested", self.module.span,
                      hint="split deeply nested expressions or blocks with `let` and `fn`")
            return None

    def _run(self) -> CheckedModule:
        imports = self._imports()
        contracts: dict[str, ContractInfo] = {}
        for imported in imports:
            contracts.update(imported.all_contracts())
        declared = self.module.of_kind(ast.Contract)
        names = {*contracts, *(c.name.text for c in declared)}
        local: dict[str, ContractInfo] = {}
        for decl in declared:
            if decl.name.text in local:
                self.ctx.error("E0201", f"contract '{decl.name.text}' is declared twice", decl.name.span,
                               notes=[f"first declared at line {local[decl.name.text].decl.span.line}"])
                continue
            local[decl.name.text] = collect_contract(self.ctx, decl, names)
        contracts.update(local)
        ec = ExpressionChecker(self.ctx, contracts)
        scenario_checker = None
        for name, info in list(local.items()):
            statements = StatementChecker(ec)
            self._bodies(info, ec, statements)
            local[name] = attrs.evolve(info, waterfalls=tuple(statements.waterfalls))
            contracts[name] = local[name]
        statements = StatementChecker(ec)
        scenario_checker = ScenarioChecker(ec, statements)
        for info in local.values():
            for scenario in info.scenarios:
                scenario_checker.scenario(scenario, info)
            for prop in info.properties:
                scenario_checker.property(prop, info)
        for scenario in self.module.of_kind(ast.Scenario):
            scenario_checker.scenario(scenario, None)
        for prop in self.module.of_kind(ast.Property):
            scenario_checker.property(prop, None)
        return CheckedModule(
            module=self.module,
            source=self.source,
            contracts=local,
            scenarios=self.module.of_kind(ast.Scenario),
            properties=self.module.of_kind(ast.Property),
            types=self.ctx.types,
            refs=self.ctx.refs,
            imports=tuple(imports),
            warnings=tuple(self.ctx.warnings),
        )

    def _imports(self) -> list[CheckedModule]:
        found = []
        for node in self.module.of_kind(ast.Import):
            name = node.module.text
            checked = None
            if self.loader is not None:
                try:
                    checked = self.loader(name)
                except CompileError as error:
                    self.ctx.error("E0209", f"module '{name}' has errors", node.module.span,
                                   notes=[d.headline() for d in error.diagnostics[:3]])
                    continue
            if checked is None:
                self.ctx.error("E0209", f"unknown module '{name}'", node.module.span,
                               hint=self.ctx.did_you_mean(name, STDLIB_MODULES))
                continue
            found.append(checked)
        return found

    def _bodies(self, info: ContractInfo, ec: ExpressionChecker, statements: StatementChecker) -> None:
        defaults = Env(info, Scope(), "default")
        for param in info.params.values():
            if param.default is not None:
                ec.expect(param.default, defaults, param.type, f"the default of '{param.name}'")
        for field in info.state.values():
            if field.default is not None:
                ec.expect(field.default, defaults, field.type, f"the initial value of '{field.name}'")
        invariant_env = Env(info, Scope(), "invariant")
        for invariant in info.invariants:
            ec.condition(invariant.condition, invariant_env, "an invariant")
            if invariant.message is not None:
                ec.expect(invariant.message, invariant_env, ec.check(invariant.message, invariant_env), "the message")
        for fn in info.fns.values():
            self._callable(fn.decl, fn.params, fn.returns, Env(info, Scope(), "fn"), statements)
        for entry in info.entries.values():
            env = Env(info, Scope(), "entry")
            if entry.pays_amount is not None:
                ec.expect(entry.pays_amount, env, MoneyT(), "the amount an entry accepts")
            self._callable(entry.decl, entry.params, entry.returns, env, statements)
        if info.init is not None:
            statements.block(info.init.body, Env(info, Scope(), "init"), VOID)

    def _callable(self, decl, params, returns, env: Env, statements: StatementChecker) -> None:
        for (name, type_), param in zip(params, decl.params):
            statements.declare(param.name, type_, env, mutable=False)
        statements.block(decl.body, env, returns)
        if returns != VOID and not always_returns(decl.body):
            self.ctx.error("E0307", f"'{decl.name.text}' must return {returns} on every path", decl.name.span,
                           hint="end the body with `return ...`, or give `if` an `else` that returns")
