"""Typing expressions: name resolution, operators, calls, fields, literals.

An `Env` says where an expression stands: which contract, which local scope, and the
mode (`entry`, `init`, `fn`, `invariant`, `default`, `scenario`), which decides what
it may refer to. Every expression's type goes to `ctx.types`, every resolved name to
`ctx.refs`.
"""

from __future__ import annotations

from .. import ast
from ..checked import ContractInfo
from ..types import (
    BOOL, DATE, DURATION, ERROR, INT, PARTY, RATE, ROLE, TEXT, TIME, ContractT, EnumT, ErrorT, IntT, ListT, MapT, MoneyT, RateT, RecordT,
    Type, binary_result, compatible, is_ordered, join, unary_result,
)
from .context import Context, Scope

__all__ = ["Env", "ExpressionChecker"]

_BUILTIN_TYPES = {"caller": PARTY, "received": MoneyT(), "balance": MoneyT(), "now": TIME, "block": INT}
_NOT_IN_PURE = {"caller", "received"}


class Env:
    """Where an expression is checked."""

    def __init__(self, contract: ContractInfo | None, scope: Scope, mode: str, scenario=None):
        self.contract = contract
        self.scope = scope
        self.mode = mode
        self.scenario = scenario  # a ScenarioState in scenario mode

    def child(self) -> "Env":
        return Env(self.contract, self.scope.child(), self.mode, self.scenario)


