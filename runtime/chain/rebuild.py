"""Rebuilding a ChainState from its stored rows (the inverse of `commitment.rows_of`).

Reopening a chain reads every state row, decodes it and builds the in-memory
WorldState again, compiling each contract's code once; the node then checks that
the rows hash to the head block's state root. Any row that cannot be read back
raises `ChainStorageError` naming it.
"""

from __future__ import annotations

from tabellion.runtime.encoding import MalformedEncoding, decode
from tabellion.runtime.state import Instance
from tabellion.runtime.values import Party

from .codec import to_runtime
from .errors import ChainStorageError
from .rows import LIST_MARKER, MAP_MARKER
from .world import ChainConfig, ChainState, Code, compile_code

__all__ = ["state_from_rows"]


def state_from_rows(rows) -> ChainState:
    """The ChainState whose rows are `rows`, an iterable of (key bytes, value bytes)."""
    tables = _Tables()
    for key, value in rows:
        if type(key) is not bytes or type(value) is not bytes:
            raise ChainStorageError("a stored state row is not a pair of byte strings: run `tabellion chain verify`")
        try:
            path, plain = decode(key), decode(value)
        except MalformedEncoding as error:
            raise ChainStorageError(f"a stored state row cannot be decoded ({error}): run `tabellion chain verify`")
        if type(path) is not tuple or not path or path[0] not in _READERS:
            raise ChainStorageError(f"a stored state row has an unknown key {path!r}")
        try:
            _READERS[path[0]](tables, path, plain)
        except (TypeError, ValueError, KeyError, IndexError) as error:
            raise ChainStorageError(f"the stored state row {path!r} is not valid ({error})") from None
    if tables.config is None:
        raise ChainStorageError("the stored state has no chain configuration row")
    try:
        return tables.build()
    except ChainStorageError:
        raise
    except (TypeError, ValueError, KeyError, IndexError) as error:
        raise ChainStorageError(f"the stored state is inconsistent ({error})") from None


class _Tables:
    def __init__(self):
        self.config = None
        self.membership = None
        self.balances, self.nonces, self.issued, self.codes = {}, {}, {}, {}
        self.contracts, self.params, self.roles, self.fields, self.entries, self.items = {}, {}, {}, {}, {}, {}

    def build(self) -> ChainState:
        state = ChainState(self.config)
        if self.membership is None:
            raise ChainStorageError("the stored state has no membership row")
        state.chain_values["membership"] = self.membership
        state.balances.update(self.balances)
        state.nonces.update(self.nonces)
        state.issued.update(self.issued)
        state.codes.update(self.codes)
        for address, (code_hash, name, deployer, number) in sorted(self.contracts.items(), key=lambda kv: kv[1][3]):
            code = state.codes[code_hash]
            compiled = compile_code(code).get(name)
            if compiled is None:
                raise ChainStorageError(f"contract {address} names {name}, which its code does not define")
            params = self.params.get(address, {})
            roles = {role: {party: True for party in members} for role, members in self.roles.get(address, {}).items()}
            instance = Instance(address, compiled, params, roles, deployer, number)
            instance.storage.update(self._storage(address))
            state.instances[address] = instance
            state.instance_code[address] = code_hash
        return state

    def _storage(self, address) -> dict:
        storage = {}
        for name, value in self.fields.get(address, {}).items():
            if value == MAP_MARKER:
                storage[name] = self.entries.get(address, {}).get(name, {})
            elif value == LIST_MARKER:
                items = self.items.get(address, {}).get(name, {})
                if sorted(items) != list(range(len(items))):
                    raise ChainStorageError(f"the items of {address}.{name} are not numbered 0 to {len(items) - 1}")
                storage[name] = [items[index] for index in range(len(items))]
            else:
                tag, stored = value
                if tag != "value":
                    raise ValueError(f"unknown field tag {tag!r}")
                storage[name] = to_runtime(stored)
        return storage


def _party(value) -> Party:
    if type(value) is not Party:
        raise TypeError("expected a party")
    return value


def _int(value) -> int:
    if type(value) is not int:
        raise TypeError("expected an int")
    return value


def _read_chain(tables, path, plain):
    tables.config = ChainConfig.from_plain(plain)


def _read_membership(tables, path, plain):
    if type(plain) is not dict or type(plain.get("members")) is not dict:
        raise ValueError("not a membership value")
    tables.membership = plain


def _read_balance(tables, path, plain):
    tables.balances[(_party(path[1]), path[2])] = _int(plain)


def _read_nonce(tables, path, plain):
    tables.nonces[_party(path[1])] = _int(plain)


def _read_issued(tables, path, plain):
    tables.issued[path[1]] = _int(plain)


def _read_code(tables, path, plain):
    file, source, imports = plain
    code = Code(file, source, tuple(tuple(pair) for pair in imports))
    if code.hash != path[1]:
        raise ValueError("the code does not hash to its key")
    tables.codes[path[1]] = code


def _read_contract(tables, path, plain):
    code_hash, name, deployer, number = plain
    tables.contracts[_party(path[1])] = (code_hash, name, _party(deployer), _int(number))


def _read_param(tables, path, plain):
    tables.params.setdefault(_party(path[1]), {})[path[2]] = to_runtime(plain)


def _read_role(tables, path, plain):
    tables.roles.setdefault(_party(path[1]), {})[path[2]] = [_party(p) for p in plain]


def _read_field(tables, path, plain):
    tables.fields.setdefault(_party(path[1]), {})[path[2]] = plain


def _read_entry(tables, path, plain):
    tables.entries.setdefault(_party(path[1]), {}).setdefault(path[2], {})[path[3]] = to_runtime(plain)


def _read_item(tables, path, plain):
    tables.items.setdefault(_party(path[1]), {}).setdefault(path[2], {})[_int(path[3])] = to_runtime(plain)


_READERS = {
    "chain": _read_chain,
    "membership": _read_membership,
    "balance": _read_balance,
    "nonce": _read_nonce,
    "issued": _read_issued,
    "code": _read_code,
    "contract": _read_contract,
    "param": _read_param,
    "role": _read_role,
    "field": _read_field,
    "entry": _read_entry,
    "item": _read_item,
}
