"""Checking statements in entries, fns and `init`: scopes, assignments, effects, domain
statements (split, waterfall), permissions (grant, revoke) and purity."""

from __future__ import annotations


from .. import ast
from ..types import (
    ERROR, INT, PARTY, RATE, TEXT, VOID,
    ErrorT, IntT, ListT, MapT, MoneyT, Type, binary_result, compatible,
)
from .context import BUILTIN_NAMES
from .expressions import Env, ExpressionChecker

__all__ = ["StatementChecker", "check_place", "always_returns", "MAX_LOOP_NESTING"]

# Python refuses more than 20 statically nested blocks; a range loop compiles to two
# and a fn body sits in one `try`, so 8 levels of loops always fit.
MAX_LOOP_NESTING = 8

_EFFECTS = (ast.Pay, ast.Emit, ast.Split, ast.Waterfall, ast.Grant, ast.Revoke)
_EFFECT_WORDS = {
    ast.Pay: "`pay`", ast.Emit: "`emit`", ast.Split: "`split`", ast.Waterfall: "`waterfall`",
    ast.Grant: "`grant`", ast.Revoke: "`revoke`",
}


def check_place(ec: ExpressionChecker, target: ast.Expr, env: Env, what: str = "assigning to") -> None:
    """Report if `target` is not something that can be changed in `env`."""
    root = target
    while isinstance(root, (ast.Attribute, ast.Index)):
        root = root.obj
    if not isinstance(root, ast.Name):
        ec.ctx.error("E0305", "only variables, state fields and their parts can be changed", target.span)
        return
    ref = ec.ctx.refs.get(id(root))
    kind = ref.kind if ref else None
    if kind == "local":
        found = env.scope.lookup(root.text)
        if found is not None and not found[2]:
            ec.ctx.error("E0305", f"'{root.text}' cannot be changed: parameters and loop variables are read-only",
                         root.span, hint=f"copy it first: `let my_{root.text} = {root.text}`")
        return
    if kind == "state":
        if env.mode not in ("entry", "init"):
            ec.ctx.error("E0403", f"{what} state '{root.text}', which {_mode(env)} may not do", target.span,
                         hint="fns are pure: return a value and let the entry store it")
        return
    if kind is None:
        return  # the name was unknown and has been reported
    words = {"param": "a param (fixed at deploy)", "role": "a role (use grant/revoke)",
             "party": "a party", "builtin": "built in", "instance_state": "a contract's state (call an entry)",
             "scenario_party": "a party", "instance": "a deployed contract"}
    ec.ctx.error("E0305", f"'{root.text}' cannot be changed: it is {words.get(kind, kind)}", root.span)


def always_returns(block: ast.Block) -> bool:
    """Whether every path through `block` ends in `return`."""
    for statement in block.body:
        if isinstance(statement, ast.Return):
            return True
        if isinstance(statement, ast.If) and statement.otherwise is not None:
            if always_returns(statement.then) and always_returns(statement.otherwise):
                return True
    return False


def _mode(env: Env) -> str:
    return {"fn": "a fn", "invariant": "an invariant", "default": "a default value",
            "scenario": "a scenario"}.get(env.mode, f"an {env.mode}")


