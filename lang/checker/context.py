"""Shared state of one checking run: diagnostics, side tables, scopes, type resolution."""

from __future__ import annotations

from .. import ast
from ..checked import Ref
from ..diagnostics import Diagnostic, Span, closest
from ..literals import KNOWN_CURRENCIES
from ..types import ERROR, ContractT, ListT, MapT, MoneyT, PRIMITIVES, Type, is_hashable

__all__ = ["Context", "Scope", "BUILTIN_NAMES", "BUILTIN_FUNCTIONS", "resolve_type"]

# Names every entry can read, with their types filled in by the expression checker.
BUILTIN_NAMES = ("caller", "received", "balance", "now", "block", "this")
BUILTIN_FUNCTIONS = (
    "len", "sum", "min", "max", "abs", "range", "date", "time", "days", "hours", "minutes",
    "ratio", "balance", "text",
)


class Context:
    """Diagnostics and the side tables (`types`, `refs`) shared by all checkers of a module."""

    def __init__(self, path: str):
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.types: dict[int, Type] = {}
        self.refs: dict[int, Ref] = {}

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None, notes=()) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint, tuple(notes)))

    def warn(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.warnings.append(Diagnostic(code, message, span, hint, (), "warning"))

    def did_you_mean(self, name: str, candidates) -> str | None:
        guess = closest(name, candidates)
        return f"did you mean '{guess}'?" if guess else None

    def note_type(self, node, type_: Type) -> Type:
        self.types[id(node)] = type_
        return type_

    def note_ref(self, node, kind: str, name: str, detail=None) -> None:
        self.refs[id(node)] = Ref(kind, name, detail)


class Scope:
    """Local variables of a block, chained to the enclosing block's scope."""

    __slots__ = ("names", "parent", "mutable")

    def __init__(self, parent: "Scope | None" = None):
        self.names: dict[str, tuple[Type, Span]] = {}
        self.parent = parent

    def lookup(self, name: str):
        scope = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def all_names(self):
        scope, names = self, set()
        while scope is not None:
            names.update(scope.names)
            scope = scope.parent
        return names

    def child(self) -> "Scope":
        return Scope(self)


def resolve_type(ctx: Context, ref: ast.TypeRef, named: dict[str, Type], contracts=()) -> Type:
    """The type a `TypeRef` denotes; `named` maps record and enum names to their types."""
    name = ref.name.text
    args = ref.args
    if name in ("Map", "List"):
        wanted = 2 if name == "Map" else 1
        if len(args) != wanted:
            ctx.error("E0311", f"{name} takes {wanted} type argument{'s' * (wanted > 1)}, not {len(args)}",
                      ref.span, hint="write Map[Key, Value]" if name == "Map" else "write List[Item]")
            return ERROR
        resolved = [resolve_type(ctx, arg, named, contracts) for arg in args]
        if name == "List":
            return ListT(resolved[0])
        if not is_hashable(resolved[0]):
            ctx.error("E0311", f"{resolved[0]} cannot be a map key", args[0].span,
                      hint="keys are plain values: Int, Text, Party, Date, a record, ...")
            return ERROR
        return MapT(resolved[0], resolved[1])
    if name == "Money" and args:
        currency = args[0].name.text
        if len(args) != 1 or args[0].args or currency not in KNOWN_CURRENCIES:
            ctx.error("E0311", f"'{currency}' is not a currency code", args[0].span,
                      hint=ctx.did_you_mean(currency, KNOWN_CURRENCIES) or "write Money[EUR]")
            return ERROR
        return MoneyT(currency)
    if args:
        ctx.error("E0311", f"{name} takes no type arguments", ref.span)
        return ERROR
    if name in PRIMITIVES:
        return PRIMITIVES[name]
    if name in named:
        return named[name]
    if name in contracts:
        return ContractT(name)
    candidates = [*PRIMITIVES, "Map", "List", *named, *contracts]
    ctx.error("E0204", f"unknown type '{name}'", ref.name.span, hint=ctx.did_you_mean(name, candidates))
    return ERROR
