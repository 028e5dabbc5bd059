"""Which state rows a block touched, derived from the WorldState journal.

The rows themselves (paths, values, `rows_of`) are defined in rows.py; this
module re-exports them. A block's journal entries are
`(container, key, old)`. A registry maps each container in the state (by
identity) to where it lives: the balances table, an instance's storage dict, a
Map or List field, a role, or a collection nested inside a row. Containers are
registered when an instance is created, when a field is assigned a new
collection, and when a row is written (its nested collections); they are
dropped when replaced. An entry whose container is not registered belongs to a
collection that entered the state in this same block, inside a row that is
already marked: so it is skipped. The cost is proportional to the journal, not
the state. `rows.rows_of` computes every row from scratch, the reference the
incremental result is tested against.
"""

from __future__ import annotations

from tabellion.runtime.compiler.support import APPENDED, INSERTED, MISSING, POPPED
from tabellion.runtime.encoding import encode
from tabellion.runtime.values import Record

from .rows import LIST_MARKER, MAP_MARKER, instance_paths, row_value, rows_of
from .world import ChainState

__all__ = ["LIST_MARKER", "MAP_MARKER", "Commitment", "instance_paths", "row_value", "rows_of"]

_KEY_CACHE_LIMIT = 200_000


class Commitment:
    """Tracks a ChainState's containers and turns a block's journal into changed rows."""

    def __init__(self, state: ChainState):
        self.state = state
        self.containers: dict[int, tuple] = {}
        self._keys: dict[tuple, bytes] = {}
        tables = (("balances", state.balances), ("nonces", state.nonces), ("issued", state.issued),
                  ("chain_values", state.chain_values), ("codes", state.codes), ("instances", state.instances),
                  ("instance_code", state.instance_code))
        for kind, table in tables:
            self.containers[id(table)] = (table, kind, None)
        for instance in state.instances.values():
            self._register_instance(instance)

    # -- keys

    def key(self, path: tuple) -> bytes:
        """The row key of a path (cached: the same accounts recur block after block)."""
        found = self._keys.get(path)
        if found is None:
            if len(self._keys) >= _KEY_CACHE_LIMIT:
                self._keys.clear()
            found = self._keys[path] = encode(path)
        return found

    # -- a block's journal to rows

    def touched(self, journal) -> dict:
        """{path: value bytes or None} of every row the journal's entries may have changed."""
        pending = _Pending()
        containers = self.containers
        for container, key, old in journal:
            found = containers.get(id(container))
            if found is None or found[0] is not container:
                continue
            kind, where = found[1], found[2]
            handler = _HANDLERS.get(kind)
            if handler is not None:
                handler(self, pending, where, key, old, container)
            else:
                pending.dirty.add(_FIXED_PATHS[kind](key))
        self._settle(pending)
        return {path: row_value(self.state, path) for path in pending.dirty}

    def _settle(self, pending: _Pending) -> None:
        """Mark the rows of replaced collections and moved list items; register what entered."""
        for address, name, old in pending.replaced:
            if type(old) is dict:
                pending.dirty.update(("entry", address, name, key) for key in old)
            else:
                pending.dirty.update(("item", address, name, index) for index in range(len(old)))
            self._unregister(old)
        for items, address, name, entries in pending.lists.values():
            for index in _moved_indices(items, entries):
                path = ("item", address, name, index)
                pending.dirty.add(path)
                if index < len(items):
                    pending.walks.add(path)
        for address in pending.instances:
            instance = self.state.instances.get(address)
            if instance is not None:
                pending.dirty.update(self._register_instance(instance))
        for path in pending.walks:
            if path[0] == "field":
                pending.dirty.update(self._register_field(path[1], path[2]))
            else:
                self._register_nested(path)

    # -- the registry

    def _register_instance(self, instance) -> list:
        """Register an instance's containers; return every path of its rows."""
        address = instance.address
        self.containers[id(instance.storage)] = (instance.storage, "storage", address)
        paths = [("contract", address)]
        paths.extend(("param", address, name) for name in instance.params)
        for role, members in instance.roles.items():
            self.containers[id(members)] = (members, "role", (address, role))
            paths.append(("role", address, role))
        for name in instance.storage:
            paths.append(("field", address, name))
            paths.extend(self._register_field(address, name))
        return paths

    def _register_field(self, address, name) -> list:
        """Register the value of a state field; return the entry or item paths it spreads over."""
        instance = self.state.instances.get(address)
        value = instance.storage.get(name, MISSING) if instance is not None else MISSING
        kind = type(value)
        if kind is dict:
            self.containers[id(value)] = (value, "map", (address, name))
            paths = [("entry", address, name, key) for key in value]
            for path, item in zip(paths, value.values()):
                self._register_value(item, path)
            return paths
        if kind is list:
            self.containers[id(value)] = (value, "list", (address, name))
            paths = [("item", address, name, index) for index in range(len(value))]
            for path, item in zip(paths, value):
                self._register_value(item, path)
            return paths
        if value is not MISSING:
            self._register_value(value, ("field", address, name))
        return []

    def _register_nested(self, path) -> None:
        kind, address, name, key = path
        instance = self.state.instances.get(address)
        collection = instance.storage.get(name) if instance is not None else None
        present = (kind == "entry" and type(collection) is dict and key in collection) or (
            kind == "item" and type(collection) is list and key < len(collection))
        if present:
            self._register_value(collection[key], path)

    def _register_value(self, value, path) -> None:
        kind = type(value)
        if kind is dict or kind is list or (isinstance(value, Record) and _holds_collections(value)):
            for container in _collections_in(value):
                self.containers[id(container)] = (container, "nested", path)

    def _unregister(self, value) -> None:
        containers = self.containers
        for container in _collections_in(value):
            found = containers.get(id(container))
            if found is not None and found[0] is container:
                del containers[id(container)]


