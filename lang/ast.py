"""The abstract syntax tree: frozen attrs nodes, each carrying the `Span` it came from.

Literal values are already decoded here (a `MoneyLit` holds minor units, a `DateLit`
days since 1970-01-01), so later stages never re-read source text. Sequences are
tuples. Nodes are never mutated; the checker records what it learns in side tables.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from .diagnostics import Span

__all__ = [
    "Node", "Ident", "TypeRef",
    # expressions
    "Expr", "Name", "IntLit", "BoolLit", "TextLit", "MoneyLit", "RateLit", "DateLit",
    "TimeLit", "DurationLit", "ListLit", "MapLit", "MapEntry", "Attribute", "Index",
    "Call", "Arg", "Unary", "Binary", "ContractCall",
    # statements
    "Stmt", "Block", "Let", "Assign", "If", "For", "While", "Require", "Pay", "Emit",
    "Return", "ExprStmt", "Share", "Split", "Waterfall", "FeeTier", "RecoupTier",
    "PariPassuTier", "SplitTier", "Grant", "Revoke",
    # declarations
    "Param", "RoleDecl", "PartyDecl", "ParamDecl", "StateDecl", "FieldDecl", "RecordDecl",
    "EnumDecl", "EventDecl", "InvariantDecl", "FnDecl", "ByClause", "PaysClause",
    "EntryDecl", "InitDecl", "Contract", "Import", "Module",
    # scenarios
    "Fund", "Deploy", "CallStep", "Wait", "At", "Expect", "ExpectFails", "Scenario",
    "Property",
]

_node = attrs.frozen(slots=True, repr=True)


class Node:
    """Base of all nodes; every node has a `span`."""

    __slots__ = ()
    span: Span


@_node
class Ident(Node):
    """A name as written, where it was written."""

    text: str
    span: Span


@_node
class TypeRef(Node):
    """A written type: `Int`, `Map[Int, Policy]`, `Money[EUR]`."""

    name: Ident
    args: tuple["TypeRef", ...]
    span: Span


# ---------------------------------------------------------------- expressions


class Expr(Node):
    __slots__ = ()


@_node
class Name(Expr):
    text: str
    span: Span


@_node
class IntLit(Expr):
    value: int
    span: Span


@_node
class BoolLit(Expr):
    value: bool
    span: Span


@_node
class TextLit(Expr):
    value: str
    span: Span


@_node
class MoneyLit(Expr):
    """`1_250.50 EUR`: `units` is the amount in the currency's minor units."""

    units: int
    currency: str
    span: Span


@_node
class RateLit(Expr):
    """`2.5%` as the exact fraction 1/40."""

    value: Fraction
    span: Span


@_node
class DateLit(Expr):
    """A calendar date as days since 1970-01-01."""

    days: int
    span: Span


@_node
class TimeLit(Expr):
    """An instant as seconds since 1970-01-01T00:00Z."""

    seconds: int
    span: Span


@_node
class DurationLit(Expr):
    seconds: int
    span: Span


@_node
class ListLit(Expr):
    items: tuple[Expr, ...]
    span: Span


@_node
class MapEntry(Node):
    key: Expr
    value: Expr
    span: Span


@_node
class MapLit(Expr):
    entries: tuple[MapEntry, ...]
    span: Span


@_node
class Attribute(Expr):
    """`p.flight`, `Status.Open`, `w.count`."""

    obj: Expr
    name: Ident
    span: Span


@_node
class Index(Expr):
    obj: Expr
    index: Expr
    span: Span


@_node
class Arg(Node):
    """A call argument, positional (`name` is None) or named (`holder: caller`)."""

    name: Ident | None
    value: Expr
    span: Span


@_node
class Call(Expr):
    """`f(x)`, `Policy(...)`, `len(xs)`, `m.get(k, d)`: resolved by the checker."""

    func: Expr
    args: tuple[Arg, ...]
    span: Span


@_node
class Unary(Expr):
    op: str  # "-" or "not"
    operand: Expr
    span: Span


@_node
class Binary(Expr):
    op: str  # or and == != < <= > >= in "not in" + - * / %
    left: Expr
    right: Expr
    span: Span


@_node
class ContractCall(Expr):
    """`call other.entry(args) paying x`; in a scenario also `by p` and a bare entry."""

    target: Expr | None
    entry: Ident
    args: tuple[Arg, ...]
    by: Expr | None
    paying: Expr | None
    span: Span


# ----------------------------------------------------------------- statements


class Stmt(Node):
    __slots__ = ()


@_node
class Block(Node):
    body: tuple[Stmt, ...]
    span: Span


@_node
class Let(Stmt):
    name: Ident
    type: TypeRef | None
    value: Expr
    span: Span


@_node
class Assign(Stmt):
    """`target op value`, where op is `=`, `+=`, `-=`, `*=`, `/=` or `%=`."""

    target: Expr
    op: str
    value: Expr
    span: Span


@_node
class If(Stmt):
    """`else if` is an `else` block holding a single `If`."""

    condition: Expr
    then: Block
    otherwise: Block | None
    span: Span


@_node
class For(Stmt):
    """`for x in xs` (value is None) or `for k, v in m`."""

    key: Ident
    value: Ident | None
    iterable: Expr
    body: Block
    span: Span


@_node
class While(Stmt):
    condition: Expr
    body: Block
    span: Span


