"""Checking and running one scenario step at a time, against what earlier steps bound.

`StepChecker` reuses the checker's own `ScenarioChecker` with one long-lived
environment (the names and instances a scenario has bound so far), so a step typed at
the prompt is checked exactly as it would be inside a `scenario` block.
`SessionRunner` is the scenario runner, reading each step's text from the input
it was typed in rather than from the module's source.
"""

from __future__ import annotations

from tabellion.lang.checker.context import Context, Scope
from tabellion.lang.checker.expressions import Env, ExpressionChecker
from tabellion.lang.checker.scenarios import ScenarioChecker, ScenarioState
from tabellion.lang.checker.statements import StatementChecker

from ..scenarios import ScenarioRunner
from .source import MODULE_PATH, source_slice

__all__ = ["SessionRunner", "StepChecker"]


class StepChecker:
    """Checks scenario steps one at a time, keeping the names earlier steps bound.

    The step's types and references go to the checked module's own side tables, so
    that the runner compiles the step as if it stood in one of the module's scenarios.
    """

    def __init__(self, checked):
        ctx = Context(MODULE_PATH)
        ctx.types, ctx.refs = checked.types, checked.refs
        self.ctx = ctx
        self.expressions = ExpressionChecker(ctx, checked.all_contracts())
        self.scenarios = ScenarioChecker(self.expressions, StatementChecker(self.expressions))
        self.env = Env(None, Scope(), "scenario", ScenarioState(None))

    def save(self):
        scenario = self.env.scenario
        return dict(self.env.scope.names), dict(scenario.instances), scenario.current

    def restore(self, saved) -> None:
        names, instances, current = saved
        self.env.scope.names = dict(names)
        self.env.scenario.instances = dict(instances)
        self.env.scenario.current = current

    def step(self, node) -> list:
        self.ctx.diagnostics = []
        self.scenarios.step(node, self.env)
        return self.ctx.diagnostics

    def expression(self, node):
        self.ctx.diagnostics = []
        type_ = self.expressions.check(node, self.env)
        return type_, self.ctx.diagnostics


class SessionRunner(ScenarioRunner):
    """The scenario runner, reading a step's text from the input it was typed in."""

    def __init__(self, session, checked, trace):
        super().__init__(checked, None, trace)
        self.session = session

    def text_of(self, node) -> str:
        text = self.session.source.texts.get(node.span.file)
        if text is None:
            return super().text_of(node)
        return " ".join(line.strip() for line in source_slice(text, node.span).split("\n"))