class _Pending:
    """What one pass over a journal found."""

    __slots__ = ("dirty", "instances", "lists", "replaced", "walks")

    def __init__(self):
        self.dirty: set = set()
        self.walks: set = set()          # rows whose nested collections must be (re)registered
        self.replaced: list = []         # (address, field, old collection)
        self.lists: dict = {}            # id -> (list, address, field, [(key, old)...]) for appends, inserts, pops
        self.instances: list = []


def _on_storage(commitment, pending, address, name, old, container):
    path = ("field", address, name)
    pending.dirty.add(path)
    pending.walks.add(path)
    if type(old) is dict or type(old) is list:
        pending.replaced.append((address, name, old))
    elif old is not MISSING:
        commitment._unregister(old)


def _on_map(commitment, pending, where, key, old, container):
    path = ("entry", where[0], where[1], key)
    pending.dirty.add(path)
    pending.walks.add(path)
    if old is not MISSING:
        commitment._unregister(old)


def _on_list(commitment, pending, where, key, old, container):
    if key in _STRUCTURAL_SET:
        found = pending.lists.get(id(container))
        if found is None:
            found = pending.lists[id(container)] = (container, where[0], where[1], [])
        found[3].append((key, old))
        if key is POPPED:
            commitment._unregister(old)
        return
    path = ("item", where[0], where[1], key)
    pending.dirty.add(path)
    pending.walks.add(path)
    commitment._unregister(old)


def _on_nested(commitment, pending, path, key, old, container):
    pending.dirty.add(path)
    pending.walks.add(path)
    if key is POPPED or (key not in _STRUCTURAL_SET and old is not MISSING):
        commitment._unregister(old)


def _on_role(commitment, pending, where, key, old, container):
    pending.dirty.add(("role", where[0], where[1]))


def _on_instances(commitment, pending, where, key, old, container):
    pending.instances.append(key)


class _MarkerSet:
    """Membership by identity for the journal's markers (a key may be any hashable value)."""

    def __contains__(self, key):
        return key is APPENDED or key is INSERTED or key is POPPED


_STRUCTURAL_SET = _MarkerSet()

_HANDLERS = {
    "storage": _on_storage,
    "map": _on_map,
    "list": _on_list,
    "nested": _on_nested,
    "role": _on_role,
    "instances": _on_instances,
}

_FIXED_PATHS = {
    "balances": lambda key: ("balance", key[0], key[1]),
    "nonces": lambda key: ("nonce", key),
    "issued": lambda key: ("issued", key),
    "chain_values": lambda key: (key,),
    "codes": lambda key: ("code", key),
    "instance_code": lambda key: ("contract", key),
}


def _moved_indices(items: list, entries: list) -> set:
    """The indices whose item may differ after the appends, inserts and pops in `entries`.

    Walks the entries backward from the list's length now, recovering its length
    before each one.
    """
    indices = set()
    length = len(items)
    for key, old in reversed(entries):
        if key is APPENDED:
            length -= 1
            indices.add(length)
        elif key is POPPED:
            indices.add(length)
            length += 1
        else:  # INSERTED at index `old`: every item from there on moved
            indices.update(range(old, length))
            length -= 1
    return indices


def _holds_collections(record) -> bool:
    return any(type(v) is dict or type(v) is list or isinstance(v, Record) for v in record)


def _collections_in(value):
    """Every dict and list inside `value`, itself included."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            found.append(item)
            stack.extend(item.values())
        elif kind is list:
            found.append(item)
            stack.extend(item)
        elif isinstance(item, Record):
            stack.extend(item)
    return found
