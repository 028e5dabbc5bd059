"""Generating Python expressions from typed Tabellion expressions.

Every generated node carries the source position of the Tabellion node it came
from, so a failure deep inside generated code is traced back to the exact span
through the code object's position table, at no run-time cost. Static gas costs
are added to the enclosing block's counter while generating.
"""

from __future__ import annotations

import ast as py

from tabellion.lang import ast
from tabellion.lang.types import (
    DateT, DurationT, IntT, ListT, MapT, MoneyT, RateT, RecordT, TextT,
    TimeT, Type,
)

from .. import gas
from ..numeric import INT_MAX, INT_MIN, Money, Rate
from ..temporal import Date, Duration, Time
from ..values import EnumValue

__all__ = ["ExpressionCompiler", "name", "const", "call", "attr", "item", "located", "is_mutable_type"]


def name(identifier: str) -> py.Name:
    return py.Name(identifier, py.Load())


def store(identifier: str) -> py.Name:
    return py.Name(identifier, py.Store())


def const(value) -> py.Constant:
    return py.Constant(value)


def call(func, *args) -> py.Call:
    if isinstance(func, str):
        func = name(func)
    return py.Call(func, list(args), [])


def attr(obj, attribute: str) -> py.Attribute:
    if isinstance(obj, str):
        obj = name(obj)
    return py.Attribute(obj, attribute, py.Load())


def item(obj, key) -> py.Subscript:
    if isinstance(obj, str):
        obj = name(obj)
    return py.Subscript(obj, key, py.Load())


def located(node, span):
    """Give `node` and every descendant without a position the position of `span`."""
    line, column = span.line, max(span.column - 1, 0)
    end_line, end_column = span.end_line, max(span.end_column - 1, column)
    for child in py.walk(node):
        if "lineno" in child._attributes and getattr(child, "lineno", None) is None:
            child.lineno, child.col_offset = line, column
            child.end_lineno, child.end_col_offset = end_line, end_column
    return node


def is_mutable_type(t: Type) -> bool:
    if isinstance(t, (ListT, MapT)):
        return True
    if isinstance(t, RecordT):
        return any(is_mutable_type(field) for _, field in t.fields)
    return False


_COMPARE = {"==": py.Eq, "!=": py.NotEq, "<": py.Lt, "<=": py.LtE, ">": py.Gt, ">=": py.GtE,
            "in": py.In, "not in": py.NotIn}
_ARITH = {"+": py.Add, "-": py.Sub, "*": py.Mult, "/": py.Div, "%": py.Mod}
_EXACT = (MoneyT, RateT, DateT, TimeT, DurationT)
_BUILTIN_ATTRS = {"caller": "caller", "received": "received", "now": "now", "block": "block", "this": "address"}
_TEMPORAL_FUNCTIONS = {"date": "_time_to_date", "time": "_date_to_time", "days": "_duration_days",
                       "hours": "_duration_hours", "minutes": "_duration_minutes"}


