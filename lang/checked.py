"""What the checker hands to the runtime: declarations resolved, every expression typed.

The AST is left as parsed. What the checker learns about a node is kept in side
tables keyed by `id(node)` (`CheckedModule.types`, `CheckedModule.refs`); the
`CheckedModule` keeps the AST alive, so the ids stay valid.

`Ref.kind` says what a name, call or attribute denotes:

| node      | kind             | name / detail                                               |
|-----------|------------------|-------------------------------------------------------------|
| Name      | local            | the variable                                                 |
| Name      | param            | a contract param                                             |
| Name      | state            | a state field of the current contract                        |
| Name      | role             | a role (a set of parties; usable with `in`)                  |
| Name      | party            | a `party` declared in the contract                           |
| Name      | builtin          | caller, received, balance, now, block                        |
| Name      | scenario_party   | a party named in a scenario (alice, axa)                     |
| Name      | instance         | a contract deployed in a scenario (`deploy w = ...`)         |
| Name      | instance_state   | in a contract's own scenario, a state field of the instance  |
| Name      | enum_member      | unused; members are written `Status.Open`                   |
| Call      | fn               | a `fn` of the contract                                       |
| Call      | record           | construction of a record; `detail` is the field order        |
| Call      | builtin          | len, sum, min, max, abs, range, date, time, days, hours,     |
|           |                  | minutes, ratio, balance, balance_of (scenario)               |
| Call      | method           | map.get, map.remove, map.keys, map.values, list.append,      |
|           |                  | list.remove_at, list.contains                                |
| Attribute | field            | a record field                                               |
| Attribute | enum_member      | `detail` is the member's index                               |
| Attribute | instance_state   | `w.count` in a scenario                                      |

For a `Call`, `Ref.detail` of a record construction is a tuple mapping each argument
position to its field index (named arguments may come in any order).
"""

from __future__ import annotations

import attrs

from . import ast
from .types import ContractT, EnumT, RecordT, Type

__all__ = [
    "Ref", "ParamInfo", "StateInfo", "EventInfo", "FnInfo", "Principal", "EntryInfo",
    "ContractInfo", "CheckedModule",
]


@attrs.frozen(slots=True)
class Ref:
    kind: str
    name: str
    detail: object = None


@attrs.frozen(slots=True)
class ParamInfo:
    name: str
    type: Type
    default: ast.Expr | None
    decl: ast.ParamDecl


@attrs.frozen(slots=True)
class StateInfo:
    name: str
    type: Type
    default: ast.Expr | None
    visible_to: tuple[str, ...] | None  # role or party names; None means public
    decl: ast.StateDecl


@attrs.frozen(slots=True)
class EventInfo:
    name: str
    fields: tuple[tuple[str, Type], ...]
    decl: ast.EventDecl


@attrs.frozen(slots=True)
class FnInfo:
    name: str
    params: tuple[tuple[str, Type], ...]
    returns: Type
    decl: ast.FnDecl


@attrs.frozen(slots=True)
class Principal:
    """One name in a `by` clause: kind is `role`, `party`, `state` or `param` (Party-typed)."""

    kind: str
    name: str


@attrs.frozen(slots=True)
class EntryInfo:
    name: str
    params: tuple[tuple[str, Type], ...]
    returns: Type
    anyone: bool
    principals: tuple[Principal, ...]
    pays: str  # "none", "any" or "exact"
    pays_amount: ast.Expr | None
    decl: ast.EntryDecl


@attrs.frozen(slots=True)
class ContractInfo:
    name: str
    decl: ast.Contract
    roles: tuple[str, ...]
    parties: tuple[str, ...]
    params: dict[str, ParamInfo]
    state: dict[str, StateInfo]
    records: dict[str, RecordT]
    enums: dict[str, EnumT]
    events: dict[str, EventInfo]
    fns: dict[str, FnInfo]
    entries: dict[str, EntryInfo]
    init: ast.InitDecl | None
    invariants: tuple[ast.InvariantDecl, ...]
    waterfalls: tuple[str, ...]
    scenarios: tuple[ast.Scenario, ...]
    properties: tuple[ast.Property, ...]

    @property
    def type(self) -> ContractT:
        return ContractT(self.name)


@attrs.frozen(slots=True, eq=False)
class CheckedModule:
    """A module that passed the checker: its AST, contracts and side tables."""

    module: ast.Module
    source: str
    contracts: dict[str, ContractInfo]
    scenarios: tuple[ast.Scenario, ...]
    properties: tuple[ast.Property, ...]
    types: dict[int, Type]
    refs: dict[int, Ref]
    imports: tuple["CheckedModule", ...] = ()
    warnings: tuple = ()

    def type_of(self, node) -> Type:
        return self.types[id(node)]

    def ref_of(self, node) -> Ref | None:
        return self.refs.get(id(node))

    def all_contracts(self) -> dict[str, ContractInfo]:
        """This module's contracts and those of its imports."""
        found: dict[str, ContractInfo] = {}
        for imported in self.imports:
            found.update(imported.all_contracts())
        found.update(self.contracts)
        return found
