"""Phase one of checking a contract: collect its declarations into a `ContractInfo`.

Bodies are not looked at here; everything an expression may refer to (params, state,
records, enums, events, fns, entries) is known once this phase ends.
"""

from __future__ import annotations

from .. import ast
from ..checked import ContractInfo, EntryInfo, EventInfo, FnInfo, ParamInfo, Principal, StateInfo
from ..types import ERROR, PARTY, VOID, EnumT, RecordT, Type
from .context import BUILTIN_FUNCTIONS, BUILTIN_NAMES, Context, resolve_type

__all__ = ["collect_contract"]

_KINDS = {
    ast.RoleDecl: "role", ast.PartyDecl: "party", ast.ParamDecl: "param", ast.StateDecl: "state",
    ast.RecordDecl: "record", ast.EnumDecl: "enum", ast.EventDecl: "event", ast.FnDecl: "fn",
    ast.EntryDecl: "entry",
}


def collect_contract(ctx: Context, decl: ast.Contract, contract_names) -> ContractInfo:
    """Declarations of `decl`, with duplicates and unknown types reported to `ctx`."""
    _check_unique(ctx, decl)
    named = _named_types(ctx, decl, contract_names)

    def type_of(ref):
        return resolve_type(ctx, ref, named, contract_names)

    params = {
        m.name.text: ParamInfo(m.name.text, type_of(m.type), m.default, m)
        for m in decl.of_kind(ast.ParamDecl)
    }
    roles = tuple(m.name.text for m in decl.of_kind(ast.RoleDecl))
    parties = tuple(m.name.text for m in decl.of_kind(ast.PartyDecl))
    state = {}
    for m in decl.of_kind(ast.StateDecl):
        visible = None
        if m.visible_to is not None:
            visible = tuple(i.text for i in m.visible_to)
            for ident in m.visible_to:
                if ident.text not in roles and ident.text not in parties:
                    ctx.error("E0404", f"'{ident.text}' is not a role or party of {decl.name.text}", ident.span,
                              hint=ctx.did_you_mean(ident.text, roles + parties))
        state[m.name.text] = StateInfo(m.name.text, type_of(m.type), m.default, visible, m)
    events = {
        m.name.text: EventInfo(m.name.text, _params(ctx, m.fields, type_of), m)
        for m in decl.of_kind(ast.EventDecl)
    }
    fns = {
        m.name.text: FnInfo(m.name.text, _params(ctx, m.params, type_of),
                            type_of(m.returns) if m.returns else VOID, m)
        for m in decl.of_kind(ast.FnDecl)
    }
    partial = dict(roles=roles, parties=parties, params=params, state=state)
    entries = {m.name.text: _entry(ctx, m, type_of, partial) for m in decl.of_kind(ast.EntryDecl)}
    inits = decl.of_kind(ast.InitDecl)
    for extra in inits[1:]:
        ctx.error("E0201", "a contract has at most one `init` block", extra.span,
                  notes=[f"the first is at line {inits[0].span.line}"])
    return ContractInfo(
        name=decl.name.text,
        decl=decl,
        roles=roles,
        parties=parties,
        params=params,
        state=state,
        records={n: t for n, t in named.items() if isinstance(t, RecordT)},
        enums={n: t for n, t in named.items() if isinstance(t, EnumT)},
        events=events,
        fns=fns,
        entries=entries,
        init=inits[0] if inits else None,
        invariants=decl.of_kind(ast.InvariantDecl),
        waterfalls=(),
        scenarios=decl.of_kind(ast.Scenario),
        properties=decl.of_kind(ast.Property),
    )


def _check_unique(ctx: Context, decl: ast.Contract) -> None:
    seen: dict[str, ast.Node] = {}
    for member in decl.members:
        kind = _KINDS.get(type(member))
        if kind is None:
            continue
        name = member.name
        if name.text in BUILTIN_NAMES or (name.text in BUILTIN_FUNCTIONS and kind == "fn"):
            ctx.error("E0210", f"'{name.text}' is a built-in name and cannot be declared", name.span,
                      hint="choose another name")
            continue
        first = seen.get(name.text)
        if first is not None:
            ctx.error("E0201", f"'{name.text}' is declared twice in {decl.name.text}", name.span,
                      notes=[f"first declared as a {_KINDS[type(first)]} at line {first.span.line}"])
        else:
            seen[name.text] = member