class ExpressionCompiler:
    """Expression generation for one function; `unit` holds the module-wide tables."""

    def __init__(self, unit, mode: str):
        self.unit = unit
        self.checked = unit.checked
        self.mode = mode
        self.cost = 0  # static gas of the block being generated

    def type_of(self, node) -> Type:
        return self.checked.types[id(node)]

    def ref_of(self, node):
        return self.checked.refs.get(id(node))

    def expr(self, node) -> py.expr:
        result = getattr(self, "_" + type(node).__name__)(node)
        return located(result, node.span)

    def binding(self, node) -> py.expr:
        """`node` as a value to bind, store, pass or return.

        Int arithmetic is exact inside an expression; its result must fit in 256 bits
        when it is bound or stored, which is checked here. Collections read from a
        place are copied, so that no two variables share one mutable value.
        """
        value = self.expr(node)
        if isinstance(node, (ast.Binary, ast.Unary)) and isinstance(self.type_of(node), IntT):
            return located(self.checked_int(value), node.span)
        if is_mutable_type(self.type_of(node)) and isinstance(node, (ast.Name, ast.Attribute, ast.Index, ast.Call)):
            if not (isinstance(node, ast.Call) and self._fresh_call(node)):
                value = located(call("_deep_copy", name("_g"), value), node.span)
        return value

    def _fresh_call(self, node) -> bool:
        ref = self.ref_of(node)
        return ref is not None and ref.kind in ("record", "builtin", "method", "fn")

    def root_kind(self, node) -> str | None:
        """What the place `node` is rooted in: `state`, `local`, or another ref kind."""
        while isinstance(node, (ast.Attribute, ast.Index)):
            node = node.obj
        if isinstance(node, ast.Name):
            ref = self.ref_of(node)
            return ref.kind if ref else None
        return None

    # -- literals

    def _IntLit(self, node):
        return const(node.value)

    def _BoolLit(self, node):
        return const(node.value)

    def _TextLit(self, node):
        return const(node.value)

    def _MoneyLit(self, node):
        return self.unit.constant(Money(node.units, node.currency))

    def _RateLit(self, node):
        return self.unit.constant(Rate.of(node.value))

    def _DateLit(self, node):
        return self.unit.constant(Date(node.days))

    def _TimeLit(self, node):
        return self.unit.constant(Time(node.seconds))

    def _DurationLit(self, node):
        return self.unit.constant(Duration(node.seconds))

    def _ListLit(self, node):
        self.cost += gas.ELEMENT * len(node.items)
        return py.List([self.binding(i) for i in node.items], py.Load())

    def _MapLit(self, node):
        self.cost += gas.ELEMENT * len(node.entries)
        return py.Dict([self.expr(e.key) for e in node.entries], [self.binding(e.value) for e in node.entries])

    # -- names

    def _Name(self, node):
        ref = self.ref_of(node)
        kind, text = ref.kind, ref.name
        if kind == "local":
            if self.mode == "scenario":
                return item(attr("_x", "locals"), const(text))
            return name("v_" + text)
        if kind in ("param", "party"):
            self.cost += gas.PARAM_READ
            return item("_P", const(text))
        if kind == "state":
            self.cost += gas.STORAGE_READ
            return item("_S", const(text))
        if kind == "role":
            self.cost += gas.PARAM_READ
            return item("_R", const(text))
        if kind == "builtin":
            if text == "balance":
                self.cost += gas.BALANCE_READ
                return call(attr("_x", "balance"), const(None))
            self.cost += gas.BUILTIN_READ
            return attr("_x", _BUILTIN_ATTRS[text])
        if kind == "scenario_party":
            return call(attr("_x", "party"), const(text))
        if kind == "instance":
            return call(attr("_x", "instance"), const(text))
        if kind == "instance_state":
            return call(attr("_x", "state_of"), const(None), const(text))
        if kind == "instance_balance":
            return call(attr("_x", "current_balance"))
        raise AssertionError(f"unexpected name reference {ref}")

    # -- operators

    def checked_int(self, value: py.expr) -> py.expr:
        """`value`, or an overflow revert when it leaves the 256-bit range."""
        test = py.Compare(const(INT_MIN), [py.LtE(), py.LtE()],
                          [py.NamedExpr(store("_t"), value), const(INT_MAX)])
        return py.IfExp(test, name("_t"), call("_overflow"))

    def _Unary(self, node):
        operand = self.expr(node.operand)
        if node.op == "not":
            self.cost += gas.ARITHMETIC
            return py.UnaryOp(py.Not(), operand)
        if isinstance(self.type_of(node), IntT):
            self.cost += gas.ARITHMETIC
            return py.UnaryOp(py.USub(), operand)
        self.cost += gas.ARITHMETIC_EXACT
        return py.UnaryOp(py.USub(), operand)

    def _Binary(self, node):
        return self.binary(node.op, node.left, node.right)

    def binary(self, op: str, left_node, right_node) -> py.expr:
        left_type, right_type = self.type_of(left_node), self.type_of(right_node)
        left, right = self.expr(left_node), self.expr(right_node)
        if op in ("and", "or"):
            self.cost += gas.ARITHMETIC
            return py.BoolOp(py.And() if op == "and" else py.Or(), [left, right])
        if op in ("in", "not in"):
            return self._membership(op, left, right, right_type)
        if op in _COMPARE:
            self.cost += gas.ARITHMETIC
            return py.Compare(left, [_COMPARE[op]()], [right])
        if isinstance(left_type, IntT) and isinstance(right_type, IntT):
            if op == "/":
                self.cost += gas.ARITHMETIC_EXACT
                return call("_int_div", left, right)
            if op == "%":
                self.cost += gas.ARITHMETIC_EXACT
                return call("_int_mod", left, right)
            self.cost += gas.ARITHMETIC
            return py.BinOp(left, _ARITH[op](), right)
        if isinstance(left_type, TextT):
            self.cost += gas.ARITHMETIC
            return call("_concat", name("_g"), left, right)
        self.cost += gas.ARITHMETIC_EXACT
        return py.BinOp(left, _ARITH[op](), right)

    def _membership(self, op, left, right, right_type):
        self.cost += gas.ARITHMETIC
        if isinstance(right_type, (ListT, TextT)):
            test = call("_contains", name("_g"), left, right)
            return py.UnaryOp(py.Not(), test) if op == "not in" else test
        return py.Compare(left, [_COMPARE[op]()], [right])

    # -- fields and indexes

    def _Attribute(self, node):
        ref = self.ref_of(node)
        if ref.kind == "enum_member":
            enum = self.type_of(node)
            return self.unit.constant(EnumValue(enum.name, ref.name, ref.detail))
        if ref.kind == "instance_state":
            return call(attr("_x", "state_of"), self.expr(node.obj), const(ref.name))
        self.cost += gas.FIELD_READ
        return item(self.expr(node.obj), const(ref.detail))

    def _Index(self, node):
        obj_type = self.type_of(node.obj)
        obj, index = self.expr(node.obj), self.expr(node.index)
        self.cost += gas.STORAGE_READ if self.root_kind(node.obj) == "state" else gas.MAP_READ
        if isinstance(obj_type, ListT):
            return call("_list_get", obj, index)
        return item(obj, index)

    # -- calls

    def _Call(self, node):
        from .calls import compile_call

        return compile_call(self, node)

    def _ContractCall(self, node):
        ref = self.ref_of(node)
        _contract, order = ref.detail
        args = self.ordered_args(node.args, order)
        paying = self.expr(node.paying) if node.paying is not None else const(None)
        self.cost += gas.CALL_CONTRACT
        target = self.expr(node.target)
        return call(attr("_x", "call"), target, const(ref.name), py.Tuple(args, py.Load()), paying,
                    const(self.unit.span_index(node.span)))

    def ordered_args(self, args, order) -> list[py.expr]:
        """Argument values in parameter order (named arguments may come in any order)."""
        values = [None] * len(args)
        for arg, index in zip(args, order):
            values[index] = self.binding(arg.value)
        return values