class ExpressionChecker:
    def __init__(self, ctx: Context, contracts: dict[str, ContractInfo]):
        self.ctx = ctx
        self.contracts = contracts

    # ------------------------------------------------------------------ entry point

    def check(self, node: ast.Expr, env: Env, expected: Type | None = None) -> Type:
        method = getattr(self, "_" + type(node).__name__)
        result = method(node, env, expected)
        self.ctx.types[id(node)] = result
        return result

    def expect(self, node: ast.Expr, env: Env, wanted: Type, what: str, code: str = "E0301") -> Type:
        """Check `node` and report if its type is not `wanted`."""
        actual = self.check(node, env, wanted)
        if not compatible(wanted, actual):
            self.mismatch(node, wanted, actual, what, code)
        return actual

    def condition(self, node: ast.Expr, env: Env, what: str = "a condition") -> Type:
        return self.expect(node, env, BOOL, what, "E0306")

    def mismatch(self, node, wanted: Type, actual: Type, what: str, code: str = "E0301") -> None:
        if isinstance(wanted, MoneyT) and isinstance(actual, MoneyT):
            self.ctx.error("E0302", f"{what} must be in {wanted.currency}, but this is in {actual.currency}", node.span)
            return
        hint = None
        if isinstance(wanted, MoneyT) and isinstance(actual, IntT):
            hint = "money needs a currency: write `100 EUR`"
        elif isinstance(wanted, RateT) and isinstance(actual, IntT):
            hint = "rates are written with a percent sign: `15%`"
        self.ctx.error(code, f"{what} must be {_a(wanted)}, but this is {_a(actual)}", node.span, hint=hint)

    # -------------------------------------------------------------------- literals

    def _IntLit(self, node, env, expected):
        return INT

    def _BoolLit(self, node, env, expected):
        return BOOL

    def _TextLit(self, node, env, expected):
        return TEXT

    def _MoneyLit(self, node, env, expected):
        return MoneyT(node.currency)

    def _RateLit(self, node, env, expected):
        return RATE

    def _DateLit(self, node, env, expected):
        return DATE

    def _TimeLit(self, node, env, expected):
        return TIME

    def _DurationLit(self, node, env, expected):
        return DURATION

    def _ListLit(self, node, env, expected):
        wanted = expected.item if isinstance(expected, ListT) else None
        item = wanted
        for element in node.items:
            actual = self.check(element, env, wanted)
            joined = join(item, actual) if item is not None else actual
            if joined is None:
                self.ctx.error("E0301", f"list items must all be {_a(item)}, but this is {_a(actual)}", element.span)
            else:
                item = joined
        return ListT(item if item is not None else ERROR)

    def _MapLit(self, node, env, expected):
        key_type = expected.key if isinstance(expected, MapT) else None
        value_type = expected.value if isinstance(expected, MapT) else None
        for entry in node.entries:
            for part, current in ((entry.key, "key_type"), (entry.value, "value_type")):
                wanted = key_type if current == "key_type" else value_type
                actual = self.check(part, env, wanted)
                joined = join(wanted, actual) if wanted is not None else actual
                if joined is None:
                    self.ctx.error("E0301", f"map {current[:-5]}s must all be {_a(wanted)}, but this is {_a(actual)}", part.span)
                elif current == "key_type":
                    key_type = joined
                else:
                    value_type = joined
        return MapT(key_type or ERROR, value_type or ERROR)

    # ----------------------------------------------------------------------- names

    def _Name(self, node, env, expected):
        name = node.text
        local = env.scope.lookup(name)
        if local is not None:
            self.ctx.note_ref(node, "local", name)
            return local[0]
        if env.scenario is not None:
            return env.scenario.resolve_name(self, node, env, expected)
        return self.contract_name(node, env)

    def contract_name(self, node, env) -> Type:
        name, contract = node.text, env.contract
        if contract is not None:
            if name in contract.params:
                self.ctx.note_ref(node, "param", name)
                return contract.params[name].type
            if name in contract.state:
                if env.mode == "default":
                    self.ctx.error("E0202", f"state '{name}' cannot be used in a default value", node.span,
                                   hint="defaults may use literals and params; set it in `init` instead")
                    return ERROR
                self.ctx.note_ref(node, "state", name)
                return contract.state[name].type
            if name in contract.roles:
                self.ctx.note_ref(node, "role", name)
                return ROLE
            if name in contract.parties:
                self.ctx.note_ref(node, "party", name)
                return PARTY
        if name == "this" and contract is not None and env.mode != "default":
            self.ctx.note_ref(node, "builtin", name)
            return ContractT(contract.name)
        if name in _BUILTIN_TYPES:
            if env.mode == "default" or (env.mode == "invariant" and name in _NOT_IN_PURE):
                self.ctx.error("E0406", f"'{name}' has no meaning in {_MODE_WORDS[env.mode]}", node.span)
                return ERROR
            self.ctx.note_ref(node, "builtin", name)
            return _BUILTIN_TYPES[name]
        if contract is not None and (name in contract.enums or name in contract.records):
            self.ctx.error("E0301", f"'{name}' is a type, not a value", node.span,
                           hint=f"write {name}.Member" if name in contract.enums else f"construct one with {name}(...)")
            return ERROR
        hint = self.ctx.did_you_mean(name, self.visible_names(env))
        if name in _STATEMENT_WORDS:
            hint = f"'{name}' starts a statement: is the expression on the line before complete?"
        self.ctx.error("E0202", f"unknown name '{name}'", node.span, hint=hint)
        return ERROR

    def visible_names(self, env) -> list[str]:
        names = list(env.scope.all_names()) + list(_BUILTIN_TYPES)
        contract = env.contract
        if contract is not None:
            names += [*contract.params, *contract.state, *contract.roles, *contract.parties]
        return names

    # ------------------------------------------------------------------- operators

    def _Unary(self, node, env, expected):
        operand = self.check(node.operand, env, expected if node.op == "-" else BOOL)
        result = unary_result(node.op, operand)
        if result is None:
            word = "negated" if node.op == "-" else "used with `not`"
            self.ctx.error("E0304", f"{_a(operand)} cannot be {word}", node.span)
            return ERROR
        return result

    def _Binary(self, node, env, expected):
        op = node.op
        hint_left = expected if op in ("+", "-") and isinstance(expected, MoneyT) else None
        left = self.check(node.left, env, hint_left)
        right_hint = None
        if op in ("==", "!=", "<", "<=", ">", ">=", "+", "-"):
            right_hint = left
        elif op in ("in", "not in"):
            right_hint = None
        right = self.check(node.right, env, right_hint)
        result = binary_result(op, left, right)
        if result is not None:
            return result
        if isinstance(left, MoneyT) and isinstance(right, MoneyT):
            self.ctx.error("E0302", f"cannot mix currencies: {left.currency} {op} {right.currency}", node.span,
                           hint="convert one side explicitly; Tabellion never converts currencies by itself")
            return ERROR
        self.ctx.error("E0304", f"'{op}' does not apply to {_a(left)} and {_a(right)}", node.span,
                       hint=_operator_hint(op, left, right))
        return ERROR

    # ------------------------------------------------------------ fields and index

    def _Attribute(self, node, env, expected):
        obj = node.obj
        if isinstance(obj, ast.Name) and env.scope.lookup(obj.text) is None:
            enum = self.enum_named(obj.text, env)
            if enum is not None:
                self.ctx.types[id(obj)] = enum
                self.ctx.note_ref(obj, "enum", enum.name)
                member = node.name.text
                if member not in enum.members:
                    self.ctx.error("E0211", f"{enum.name} has no member '{member}'", node.name.span,
                                   hint=self.ctx.did_you_mean(member, enum.members))
                    return ERROR
                self.ctx.note_ref(node, "enum_member", member, enum.members.index(member))
                return enum
        obj_type = self.check(obj, env)
        field = node.name.text
        if isinstance(obj_type, ErrorT):
            return ERROR
        if isinstance(obj_type, RecordT):
            field_type = obj_type.field_type(field)
            if field_type is None:
                self.ctx.error("E0205", f"{obj_type.name} has no field '{field}'", node.name.span,
                               hint=self.ctx.did_you_mean(field, obj_type.field_names))
                return ERROR
            self.ctx.note_ref(node, "field", field, obj_type.field_names.index(field))
            return field_type
        if isinstance(obj_type, ContractT) and env.mode == "scenario":
            target = self.contracts.get(obj_type.name)
            if target is not None and field in target.state:
                self.ctx.note_ref(node, "instance_state", field)
                return target.state[field].type
            candidates = list(target.state) if target else []
            self.ctx.error("E0205", f"{obj_type.name} has no state field '{field}'", node.name.span,
                           hint=self.ctx.did_you_mean(field, candidates))
            return ERROR
        self.ctx.error("E0205", f"{_a(obj_type)} has no field '{field}'", node.name.span)
        return ERROR

    def enum_named(self, name: str, env) -> EnumT | None:
        if env.contract is not None and name in env.contract.enums:
            return env.contract.enums[name]
        if env.mode == "scenario":
            for contract in self.contracts.values():
                if name in contract.enums:
                    return contract.enums[name]
        return None

    def _Index(self, node, env, expected):
        obj = self.check(node.obj, env)
        if isinstance(obj, MapT):
            self.expect(node.index, env, obj.key, "the key")
            return obj.value
        if isinstance(obj, ListT):
            self.expect(node.index, env, INT, "a list index")
            return obj.item
        self.check(node.index, env)
        if not isinstance(obj, ErrorT):
            self.ctx.error("E0304", f"{_a(obj)} cannot be indexed", node.span)
        return ERROR

    # ---------------------------------------------------------------------- calls

    def _Call(self, node, env, expected):
        from .calls import check_call

        return check_call(self, node, env, expected)

    def _ContractCall(self, node, env, expected):
        from .calls import check_contract_call

        return check_contract_call(self, node, env, expected)