def _named_types(ctx: Context, decl: ast.Contract, contract_names) -> dict[str, Type]:
    """Records and enums of the contract, records resolved in dependency order."""
    named: dict[str, Type] = {}
    for enum in decl.of_kind(ast.EnumDecl):
        members = tuple(m.text for m in enum.members)
        if not members:
            ctx.error("E0310", f"enum {enum.name.text} has no members", enum.span)
        for i, member in enumerate(enum.members):
            if member.text in members[:i]:
                ctx.error("E0201", f"enum member '{member.text}' is declared twice", member.span)
        named[enum.name.text] = EnumT(enum.name.text, decl.name.text, members)
    records = {r.name.text: r for r in decl.of_kind(ast.RecordDecl)}
    building: set[str] = set()

    def build(name: str) -> Type:
        if name in named:
            return named[name]
        record = records[name]
        if name in building:
            ctx.error("E0311", f"record {name} contains itself", record.span,
                      hint="hold the other record's key (an Int or Text) instead")
            return ERROR
        building.add(name)
        lookup = _LazyRecords(named, records, build)
        fields, seen = [], set()
        for field in record.fields:
            if field.name.text in seen:
                ctx.error("E0201", f"field '{field.name.text}' is declared twice in {name}", field.name.span)
            seen.add(field.name.text)
            fields.append((field.name.text, resolve_type(ctx, field.type, lookup, contract_names)))
        building.discard(name)
        named[name] = RecordT(name, decl.name.text, tuple(fields))
        return named[name]

    for name in records:
        build(name)
    return named


class _LazyRecords(dict):
    """A name table that builds a record type the first time a field refers to it."""

    def __init__(self, named, records, build):
        super().__init__(named)
        self.records, self.build = records, build

    def __contains__(self, name):
        return dict.__contains__(self, name) or name in self.records

    def __getitem__(self, name):
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return self.build(name)

    def __iter__(self):
        return iter(set(dict.keys(self)) | set(self.records))


def _params(ctx: Context, params, type_of) -> tuple[tuple[str, Type], ...]:
    result, seen = [], set()
    for param in params:
        if param.name.text in seen:
            ctx.error("E0201", f"parameter '{param.name.text}' is declared twice", param.name.span)
        seen.add(param.name.text)
        result.append((param.name.text, type_of(param.type)))
    return tuple(result)


def _entry(ctx: Context, decl: ast.EntryDecl, type_of, partial) -> EntryInfo:
    params = _params(ctx, decl.params, type_of)
    anyone, principals = False, []
    if decl.by is None:
        ctx.error("E0401", f"entry '{decl.name.text}' does not say who may call it", decl.name.span,
                  hint="add `by ROLE`, `by PARTY`, or `by anyone` after the parameters")
    elif decl.by.anyone:
        anyone = True
    else:
        for ident in decl.by.principals:
            principal = _principal(ctx, ident, partial)
            if principal is not None:
                principals.append(principal)
    pays, amount = "none", None
    if decl.pays is not None:
        pays, amount = ("any", None) if decl.pays.amount is None else ("exact", decl.pays.amount)
    returns = type_of(decl.returns) if decl.returns else VOID
    return EntryInfo(decl.name.text, params, returns, anyone, tuple(principals), pays, amount, decl)


def _principal(ctx: Context, ident: ast.Ident, partial) -> Principal | None:
    name = ident.text
    if name in partial["roles"]:
        return Principal("role", name)
    if name in partial["parties"]:
        return Principal("party", name)
    for kind in ("state", "params"):
        info = partial[kind].get(name)
        if info is not None:
            if info.type != PARTY and info.type != ERROR:
                ctx.error("E0402", f"`by {name}`: {name} is {_a(info.type)}, not a Party", ident.span,
                          hint="`by` takes roles, parties, or Party-typed state fields")
                return None
            return Principal("state" if kind == "state" else "param", name)
    candidates = [*partial["roles"], *partial["parties"], *partial["state"], *partial["params"]]
    ctx.error("E0203", f"unknown party or role '{name}'", ident.span, hint=ctx.did_you_mean(name, candidates))
    return None


def _a(t) -> str:
    text = str(t)
    return ("an " if text[0] in "AEIOU" else "a ") + text
