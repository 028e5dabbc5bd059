"""Generating Python statements, with one gas charge per straight-line block.

A block's static cost (its statements and the expressions in them, not nested
blocks) is summed while its code is generated and charged by two statements placed
first in the block: `_g.left -= COST` and `if _g.left < 0: _out_of_gas(_g)`. Loop
bodies charge on every iteration, with `LOOP_ITERATION` on top.
"""

from __future__ import annotations

import ast as py

from tabellion.lang import ast
from tabellion.lang.types import IntT, ListT, MapT, RecordT

from .. import gas
from .expressions import ExpressionCompiler, attr, call, const, is_mutable_type, located, name, store

__all__ = ["FunctionCompiler", "charge"]


def charge(cost: int) -> list[py.stmt]:
    """The two statements that charge `cost` gas."""
    return [
        py.AugAssign(py.Attribute(name("_g"), "left", py.Store()), py.Sub(), const(cost)),
        py.If(py.Compare(attr("_g", "left"), [py.Lt()], [const(0)]),
              [py.Expr(call("_out_of_gas", name("_g")))], []),
    ]


class FunctionCompiler(ExpressionCompiler):
    """Statements of one generated function (an entry, fn, init, invariant, ...)."""

    traced = False  # when set, each statement first reports itself to `_x.trace`

    def block(self, statements, extra_cost: int = 0) -> list[py.stmt]:
        cost, body = self.block_parts(statements, extra_cost)
        span = statements[0].span if statements else None
        prefix = charge(cost) if cost else []
        if span is not None:
            prefix = [located(s, span) for s in prefix]
        return prefix + body or [py.Pass()]

    def block_parts(self, statements, extra_cost: int = 0) -> tuple[int, list[py.stmt]]:
        """The static gas of a block and its statements, without the charge."""
        saved, self.cost = self.cost, extra_cost
        body: list[py.stmt] = []
        for statement in statements:
            self.cost += gas.STATEMENT
            if self.traced and self.mode in ("entry", "fn", "init"):
                report = call(attr("_x", "trace"), const(self.unit.span_index(statement.span)))
                body.append(located(py.Expr(report), statement.span))
            for generated in self.statement(statement):
                body.append(located(generated, statement.span))
        cost, self.cost = self.cost, saved
        return cost, body

    def statement(self, node) -> list[py.stmt]:
        return getattr(self, "_s" + type(node).__name__)(node)

    # -- bindings

    def _sLet(self, node: ast.Let):
        value = self.binding(node.value)
        if self.mode == "scenario":
            return [py.Assign([py.Subscript(attr("_x", "locals"), const(node.name.text), py.Store())], value)]
        return [py.Assign([store("v_" + node.name.text)], value)]

    def _sAssign(self, node: ast.Assign):
        if node.op == "=":
            value = self.binding(node.value)
        else:
            value = located(self.binary(node.op[0], node.target, node.value), node.span)
            if isinstance(self.type_of(node.target), IntT):
                value = located(self.checked_int(value), node.span)
        return self.assign(node.target, value)

    def assign(self, target, value: py.expr) -> list[py.stmt]:
        if isinstance(target, ast.Name):
            ref = self.ref_of(target)
            if ref.kind == "state":
                return [py.Expr(self._journaled_set(name("_S"), const(ref.name), value, self.type_of(target)))]
            if self.mode == "scenario":
                return [py.Assign([py.Subscript(attr("_x", "locals"), const(ref.name), py.Store())], value)]
            return [py.Assign([store("v_" + ref.name)], value)]
        if isinstance(target, ast.Attribute):  # a record field: records are values, so rebuild
            record = self.expr(target.obj)
            return self.assign(target.obj, call(attr(record, "replace"), const(target.name.text), value))
        container = self.expr(target.obj)
        key = self.expr(target.index)
        if self.root_kind(target.obj) == "state":
            return [py.Expr(self._journaled_set(container, key, value, self.type_of(target)))]
        if isinstance(self.type_of(target.obj), ListT):
            return [py.Expr(call("_list_set", container, key, value))]
        return [py.Assign([py.Subscript(container, key, py.Store())], value)]

    def _journaled_set(self, container, key, value, value_type):
        self.cost += gas.STORAGE_WRITE
        static = None
        if not is_mutable_type(value_type) and not isinstance(value_type, RecordT):
            static = gas.STORAGE_BYTE * 33  # fixed-size values are priced as 33 bytes
        return call("_jset", name("_J"), name("_g"), container, key, value, const(static))

    # -- control flow

    def _sIf(self, node: ast.If):
        self.cost += gas.BRANCH
        test = self.expr(node.condition)
        otherwise = self.block(node.otherwise.body) if node.otherwise is not None else []
        return [py.If(test, self.block(node.then.body), otherwise)]

    def _sWhile(self, node: ast.While):
        self.cost += gas.BRANCH
        saved = self.cost
        self.cost = 0
        test = self.expr(node.condition)
        test_cost, self.cost = self.cost, saved + self.cost
        body = self.block(node.body.body, extra_cost=gas.LOOP_ITERATION + test_cost + gas.BRANCH)
        return [py.While(test, body, [])]

    def _sFor(self, node: ast.For):
        iterable_type = self.type_of(node.iterable)
        key = self._loop_target(node.key)
        value = self._loop_target(node.value) if node.value is not None else None
        source = node.iterable
        if isinstance(source, ast.Call) and (self.ref_of(source) or None) and self.ref_of(source).name == "range" \
                and value is None:
            self.cost += gas.BUILTIN_CALL
            return self._range_loop(node, key, [self.expr(a.value) for a in source.args])
        elif isinstance(iterable_type, MapT):
            if value is None:
                iterable, target = call("_iterate_keys", name("_g"), self.expr(source)), key
            else:
                iterable = call("_iterate_map", name("_g"), self.expr(source))
                target = py.Tuple([key, value], py.Store())
        else:
            iterable = call("_iterate_list", name("_g"), self.expr(source))
            if value is None:
                target = key
            else:
                iterable = call("enumerate", iterable)
                target = py.Tuple([key, value], py.Store())
        body = self.block(node.body.body, extra_cost=gas.LOOP_ITERATION)
        return [py.For(target, located(iterable, source.span), body, [])]

    def _range_loop(self, node: ast.For, key, bounds) -> list[py.stmt]:
        """`for i in range(a, b)`: iterations are paid for in batches of up to 256.

        Each batch charges its iterations' static cost at once, which keeps the
        per-iteration overhead low; a loop left early by `return` has paid for at most
        the rest of its batch.
        """
        cost, body = self.block_parts(node.body.body, extra_cost=gas.LOOP_ITERATION)
        chunk = store("_chunk")
        inner = py.For(key, name("_chunk"), body or [py.Pass()], [])
        pay = [
            py.AugAssign(py.Attribute(name("_g"), "left", py.Store()), py.Sub(),
                         py.BinOp(const(cost), py.Mult(), call("len", name("_chunk")))),
            py.If(py.Compare(attr("_g", "left"), [py.Lt()], [const(0)]),
                  [py.Expr(call("_out_of_gas", name("_g")))], []),
        ]
        iterable = located(call("_range_batches", *bounds), node.iterable.span)
        return [py.For(chunk, iterable, [located(s, node.span) for s in pay] + [inner], [])]

    def _loop_target(self, ident):
        if self.mode == "scenario":
            return py.Subscript(attr("_x", "locals"), const(ident.text), py.Store())
        return store("v_" + ident.text)

    def _sReturn(self, node: ast.Return):
        return [py.Return(self.binding(node.value) if node.value is not None else None)]

    def _sExprStmt(self, node: ast.ExprStmt):
        return [py.Expr(self.expr(node.expr))]

    # -- effects

    def _sRequire(self, node: ast.Require):
        self.cost += gas.REQUIRE
        message = self.expr(node.message) if node.message is not None else const(None)
        test = py.UnaryOp(py.Not(), self.expr(node.condition))
        return [py.If(test, [located(py.Expr(call("_require_failed", message)), node.span)], [])]

    def _sPay(self, node: ast.Pay):
        self.cost += gas.PAY
        return [py.Expr(call(attr("_x", "pay"), self.expr(node.amount), self.expr(node.to),
                             const(self.unit.span_index(node.span))))]

    def _sEmit(self, node: ast.Emit):
        self.cost += gas.EVENT
        ref = self.ref_of(node)
        values = self.ordered_args(node.args, ref.detail)
        return [py.Expr(call(attr("_x", "emit"), const(ref.name), py.Tuple(values, py.Load()),
                             const(self.unit.span_index(node.span))))]

    def _sGrant(self, node: ast.Grant):
        self.cost += gas.ROLE_CHANGE
        return [py.Expr(call(attr("_x", "grant"), const(node.role.text), self.expr(node.party)))]

    def _sRevoke(self, node: ast.Revoke):
        self.cost += gas.ROLE_CHANGE
        return [py.Expr(call(attr("_x", "revoke"), const(node.role.text), self.expr(node.party)))]

    def _shares(self, shares) -> py.Tuple:
        pairs = [py.Tuple([self.expr(s.payee), self.expr(s.weight)], py.Load()) for s in shares]
        return py.Tuple(pairs, py.Load())

    def _sSplit(self, node: ast.Split):
        self.cost += gas.PAY
        span = const(self.unit.span_index(node.span))
        amount = self.expr(node.amount)
        if node.among is not None:
            return [py.Expr(call(attr("_x", "split_among"), amount, self.expr(node.among), span))]
        return [py.Expr(call(attr("_x", "split"), amount, self._shares(node.shares), span))]

    def _sWaterfall(self, node: ast.Waterfall):
        tiers = []
        for tier in node.tiers:
            self.cost += gas.WATERFALL_TIER
            if isinstance(tier, ast.FeeTier):
                cap = self.expr(tier.cap) if tier.cap is not None else const(None)
                built = call("_Fee", self.expr(tier.payee), self.expr(tier.rate), cap)
            elif isinstance(tier, ast.RecoupTier):
                built = call("_Recoup", self.expr(tier.payee), self.expr(tier.target))
            elif isinstance(tier, ast.PariPassuTier):
                built = call("_PariPassu", self._shares(tier.shares))
            else:
                built = call("_Split", self._shares(tier.shares))
            tiers.append(located(built, tier.span))
        tier_spans = tuple(self.unit.span_index(tier.span) for tier in node.tiers)
        return [py.Expr(call(attr("_x", "waterfall"), const(node.name.text), self.expr(node.amount),
                             py.Tuple(tiers, py.Load()), const(self.unit.span_index(node.span)),
                             const(tier_spans)))]