class StatementChecker:
    def __init__(self, ec: ExpressionChecker):
        self.ec = ec
        self.ctx = ec.ctx
        self.waterfalls: dict[str, ast.Waterfall] = {}
        self.loop_depth = 0

    def block(self, block: ast.Block, env: Env, returns: Type) -> None:
        inner = env.child()
        for statement in block.body:
            self.statement(statement, inner, returns)

    def statement(self, node, env: Env, returns: Type) -> None:
        if isinstance(node, _EFFECTS) and env.mode not in ("entry", "init"):
            self.ctx.error("E0403", f"{_EFFECT_WORDS[type(node)]} is not allowed in {_mode(env)}", node.span,
                           hint="fns are pure: they compute values; effects belong in entries")
        getattr(self, "_" + type(node).__name__)(node, env, returns)

    # -- bindings

    def declare(self, ident: ast.Ident, type_: Type, env: Env, mutable: bool = True) -> None:
        name = ident.text
        previous = env.scope.lookup(name)
        contract = env.contract
        clash = None
        if previous is not None:
            clash = f"a variable declared at line {previous[1].line}"
        elif name in BUILTIN_NAMES:
            clash = "a built-in"
        elif contract is not None:
            for kind, names in (("param", contract.params), ("state field", contract.state),
                                ("role", contract.roles), ("party", contract.parties)):
                if name in names:
                    clash = f"a {kind} of {contract.name}"
                    break
        if clash:
            self.ctx.error("E0210", f"'{name}' shadows {clash}", ident.span, hint="choose another name")
        env.scope.names[name] = (type_, ident.span, mutable)

    def _Let(self, node: ast.Let, env, returns):

        declared = self._resolve(node.type, env) if node.type is not None else None
        if declared is not None:
            actual = self.ec.expect(node.value, env, declared, f"'{node.name.text}'")
            self.ctx.types[id(node.value)] = declared if compatible(declared, actual) else actual
        else:
            actual = self.ec.check(node.value, env)
            if isinstance(node.value, (ast.ListLit, ast.MapLit)) and not _items(node.value):
                kind = "List[Int]" if isinstance(node.value, ast.ListLit) else "Map[Party, Money]"
                self.ctx.error("E0301", f"the type of an empty {kind.split('[')[0].lower()} cannot be guessed",
                               node.value.span, hint=f"say it: `let {node.name.text}: {kind} = ...`")
            elif actual == VOID:
                self.ctx.error("E0301", "this gives no value", node.value.span)
        self.declare(node.name, declared or actual, env)

    def _resolve(self, ref, env) -> Type:
        from .context import resolve_type

        contract = env.contract
        named = {**contract.records, **contract.enums} if contract else self._scenario_types()
        return resolve_type(self.ctx, ref, named, self.ec.contracts)

    def _scenario_types(self):
        named = {}
        for contract in self.ec.contracts.values():
            named.update(contract.records)
            named.update(contract.enums)
        return named

    def _Assign(self, node: ast.Assign, env, returns):
        target = self.ec.check(node.target, env)
        check_place(self.ec, node.target, env)
        if node.op == "=":
            self.ec.expect(node.value, env, target, "the new value")
            return
        op = node.op[0]
        value = self.ec.check(node.value, env, target)
        result = binary_result(op, target, value)
        if result is None or not compatible(target, result):
            self.ctx.error("E0304", f"'{node.op}' does not apply to {target} and {value}", node.span)

    # -- control flow

    def _If(self, node: ast.If, env, returns):
        self.ec.condition(node.condition, env)
        self.block(node.then, env, returns)
        if node.otherwise is not None:
            self.block(node.otherwise, env, returns)

    def _While(self, node: ast.While, env, returns):
        self.ec.condition(node.condition, env)
        with self._loop(node):
            self.block(node.body, env, returns)

    def _loop(self, node):
        checker = self

        class Nesting:
            def __enter__(self):
                checker.loop_depth += 1
                if checker.loop_depth == MAX_LOOP_NESTING + 1:
                    checker.ctx.error("E0003", f"loops nested more than {MAX_LOOP_NESTING} deep", node.span,
                                      hint="move the inner loops into a fn")

            def __exit__(self, *exc):
                checker.loop_depth -= 1

        return Nesting()

    def _For(self, node: ast.For, env, returns):
        iterable = self.ec.check(node.iterable, env)
        inner = env.child()
        if isinstance(iterable, MapT):
            key, value = iterable.key, iterable.value
        elif isinstance(iterable, ListT):
            key, value = (INT, iterable.item) if node.value is not None else (iterable.item, None)
        else:
            if not isinstance(iterable, ErrorT):
                self.ctx.error("E0309", f"cannot loop over {iterable}", node.iterable.span,
                               hint="loop over a List, a Map, or range(a, b)")
            key, value = ERROR, ERROR
        self.declare(node.key, key, inner, mutable=False)
        if node.value is not None:
            self.declare(node.value, value if value is not None else ERROR, inner, mutable=False)
        with self._loop(node):
            for statement in node.body.body:
                self.statement(statement, inner, returns)

    def _Return(self, node: ast.Return, env, returns):
        if node.value is None:
            if returns != VOID:
                self.ctx.error("E0301", f"this must return {returns}", node.span)
            return
        if returns == VOID:
            self.ec.check(node.value, env)
            self.ctx.error("E0301", "this returns a value, but no return type is declared", node.value.span,
                           hint="declare it after the parameters: `-> Int`")
            return
        self.ec.expect(node.value, env, returns, "the returned value")

    def _ExprStmt(self, node: ast.ExprStmt, env, returns):
        expr = node.expr
        self.ec.check(expr, env)
        if not isinstance(expr, (ast.Call, ast.ContractCall)):
            self.ctx.error("E0312", "this expression does nothing", node.span,
                           hint="assign it with `let`, or test it with `require`")

    # -- effects

    def _Require(self, node: ast.Require, env, returns):
        self.ec.condition(node.condition, env, "a requirement")
        if node.message is not None:
            self.ec.expect(node.message, env, TEXT, "the message")

    def _Pay(self, node: ast.Pay, env, returns):
        self.ec.expect(node.amount, env, MoneyT(), "the amount paid")
        self.ec.expect(node.to, env, PARTY, "the payee")

    def _Emit(self, node: ast.Emit, env, returns):
        from .calls import check_arguments

        event = env.contract.events.get(node.event.text) if env.contract else None
        if event is None:
            self.ctx.error("E0208", f"unknown event '{node.event.text}'", node.event.span,
                           hint=self.ctx.did_you_mean(node.event.text, env.contract.events if env.contract else ()))
            for arg in node.args:
                self.ec.check(arg.value, env)
            return
        order = check_arguments(self.ec, node, node.args, event.fields, env, f"event {event.name}")
        self.ctx.note_ref(node, "event", event.name, order)

    def _Grant(self, node, env, returns):
        self._role_change(node, env)

    _Revoke = _Grant

    def _role_change(self, node, env):
        roles = env.contract.roles if env.contract else ()
        if node.role.text not in roles:
            self.ctx.error("E0203", f"unknown role '{node.role.text}'", node.role.span,
                           hint=self.ctx.did_you_mean(node.role.text, roles))
        self.ec.expect(node.party, env, PARTY, "the party")

    def _Split(self, node: ast.Split, env, returns):
        self.ec.expect(node.amount, env, MoneyT(), "the amount split")
        if node.among is not None:
            t = self.ec.check(node.among, env)
            if not (isinstance(t, MapT) and t.key == PARTY and isinstance(t.value, (IntT, MoneyT))) \
                    and not isinstance(t, ErrorT):
                self.ctx.error("E0502", f"`split ... among` takes a Map[Party, Int] or Map[Party, Money], not {t}",
                               node.among.span)
            return
        self._shares(node.shares, env, INT, node.span, "split")

    def _shares(self, shares, env, weight_type: Type, span, what: str) -> None:
        if not shares:
            self.ctx.error("E0502", f"a {what} needs at least one payee", span)
        seen: dict[str, ast.Share] = {}
        for share in shares:
            self.ec.expect(share.payee, env, PARTY, "a payee")
            self.ec.expect(share.weight, env, weight_type, "a share")
            key = _payee_key(share.payee)
            if key in seen:
                self.ctx.error("E0503", f"'{key}' is listed twice", share.payee.span,
                               notes=[f"first listed at line {seen[key].span.line}"])
            seen[key] = share
            if isinstance(share.weight, ast.IntLit) and share.weight.value <= 0:
                self.ctx.error("E0502", "split weights must be positive", share.weight.span)

    def _Waterfall(self, node: ast.Waterfall, env, returns):
        name = node.name.text
        if name in self.waterfalls:
            self.ctx.error("E0201", f"waterfall '{name}' is declared twice", node.name.span,
                           notes=[f"its progress is stored under its name; the first is at line {self.waterfalls[name].span.line}"])
        self.waterfalls[name] = node
        self.ec.expect(node.amount, env, MoneyT(), "the amount entering the waterfall")
        if not node.tiers:
            self.ctx.error("E0501", "a waterfall needs at least one tier", node.span)
        for i, tier in enumerate(node.tiers):
            if isinstance(tier, ast.FeeTier):
                self.ec.expect(tier.rate, env, RATE, "a fee rate")
                if isinstance(tier.rate, ast.RateLit) and not 0 <= tier.rate.value <= 1:
                    self.ctx.error("E0501", "a fee rate must be between 0% and 100%", tier.rate.span)
                self.ec.expect(tier.payee, env, PARTY, "the fee's payee")
                if tier.cap is not None:
                    self.ec.expect(tier.cap, env, MoneyT(), "a cap")
            elif isinstance(tier, ast.RecoupTier):
                self.ec.expect(tier.payee, env, PARTY, "the party recouping")
                self.ec.expect(tier.target, env, MoneyT(), "the amount to recoup")
            elif isinstance(tier, ast.PariPassuTier):
                self._shares(tier.shares, env, MoneyT(), tier.span, "pari passu tier")
            else:
                self._shares(tier.shares, env, INT, tier.span, "split tier")
                if i != len(node.tiers) - 1:
                    self.ctx.error("E0501", "a split tier takes all that is left, so it must be the last tier",
                                   tier.span, hint="move it to the end of the waterfall")

    # -- scenario steps reaching here are misplaced

    def _misplaced(self, node, env, returns):
        self.ctx.error("E0406", "scenario steps belong in a `scenario` block", node.span)

    _Fund = _Deploy = _CallStep = _Wait = _At = _Expect = _ExpectFails = _misplaced


def _payee_key(expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.text
    if isinstance(expr, ast.Attribute):
        return f"{_payee_key(expr.obj)}.{expr.name.text}"
    return f"<{expr.span.line}:{expr.span.column}>"


def _items(node) -> tuple:
    return node.items if isinstance(node, ast.ListLit) else node.entries
