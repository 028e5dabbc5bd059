"""State rows: the chain's state as a flat map from keys to values, which the state root commits to.

The state root is the root of the state tree (state_tree.py) over these rows. A
row's key is the canonical encoding of a *path* (a list) and its value the
canonical encoding of the value there; absent rows, zero balances and zero
nonces are not stored:

    ["chain"]                        [chain id, dev, {"read": R, "write": W}, currency, block gas limit]
    ["membership"]                   the membership value (runtime.membership): members, quorum, proposals
    ["balance", owner, currency]     units (an int, never 0)
    ["nonce", address]               the next nonce (never 0)
    ["issued", currency]             units issued so far
    ["code", code hash]              [file, source, [[module, source]...]]
    ["contract", address]            [code hash, contract name, deployer, number]
    ["param", address, name]         the value of a param or party
    ["role", address, role]          [members, in the order they were granted]
    ["field", address, name]         ["value", v] | ["map"] | ["list"]
    ["entry", address, name, key]    one entry of a Map state field
    ["item", address, name, index]   one item of a List state field

A state field holding a Map or a List is spread over one row per entry, so a
write to one entry rewrites one row. Everything else (records, collections
nested in an entry) is stored whole in its row.
"""

from __future__ import annotations

from tabellion.runtime.compiler.support import MISSING
from tabellion.runtime.encoding import encode

from .world import ChainState

__all__ = ["LIST_MARKER", "MAP_MARKER", "instance_paths", "row_value", "rows_of"]

MAP_MARKER = ("map",)
LIST_MARKER = ("list",)


def row_value(state: ChainState, path: tuple):
    """The bytes stored at `path` in `state`, or None if the row is absent."""
    kind = path[0]
    if kind == "balance":
        units = state.balances.get((path[1], path[2]), 0)
        return encode(units) if units else None
    if kind == "entry" or kind == "item":
        instance = state.instances.get(path[1])
        collection = instance.storage.get(path[2]) if instance is not None else None
        if kind == "entry":
            if type(collection) is dict and path[3] in collection:
                return encode(collection[path[3]])
        elif type(collection) is list and path[3] < len(collection):
            return encode(collection[path[3]])
        return None
    if kind == "nonce":
        nonce = state.nonces.get(path[1], 0)
        return encode(nonce) if nonce else None
    return _OTHER_VALUES[kind](state, path)


def _field_value(state, path):
    instance = state.instances.get(path[1])
    value = instance.storage.get(path[2], MISSING) if instance is not None else MISSING
    if value is MISSING:
        return None
    if type(value) is dict:
        return encode(MAP_MARKER)
    if type(value) is list:
        return encode(LIST_MARKER)
    return encode(("value", value))


def _instance_part(state, path, part):
    instance = state.instances.get(path[1])
    if instance is None:
        return None
    if part == "contract":
        code_hash = state.instance_code.get(path[1])
        if code_hash is None:
            return None
        return encode((code_hash, instance.name, instance.deployer, instance.number))
    table = instance.params if part == "param" else instance.roles
    if path[2] not in table:
        return None
    value = table[path[2]]
    return encode(list(value) if part == "role" else value)


def _membership_value(state, path):
    value = state.chain_values.get("membership")
    return encode(value) if value is not None else None


def _code_value(state, path):
    code = state.codes.get(path[1])
    return encode(code.to_plain()) if code is not None else None


def _issued_value(state, path):
    units = state.issued.get(path[1], 0)
    return encode(units) if units else None


_OTHER_VALUES = {
    "chain": lambda state, path: encode(state.config.to_plain()),
    "membership": _membership_value,
    "issued": _issued_value,
    "code": _code_value,
    "contract": lambda state, path: _instance_part(state, path, "contract"),
    "param": lambda state, path: _instance_part(state, path, "param"),
    "role": lambda state, path: _instance_part(state, path, "role"),
    "field": _field_value,
}


# -- every row, from scratch


def instance_paths(instance) -> list:
    """Every path of an instance's rows."""
    address = instance.address
    paths = [("contract", address)]
    paths.extend(("param", address, name) for name in instance.params)
    paths.extend(("role", address, role) for role in instance.roles)
    for name, value in instance.storage.items():
        paths.append(("field", address, name))
        if type(value) is dict:
            paths.extend(("entry", address, name, key) for key in value)
        elif type(value) is list:
            paths.extend(("item", address, name, index) for index in range(len(value)))
    return paths


def rows_of(state: ChainState) -> dict:
    """{path: value bytes} of every row of `state`, computed from scratch."""
    paths = [("chain",), ("membership",)]
    paths.extend(("balance", owner, currency) for owner, currency in state.balances)
    paths.extend(("nonce", party) for party in state.nonces)
    paths.extend(("issued", currency) for currency in state.issued)
    paths.extend(("code", code_hash) for code_hash in state.codes)
    for instance in state.instances.values():
        paths.extend(instance_paths(instance))
    rows = {}
    for path in paths:
        value = row_value(state, path)
        if value is not None:
            rows[path] = value
    return rows