# Keywords are soft (an entry may be called `pay`), so a statement keyword can reach
# the checker as a name when the previous line ended too early.
_STATEMENT_WORDS = {"let", "if", "for", "while", "require", "pay", "emit", "return", "split", "waterfall",
                    "grant", "revoke", "call", "fund", "deploy", "wait", "expect"}

_MODE_WORDS = {
    "default": "a default value", "invariant": "an invariant", "fn": "a fn", "entry": "an entry",
    "init": "init", "scenario": "a scenario",
}


def _a(t: Type | None) -> str:
    if t is None:
        return "a value"
    text = str(t)
    if isinstance(t, (RecordT, EnumT, ContractT)):
        return f"a {text}"
    return ("an " if text[0] in "AEIOU" else "a ") + text


def _operator_hint(op: str, left: Type, right: Type) -> str | None:
    if op == "*" and isinstance(left, MoneyT) and isinstance(right, MoneyT):
        return "multiply money by an Int or a Rate; Money / Money gives a Rate"
    if op in ("+", "-") and {type(left), type(right)} == {MoneyT, IntT}:
        return "write the number as money: `5 EUR`"
    if op in ("<", "<=", ">", ">=") and not is_ordered(left):
        return f"{left} values have no order"
    if op in ("/",) and isinstance(left, IntT) and isinstance(right, MoneyT):
        return "divide money by an Int, not an Int by money"
    return None
