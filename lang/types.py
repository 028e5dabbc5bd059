"""The types of Tabellion values, and the table of what each operator does to them.

Types are frozen and compare by value. `MoneyT(None)` is Money whose currency is not
known until run time (a `Money` parameter); it is compatible with every currency, and
the engine checks at run time. `ErrorT` stands in after an error so that one mistake
is reported once, not again at every use.
"""

from __future__ import annotations

import attrs

__all__ = [
    "Type", "IntT", "BoolT", "TextT", "MoneyT", "RateT", "DateT", "TimeT", "DurationT",
    "PartyT", "RoleT", "ListT", "MapT", "RecordT", "EnumT", "ContractT", "VoidT", "ErrorT",
    "INT", "BOOL", "TEXT", "MONEY", "RATE", "DATE", "TIME", "DURATION", "PARTY", "ROLE",
    "VOID", "ERROR", "PRIMITIVES", "compatible", "join", "binary_result", "unary_result",
    "is_ordered", "is_hashable",
]


class Type:
    __slots__ = ()

    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        return type(self).__name__


def _simple(name: str):
    @attrs.frozen(slots=True)
    class Simple(Type):
        def __str__(self) -> str:
            return name

    Simple.__name__ = Simple.__qualname__ = name + "T"
    return Simple


IntT = _simple("Int")
BoolT = _simple("Bool")
TextT = _simple("Text")
RateT = _simple("Rate")
DateT = _simple("Date")
TimeT = _simple("Time")
DurationT = _simple("Duration")
PartyT = _simple("Party")
RoleT = _simple("Role")
VoidT = _simple("nothing")
ErrorT = _simple("?")


@attrs.frozen(slots=True)
class MoneyT(Type):
    currency: str | None = None

    def __str__(self) -> str:
        return f"Money[{self.currency}]" if self.currency else "Money"


@attrs.frozen(slots=True)
class ListT(Type):
    item: Type

    def __str__(self) -> str:
        return f"List[{self.item}]"


@attrs.frozen(slots=True)
class MapT(Type):
    key: Type
    value: Type

    def __str__(self) -> str:
        return f"Map[{self.key}, {self.value}]"


@attrs.frozen(slots=True)
class RecordT(Type):
    """A record type: `fields` in declaration order, as (name, type) pairs."""

    name: str
    contract: str
    fields: tuple[tuple[str, Type], ...] = attrs.field(eq=False, hash=False, repr=False)

    def __str__(self) -> str:
        return self.name

    def field_type(self, name: str) -> Type | None:
        for field, type_ in self.fields:
            if field == name:
                return type_
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)


@attrs.frozen(slots=True)
class EnumT(Type):
    name: str
    contract: str
    members: tuple[str, ...] = attrs.field(eq=False, hash=False, repr=False)

    def __str__(self) -> str:
        return self.name


@attrs.frozen(slots=True)
class ContractT(Type):
    """A deployed instance of a contract (a param, or a name bound by `deploy`)."""

    name: str

    def __str__(self) -> str:
        return self.name


INT, BOOL, TEXT, RATE = IntT(), BoolT(), TextT(), RateT()
DATE, TIME, DURATION, PARTY, ROLE = DateT(), TimeT(), DurationT(), PartyT(), RoleT()
MONEY, VOID, ERROR = MoneyT(), VoidT(), ErrorT()
PRIMITIVES: dict[str, Type] = {
    "Int": INT, "Bool": BOOL, "Text": TEXT, "Money": MONEY, "Rate": RATE, "Date": DATE,
    "Time": TIME, "Duration": DURATION, "Party": PARTY,
}

_ORDERED = (IntT, MoneyT, RateT, DateT, TimeT, DurationT, TextT, EnumT)


def is_ordered(t: Type) -> bool:
    return isinstance(t, _ORDERED + (ErrorT,))


def is_hashable(t: Type) -> bool:
    """Whether `t` may be a map key: any value type but collections (also inside records)."""
    if isinstance(t, RecordT):
        return all(is_hashable(field) for _, field in t.fields)
    return not isinstance(t, (ListT, MapT, VoidT, RoleT))


def compatible(expected: Type, actual: Type) -> bool:
    """Whether a value of type `actual` may stand where `expected` is wanted."""
    if expected == actual or isinstance(expected, ErrorT) or isinstance(actual, ErrorT):
        return True
    if isinstance(expected, MoneyT) and isinstance(actual, MoneyT):
        return expected.currency is None or actual.currency is None or expected.currency == actual.currency
    if isinstance(expected, PartyT) and isinstance(actual, ContractT):
        return True  # a contract is a party: it can be paid, compared with `caller`, given a role
    if isinstance(expected, ListT) and isinstance(actual, ListT):
        return compatible(expected.item, actual.item)
    if isinstance(expected, MapT) and isinstance(actual, MapT):
        return compatible(expected.key, actual.key) and compatible(expected.value, actual.value)
    return False


