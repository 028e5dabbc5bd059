"""The authenticated state map: a 16-ary Merkle tree over hashed keys.

This module owns the state root: the tree that commits to every state entry,
updated in place block after block. It maps byte keys to byte values and is
shaped like Diem's "Jellyfish" tree: each nibble of ``H(key)`` picks one of 16
children, and a key's leaf sits at the shortest prefix of its hash that no other
key shares. So for a set S of keys, the node at a prefix P is empty if no key
hash starts with P, a leaf if exactly one does, an internal node if several do;
the root is always an internal node. The shape, hence the root, depends only on
the contents, and a tree of n keys is about log16(n) levels deep: an update
rehashes only the paths it touched. The hashes and proofs are defined in
``state_proof.py``.

An internal node keeps its children's hashes in one 512-byte buffer, which is its
preimage but for the prefix byte: hashing it reads one block of memory, not
sixteen objects. A leaf is the 64 bytes ``H(key) || H(value)``: a bytes object,
which the garbage collector need not track, even in a tree of millions.

Nodes are stored content-addressed, ``store.put(hash, preimage)``, behind the
small ``NodeStore`` interface so that a SQLite table can hold them; a tree
reopened at a root loads nodes on demand. The tree authenticates values but does
not keep them: the state module stores the values. Without a store, the node
objects held in memory are the only copy.
"""

import hashlib
from typing import Protocol

from tabellion.lang.errors import TabellionError
from tabellion.runtime.state_proof import (
    EMPTY_STATE_ROOT,
    HASH_SIZE,
    MAX_DEPTH,
    ZERO_HASH,
    StateProof,
    nibble as _nibble,
)

__all__ = ["MemoryNodeStore", "NodeStore", "StateStoreError", "StateTree"]

_sha256 = hashlib.sha256


class StateStoreError(TabellionError):
    """The node store lacks a node the tree refers to, or holds a damaged one."""


class NodeStore(Protocol):
    """Where state-tree nodes persist: preimages by hash. A SQLite table will do."""

    def get(self, node_hash: bytes) -> "bytes | None": ...

    def put(self, node_hash: bytes, node: bytes) -> None: ...

    def delete(self, node_hash: bytes) -> None: ...


class MemoryNodeStore:
    """A NodeStore in a dict, for tests and for trees reopened in the same process."""

    def __init__(self):
        self.nodes = {}

    def get(self, node_hash):
        return self.nodes.get(node_hash)

    def put(self, node_hash, node):
        self.nodes[node_hash] = node

    def delete(self, node_hash):
        self.nodes.pop(node_hash, None)

    def __len__(self):
        return len(self.nodes)


class _Internal:
    """``hashes``: the 16 child hashes, 32 bytes each. ``children[i]``: the child (a node,
    or a leaf's 64 bytes), or None when empty or not loaded yet. ``changed``: a bit per
    slot whose hash is stale."""

    __slots__ = ("hashes", "children", "changed")

    def __init__(self, hashes=None):
        self.hashes = bytearray(hashes if hashes is not None else 16 * HASH_SIZE)
        self.children = [None] * 16
        self.changed = 0

    def slot_hash(self, slot):
        return bytes(self.hashes[slot << 5 : (slot << 5) + HASH_SIZE])


