"""Arguments of deploys and calls: checking values against types, and reading literals.

The engine trusts its callers to pass values of the declared types; on a chain
the caller is anyone, so the executor checks every argument first
(`check_value`), and a mismatch reverts the transaction with a message naming
the argument. On a chain every Party value must be an address.

`parse_literal` reads an argument typed on the command line as a Tabellion
literal (`20 EUR`, `2026-12-01`, `15%`, `[alice, bob]`, `"text"`), guided by the
type the contract declares, with party names resolved by the caller.
"""

from __future__ import annotations

from tabellion.lang import ast
from tabellion.lang.types import (
    BoolT,
    ContractT,
    DateT,
    DurationT,
    EnumT,
    IntT,
    ListT,
    MapT,
    MoneyT,
    PartyT,
    RateT,
    RecordT,
    TextT,
    TimeT,
)
from tabellion.runtime.keys import is_address
from tabellion.runtime.numeric import INT_MAX, INT_MIN, Money, Rate
from tabellion.runtime.temporal import Date, Duration, Time
from tabellion.runtime.values import EnumValue, Party, format_value

from .errors import ChainError

__all__ = ["ArgumentError", "check_value", "deploy_types", "parse_literal"]


class ArgumentError(ChainError):
    """An argument that does not fit its declared type."""


_SIMPLE = {IntT: int, BoolT: bool, TextT: str, RateT: Rate, DateT: Date, TimeT: Time, DurationT: Duration}


def check_value(value, expected) -> str | None:
    """Why `value` is not a value of type `expected` (a lang.types.Type), or None if it is."""
    kind = type(expected)
    if kind in _SIMPLE:
        if type(value) is not _SIMPLE[kind]:
            return f"expected {expected}, got {_describe(value)}"
        if kind is IntT and not INT_MIN <= value <= INT_MAX:
            return "the Int is outside the 256-bit range"
        return None
    if kind is MoneyT:
        if type(value) is not Money:
            return f"expected Money, got {_describe(value)}"
        if expected.currency and value.currency != expected.currency:
            return f"expected an amount in {expected.currency}, got {value}"
        return None
    if kind is PartyT or kind is ContractT:
        if type(value) is not Party:
            return f"expected {expected}, got {_describe(value)}"
        if not is_address(value.name):
            return f"a party on a chain is an address (tb1...), not '{value.name}'"
        return None
    if kind is ListT:
        if type(value) is not list:
            return f"expected {expected}, got {_describe(value)}"
        return next((f"item {i}: {why}" for i, item in enumerate(value)
                     if (why := check_value(item, expected.item))), None)
    if kind is MapT:
        if type(value) is not dict:
            return f"expected {expected}, got {_describe(value)}"
        for key, item in value.items():
            why = check_value(key, expected.key) or check_value(item, expected.value)
            if why:
                return f"entry {format_value(key) if not check_value(key, expected.key) else '?'}: {why}"
        return None
    if kind is EnumT:
        if type(value) is not EnumValue or value.enum_name != expected.name \
                or value.member not in expected.members or expected.members.index(value.member) != value.index:
            return f"expected a member of {expected.name}, got {_describe(value)}"
        return None
    if kind is RecordT:
        from tabellion.runtime.compiler import record_class_for

        if type(value) is not record_class_for(expected):
            return f"expected a {expected.name}, got {_describe(value)}"
        for (name, field_type), item in zip(expected.fields, value):
            why = check_value(item, field_type)
            if why:
                return f"field {name}: {why}"
        return None
    return f"arguments of type {expected} cannot be passed to a chain"


def _describe(value) -> str:
    names = {int: "Int", bool: "Bool", str: "Text", Money: "Money", Rate: "Rate", Date: "Date", Time: "Time",
             Duration: "Duration", Party: "Party", list: "List", dict: "Map", EnumValue: "an enum member"}
    name = names.get(type(value)) or getattr(type(value), "__record_name__", None) or type(value).__name__
    try:
        return f"{name} {format_value(value)}"
    except Exception:  # noqa: BLE001 - describing a foreign value must not fail
        return name


def deploy_types(info) -> dict:
    """name -> expected type of everything a deploy of contract `info` may fill."""
    types = {role: ListT(PartyT()) for role in info.roles}
    types.update({party: PartyT() for party in info.parties})
    types.update({name: param.type for name, param in info.params.items()})
    return types