def join(a: Type, b: Type) -> Type | None:
    """The type of a value that is either an `a` or a `b` (list items, both sides of ==)."""
    if isinstance(a, ErrorT):
        return b
    if isinstance(b, ErrorT):
        return a
    if isinstance(a, MoneyT) and isinstance(b, MoneyT):
        if a.currency and b.currency and a.currency != b.currency:
            return None
        return MoneyT(a.currency or b.currency)
    if {type(a), type(b)} == {PartyT, ContractT} or (isinstance(a, ContractT) and isinstance(b, ContractT) and a != b):
        return PARTY
    if isinstance(a, ListT) and isinstance(b, ListT):
        item = join(a.item, b.item)
        return ListT(item) if item is not None else None
    if isinstance(a, MapT) and isinstance(b, MapT):
        key, value = join(a.key, b.key), join(a.value, b.value)
        return MapT(key, value) if key is not None and value is not None else None
    return a if a == b else None


def _money(a: Type, b: Type) -> Type | None:
    joined = join(a, b)
    return joined if isinstance(joined, MoneyT) else None


# (operator, left type class, right type class) -> result, or a function of (left, right).
_TABLE = {
    ("+", IntT, IntT): INT, ("-", IntT, IntT): INT, ("*", IntT, IntT): INT,
    ("/", IntT, IntT): INT, ("%", IntT, IntT): INT,
    ("+", MoneyT, MoneyT): _money, ("-", MoneyT, MoneyT): _money,
    ("*", MoneyT, IntT): lambda a, b: a, ("*", IntT, MoneyT): lambda a, b: b,
    ("*", MoneyT, RateT): lambda a, b: a, ("*", RateT, MoneyT): lambda a, b: b,
    ("/", MoneyT, IntT): lambda a, b: a, ("%", MoneyT, IntT): lambda a, b: a,
    ("/", MoneyT, MoneyT): lambda a, b: RATE if _money(a, b) else None,
    ("+", RateT, RateT): RATE, ("-", RateT, RateT): RATE, ("*", RateT, RateT): RATE,
    ("*", RateT, IntT): RATE, ("*", IntT, RateT): RATE, ("/", RateT, IntT): RATE,
    ("/", RateT, RateT): RATE,
    ("+", DurationT, DurationT): DURATION, ("-", DurationT, DurationT): DURATION,
    ("*", DurationT, IntT): DURATION, ("*", IntT, DurationT): DURATION,
    ("/", DurationT, IntT): DURATION, ("/", DurationT, DurationT): INT,
    ("%", DurationT, DurationT): DURATION,
    ("+", DateT, DurationT): DATE, ("+", DurationT, DateT): DATE, ("-", DateT, DurationT): DATE,
    ("-", DateT, DateT): DURATION,
    ("+", TimeT, DurationT): TIME, ("+", DurationT, TimeT): TIME, ("-", TimeT, DurationT): TIME,
    ("-", TimeT, TimeT): DURATION,
    ("+", TextT, TextT): TEXT,
}


def binary_result(op: str, left: Type, right: Type) -> Type | None:
    """The type of `left op right`, or None when the operator does not apply."""
    if isinstance(left, ErrorT) or isinstance(right, ErrorT):
        return ERROR
    if op in ("and", "or"):
        return BOOL if left == BOOL and right == BOOL else None
    if op in ("==", "!="):
        return BOOL if join(left, right) is not None and not isinstance(left, VoidT) else None
    if op in ("<", "<=", ">", ">="):
        return BOOL if is_ordered(left) and join(left, right) is not None else None
    if op in ("in", "not in"):
        if isinstance(right, MapT):
            return BOOL if compatible(right.key, left) else None
        if isinstance(right, ListT):
            return BOOL if compatible(right.item, left) else None
        if isinstance(right, RoleT):
            return BOOL if left == PARTY or isinstance(left, ContractT) else None
        if isinstance(right, TextT):
            return BOOL if left == TEXT else None
        return None
    rule = _TABLE.get((op, type(left), type(right)))
    if rule is None or isinstance(rule, Type):
        return rule
    return rule(left, right)


def unary_result(op: str, operand: Type) -> Type | None:
    if isinstance(operand, ErrorT):
        return ERROR
    if op == "not":
        return BOOL if operand == BOOL else None
    return operand if isinstance(operand, (IntT, MoneyT, RateT, DurationT)) else None