class StateTree:
    """The authenticated map from state keys to values; see the module docstring."""

    def __init__(self, store=None, root: "bytes | None" = None, *, prune: bool = True):
        """A tree over ``store`` (None: memory only), at ``root`` (None: empty).

        With ``prune``, nodes no longer reachable from the current root are
        deleted from the store; without it, every past root stays readable.
        """
        if root is not None and root != EMPTY_STATE_ROOT and store is None:
            raise ValueError("a tree can only be reopened at a root from a store")
        self._store = store
        self._prune = prune
        self._puts = self._stale = self._changed = None
        self._root, self._root_hash = _Internal(), EMPTY_STATE_ROOT
        if root is not None and root != EMPTY_STATE_ROOT:
            node = self._fetch(root)
            if type(node) is not _Internal:
                raise StateStoreError(f"state root {root.hex()} is not an internal node")
            self._root, self._root_hash = node, root

    @classmethod
    def from_items(cls, items, store=None, *, prune: bool = True) -> "StateTree":
        """A tree holding ``items`` (a mapping or (key, value) pairs; None values are
        left out), built bottom-up in one pass."""
        pairs = items.items() if hasattr(items, "items") else items
        leaves = sorted(_leaf_of(key, value) for key, value in pairs if value is not None)
        for before, after in zip(leaves, leaves[1:]):
            if before[:HASH_SIZE] == after[:HASH_SIZE]:
                raise ValueError("items holds the same key twice")
        tree = cls(store, prune=prune)
        tree._begin()
        tree._root = tree._build(leaves, 0, len(leaves), 0)
        tree._root_hash = tree._hash_internal(tree._root)
        tree._finish()
        return tree

    def root(self) -> bytes:
        """The 32-byte root hash, committing to every key and value."""
        return self._root_hash

    def update(self, batch) -> bytes:
        """Apply ``{key: value or None}`` (None deletes) and return the new root.

        Costs about len(batch) * log16(size) node visits, whatever the size of the
        state. If the store fails midway, discard the tree and reopen it.
        """
        changes = [(key, _leaf_of(key, value)) for key, value in batch.items()]
        self._begin()
        if changes:
            self._mark_root_changed()
        for key, leaf in changes:
            if leaf is None:
                self._delete(_sha256(key).digest())
            else:
                self._insert(leaf)
        self._rehash()
        self._finish()
        return self._root_hash

    def value_hash(self, key: bytes) -> "bytes | None":
        """H(value) stored under ``key``, or None if the key is absent."""
        key_hash = _sha256(key).digest()
        leaf = self._find(key_hash, record=False)[1]
        return leaf[HASH_SIZE:] if leaf is not None and leaf.startswith(key_hash) else None

    def __contains__(self, key: bytes) -> bool:
        return self.value_hash(key) is not None

    def prove(self, key: bytes) -> StateProof:
        """A proof of ``key``'s value, or of its absence, against ``root()``."""
        levels, leaf = self._find(_sha256(key).digest())
        return StateProof(levels, leaf and (leaf[:HASH_SIZE], leaf[HASH_SIZE:]))

    def drop_cache(self) -> None:
        """Forget the nodes loaded from the store, to bound memory; they load again on demand."""
        if self._store is None:
            raise ValueError("a tree without a store has nothing but its cache")
        self._root.children = [None] * 16

    # -- walking and changing the tree --

    def _find(self, key_hash, record=True):
        """Walk toward ``key_hash``: (the levels passed, as in a proof; the leaf met or None)."""
        node, levels = self._root, []
        for depth in range(MAX_DEPTH):
            slot = _nibble(key_hash, depth)
            if record:
                levels.append(tuple(None if i == slot else node.slot_hash(i) for i in range(16)))
            child = node.children[slot] or self._load(node, slot)
            if type(child) is not _Internal:
                return tuple(levels), child
            node = child
        raise StateStoreError("the state tree is deeper than a key hash")

    def _insert(self, leaf):
        """Set a leaf, flagging each slot passed on the way down as changed.

        Flagging on the way down, rather than after, saves a second walk; a write
        of the value already there then costs a needless rehash of its path.
        """
        node, queues, stale, store = self._root, self._changed, self._stale, self._store
        for depth in range(MAX_DEPTH):
            byte = leaf[depth >> 1]
            slot = byte & 15 if depth & 1 else byte >> 4
            child = node.children[slot]
            if child is None and store is not None:
                child = self._load(node, slot)
            if type(child) is _Internal:
                if not node.changed >> slot & 1:
                    if not node.changed:
                        queues[depth].append(node)
                    node.changed |= 1 << slot
                    if stale is not None:
                        stale.append(node.slot_hash(slot))
                node = child
                continue
            if child is None or child[:HASH_SIZE] == leaf[:HASH_SIZE]:
                if child == leaf:
                    return
                if child is not None:
                    self._forget(node.slot_hash(slot))
                node.children[slot] = leaf
                node.hashes[slot << 5 : (slot << 5) + HASH_SIZE] = self._hash_leaf(leaf)
            else:
                top = self._split(node, slot, child, leaf, depth + 1)
                self._flag(node, slot, depth)
                node.children[slot] = top
            return
        raise StateStoreError("the state tree is deeper than a key hash")

    def _split(self, parent, slot, old_leaf, leaf, depth):
        """The internal nodes, from ``depth`` down, that separate ``old_leaf`` from ``leaf``."""
        top = node = _Internal()
        while _nibble(old_leaf, depth) == _nibble(leaf, depth):
            chain_slot = _nibble(leaf, depth)
            node.children[chain_slot] = _Internal()
            self._flag(node, chain_slot, depth)
            node, depth = node.children[chain_slot], depth + 1
        old, new = _nibble(old_leaf, depth) << 5, _nibble(leaf, depth) << 5
        node.children[old >> 5], node.children[new >> 5] = old_leaf, leaf
        node.hashes[old : old + HASH_SIZE] = parent.slot_hash(slot)
        node.hashes[new : new + HASH_SIZE] = self._hash_leaf(leaf)
        return top

    def _delete(self, key_hash):
        node, path = self._root, []
        for depth in range(MAX_DEPTH):
            slot = _nibble(key_hash, depth)
            child = node.children[slot] or self._load(node, slot)
            if type(child) is not _Internal:
                break
            path.append((node, slot))
            node = child
        else:
            raise StateStoreError("the state tree is deeper than a key hash")
        if child is None or not child.startswith(key_hash):
            return
        for depth, (parent, parent_slot) in enumerate(path):
            if not parent.changed >> parent_slot & 1:
                self._flag(parent, parent_slot, depth)
                self._forget(parent.slot_hash(parent_slot))
        self._forget(node.slot_hash(slot))
        node.children[slot] = None
        node.hashes[slot << 5 : (slot << 5) + HASH_SIZE] = ZERO_HASH
        self._collapse(node, path)

    def _collapse(self, node, path):
        """Replace a node left with a single leaf by that leaf, up the path."""
        while path:
            remaining = self._sole_slot(node)
            if remaining < 0:
                break
            leaf = node.children[remaining] or self._load(node, remaining)
            if type(leaf) is not bytes:
                break
            parent, parent_slot = path.pop()
            parent.children[parent_slot] = leaf
            parent.hashes[parent_slot << 5 : (parent_slot << 5) + HASH_SIZE] = node.slot_hash(remaining)
            parent.changed &= ~(1 << parent_slot)
            node = parent

    def _sole_slot(self, node):
        """The only non-empty slot of ``node``, or -1 if it has several."""
        children = node.children
        loaded = 16 - children.count(None)
        if loaded > 1:
            return -1
        if self._store is None:  # then every child is loaded
            return next((slot for slot, child in enumerate(children) if child is not None), -1)
        found = -1
        for slot in range(16):
            if node.children[slot] is not None or node.slot_hash(slot) != ZERO_HASH:
                if found >= 0:
                    return -1
                found = slot
        return found

    def _flag(self, node, slot, depth):
        """Flag ``node``'s child in ``slot`` as changed; queue ``node`` for rehashing."""
        if not node.changed:
            self._changed[depth].append(node)
        node.changed |= 1 << slot

    def _mark_root_changed(self):
        if self._root_hash is not None:
            self._forget(self._root_hash)
            self._root_hash = None

    def _rehash(self):
        """Rehash the changed children of the queued nodes, deepest first, then the root.

        A flag cleared meanwhile marks a child collapsed into a leaf, whose hash is known.
        """
        puts = self._puts
        for queue in reversed(self._changed):
            for node in queue:
                flags, children, hashes = node.changed, node.children, node.hashes
                while flags:
                    lowest = flags & -flags
                    flags ^= lowest
                    at = (lowest.bit_length() - 1) << 5
                    preimage = b"\x01" + children[at >> 5].hashes
                    hashes[at : at + HASH_SIZE] = node_hash = _sha256(preimage).digest()
                    if puts is not None:
                        puts[node_hash] = preimage
                node.changed = 0
        if self._root_hash is None:
            self._root_hash = self._hash_internal(self._root)

    def _build(self, leaves, low, high, depth):
        """The internal node over leaves[low:high], which share ``depth`` nibbles."""
        node, start = _Internal(), low
        while start < high:
            slot, end = _nibble(leaves[start], depth), start + 1
            while end < high and _nibble(leaves[end], depth) == slot:
                end += 1
            if end - start == 1:
                node.children[slot] = leaves[start]
                node_hash = self._hash_leaf(leaves[start])
            else:
                node.children[slot] = child = self._build(leaves, start, end, depth + 1)
                node_hash = self._hash_internal(child)
            node.hashes[slot << 5 : (slot << 5) + HASH_SIZE] = node_hash
            start = end
        return node

    # -- hashing and the store --

    def _hash_leaf(self, leaf):
        preimage = b"\x00" + leaf
        node_hash = _sha256(preimage).digest()
        if self._puts is not None:
            self._puts[node_hash] = preimage
        return node_hash

    def _hash_internal(self, node):
        preimage = b"\x01" + node.hashes
        node_hash = _sha256(preimage).digest()
        if self._puts is not None:
            self._puts[node_hash] = preimage
        return node_hash

    def _begin(self):
        self._changed = [[] for _ in range(MAX_DEPTH)]
        if self._store is not None:
            self._puts, self._stale = {}, ([] if self._prune else None)

    def _forget(self, node_hash):
        if self._stale is not None:
            self._stale.append(node_hash)

    def _finish(self):
        """Write the new nodes to the store and, when pruning, delete the replaced ones."""
        store, puts, stale = self._store, self._puts, self._stale
        self._puts = self._stale = self._changed = None
        if store is None:
            return
        for node_hash in stale or ():
            if node_hash not in puts:
                store.delete(node_hash)
        for node_hash, preimage in puts.items():
            store.put(node_hash, preimage)

    def _load(self, node, slot):
        """The child in ``slot`` read from the store, or None if the slot is empty."""
        if self._store is None:
            return None
        node_hash = node.slot_hash(slot)
        if node_hash == ZERO_HASH:
            return None
        child = node.children[slot] = self._fetch(node_hash)
        return child

    def _fetch(self, node_hash):
        preimage = self._store.get(node_hash) if self._store is not None else None
        if preimage is None:
            raise StateStoreError(f"state node {node_hash.hex()} is missing from the store")
        preimage = bytes(preimage)
        if _sha256(preimage).digest() != node_hash:
            raise StateStoreError(f"state node {node_hash.hex()} is damaged in the store")
        if preimage[0] == 0 and len(preimage) == 1 + 2 * HASH_SIZE:
            return preimage[1:]
        if preimage[0] == 1 and len(preimage) == 1 + 16 * HASH_SIZE:
            return _Internal(preimage[1:])
        raise StateStoreError(f"state node {node_hash.hex()} is not a valid node")


def _leaf_of(key, value):
    """The leaf of a key and value, ``H(key) || H(value)``; None for a deletion."""
    if type(key) is not bytes:
        raise TypeError(f"state keys must be bytes, not {type(key).__name__}")
    if value is None:
        return None
    if type(value) is not bytes:
        raise TypeError(f"state values must be bytes or None, not {type(value).__name__}")
    return _sha256(key).digest() + _sha256(value).digest()