# -- literals on the command line


def parse_literal(text: str, expected, resolve_party, what: str = "the argument"):
    """The value of the literal `text` as a value of type `expected`; ArgumentError otherwise.

    `resolve_party(name)` turns a party name into a Party (an address).
    """
    from tabellion.lang.errors import CompileError
    from tabellion.lang.parser import parse_expression

    try:
        node = parse_expression(text.strip(), "<command line>")
    except CompileError as error:
        message = error.diagnostics[0].message if error.diagnostics else "not a literal"
        raise ArgumentError(f"{what}: cannot read {text!r}: {message}") from None
    if isinstance(expected, ListT) and isinstance(expected.item, PartyT) and isinstance(node, ast.Name):
        node = ast.ListLit((node,), node.span)  # a role filled with one party
    value = _Reader(resolve_party, what).read(node, expected)
    why = check_value(value, expected)
    if why:
        raise ArgumentError(f"{what}: {why}")
    return value


class _Reader:
    def __init__(self, resolve_party, what):
        self.resolve_party = resolve_party
        self.what = what

    def fail(self, node, message):
        raise ArgumentError(f"{self.what}: {message}")

    def read(self, node, expected):
        kind = type(node)
        if kind is ast.IntLit or kind is ast.BoolLit or kind is ast.TextLit:
            return node.value
        if kind is ast.MoneyLit:
            return Money(node.units, node.currency)
        if kind is ast.RateLit:
            return Rate.of(node.value)
        if kind is ast.DateLit:
            return Date(node.days)
        if kind is ast.TimeLit:
            return Time(node.seconds)
        if kind is ast.DurationLit:
            return Duration(node.seconds)
        if kind is ast.Unary and node.op == "-":
            value = self.read(node.operand, expected)
            if type(value) in (int, Money, Rate, Duration):
                return -value
            self.fail(node, "only numbers, amounts, rates and durations can be negative")
        if kind is ast.Name:
            return self._name(node, expected)
        if kind is ast.Attribute and isinstance(expected, EnumT):
            return self._enum(node, expected)
        if kind is ast.ListLit:
            item = expected.item if isinstance(expected, ListT) else None
            return [self.read(i, item) for i in node.items]
        if kind is ast.MapLit:
            key, value = (expected.key, expected.value) if isinstance(expected, MapT) else (None, None)
            return {self.read(e.key, key): self.read(e.value, value) for e in node.entries}
        if kind is ast.Call and isinstance(expected, RecordT):
            return self._record(node, expected)
        self.fail(node, f"expected a literal {expected}, not an expression")

    def _name(self, node, expected):
        if node.text in ("true", "false"):
            return node.text == "true"
        if isinstance(expected, EnumT) and node.text in expected.members:
            return EnumValue(expected.name, node.text, expected.members.index(node.text))
        if isinstance(expected, TextT):
            self.fail(node, f'text goes in double quotes: "{node.text}"')
        return self.resolve_party(node.text)

    def _enum(self, node, expected):
        if not isinstance(node.obj, ast.Name) or node.obj.text != expected.name \
                or node.name.text not in expected.members:
            self.fail(node, f"expected a member of {expected.name} ({', '.join(expected.members)})")
        return EnumValue(expected.name, node.name.text, expected.members.index(node.name.text))

    def _record(self, node, expected):
        from tabellion.runtime.compiler import record_class_for

        if not isinstance(node.func, ast.Name) or node.func.text != expected.name:
            self.fail(node, f"expected a {expected.name}(...)")
        names = expected.field_names
        values = [None] * len(names)
        seen = set()
        for position, arg in enumerate(node.args):
            index = names.index(arg.name.text) if arg.name is not None and arg.name.text in names else (
                position if arg.name is None and position < len(names) else None)
            if index is None or index in seen:
                self.fail(node, f"{expected.name} has the fields {', '.join(names)}")
            seen.add(index)
            values[index] = self.read(arg.value, expected.fields[index][1])
        if len(seen) != len(names):
            self.fail(node, f"{expected.name} needs every field: {', '.join(names)}")
        return record_class_for(expected)(*values)