@_node
class Require(Stmt):
    condition: Expr
    message: Expr | None
    span: Span


@_node
class Pay(Stmt):
    amount: Expr
    to: Expr
    span: Span


@_node
class Emit(Stmt):
    event: Ident
    args: tuple[Arg, ...]
    span: Span


@_node
class Return(Stmt):
    value: Expr | None
    span: Span


@_node
class ExprStmt(Stmt):
    expr: Expr
    span: Span


@_node
class Share(Node):
    """`payee: weight` in a split or pari passu block."""

    payee: Expr
    weight: Expr
    span: Span


@_node
class Split(Stmt):
    """`split amount { a: 1, b: 2 }` or `split amount among weights_map`."""

    amount: Expr
    shares: tuple[Share, ...]
    among: Expr | None
    span: Span


@_node
class FeeTier(Node):
    rate: Expr
    payee: Expr
    cap: Expr | None
    span: Span


@_node
class RecoupTier(Node):
    payee: Expr
    target: Expr
    span: Span


@_node
class PariPassuTier(Node):
    shares: tuple[Share, ...]
    span: Span


@_node
class SplitTier(Node):
    shares: tuple[Share, ...]
    span: Span


@_node
class Waterfall(Stmt):
    name: Ident
    amount: Expr
    tiers: tuple[FeeTier | RecoupTier | PariPassuTier | SplitTier, ...]
    span: Span


@_node
class Grant(Stmt):
    role: Ident
    party: Expr
    span: Span


@_node
class Revoke(Stmt):
    role: Ident
    party: Expr
    span: Span


# --------------------------------------------------------------- declarations


@_node
class Param(Node):
    """A parameter of an entry, fn, event or property: `name: Type`."""

    name: Ident
    type: TypeRef
    span: Span


@_node
class RoleDecl(Node):
    name: Ident
    span: Span


@_node
class PartyDecl(Node):
    name: Ident
    span: Span


@_node
class ParamDecl(Node):
    name: Ident
    type: TypeRef
    default: Expr | None
    span: Span


@_node
class StateDecl(Node):
    name: Ident
    type: TypeRef
    default: Expr | None
    visible_to: tuple[Ident, ...] | None
    span: Span


@_node
class FieldDecl(Node):
    name: Ident
    type: TypeRef
    span: Span


@_node
class RecordDecl(Node):
    name: Ident
    fields: tuple[FieldDecl, ...]
    span: Span


@_node
class EnumDecl(Node):
    name: Ident
    members: tuple[Ident, ...]
    span: Span


@_node
class EventDecl(Node):
    name: Ident
    fields: tuple[Param, ...]
    span: Span


@_node
class InvariantDecl(Node):
    condition: Expr
    message: Expr | None
    span: Span


@_node
class FnDecl(Node):
    name: Ident
    params: tuple[Param, ...]
    returns: TypeRef | None
    body: Block
    span: Span


@_node
class ByClause(Node):
    """Who may call an entry: `anyone`, or roles, parties and Party-typed state fields."""

    anyone: bool
    principals: tuple[Ident, ...]
    span: Span


@_node
class PaysClause(Node):
    """`pays any` (amount is None) or `pays premium` (exactly that amount)."""

    amount: Expr | None
    span: Span


@_node
class EntryDecl(Node):
    name: Ident
    params: tuple[Param, ...]
    by: ByClause | None
    pays: PaysClause | None
    returns: TypeRef | None
    body: Block
    span: Span


@_node
class InitDecl(Node):
    body: Block
    span: Span


# ------------------------------------------------------------------ scenarios


@_node
class Fund(Stmt):
    party: Ident
    amount: Expr
    span: Span


@_node
class Deploy(Stmt):
    """`deploy [name =] Contract(args) [by p] [paying x]`."""

    name: Ident | None
    contract: Ident
    args: tuple[Arg, ...]
    by: Expr | None
    paying: Expr | None
    span: Span


@_node
class CallStep(Stmt):
    call: ContractCall
    span: Span


@_node
class Wait(Stmt):
    duration: Expr
    span: Span


@_node
class At(Stmt):
    time: Expr
    span: Span


@_node
class Expect(Stmt):
    condition: Expr
    span: Span


@_node
class ExpectFails(Stmt):
    """`expect fails call ...` or `expect fails deploy ...`, optionally `with "reason"`."""

    step: ContractCall | Deploy
    reason: str | None
    span: Span


@_node
class Scenario(Node):
    name: str
    steps: tuple[Stmt, ...]
    span: Span


@_node
class Property(Node):
    """`property "name" (x: Money) where cond { steps }`: steps run for generated args."""

    name: str
    params: tuple[Param, ...]
    where: Expr | None
    steps: tuple[Stmt, ...]
    span: Span


@_node
class Contract(Node):
    name: Ident
    members: tuple[Node, ...]
    span: Span

    def of_kind(self, kind) -> tuple:
        return tuple(m for m in self.members if isinstance(m, kind))


@_node
class Import(Node):
    module: Ident
    span: Span


@_node
class Module(Node):
    """A whole `.sc` file: imports, contracts, file-level scenarios and properties."""

    path: str
    items: tuple[Node, ...]
    span: Span

    def of_kind(self, kind) -> tuple:
        return tuple(i for i in self.items if isinstance(i, kind))
