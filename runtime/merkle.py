"""Merkle commitments: roots of ordered lists, and (re-exported) the state tree.

This module is the one place to import the hash structures a block commits to,
all with SHA-256: the list roots defined below, and the authenticated state map,
which lives in ``state_tree.py`` (the tree) and ``state_proof.py`` (its hash
format and proof checking).

Lists (transactions, receipts) follow RFC 6962 (Certificate Transparency), so the
roots match its Merkle Tree Hash: a leaf hashes as ``H(0x00 || data)``, an inner
node as ``H(0x01 || left || right)``, a list of n > 1 items splits after the
largest power of two below n, and the empty list's root is ``H("")``. The prefixes
keep a leaf from posing as an inner node (no second preimages).
"""

import hashlib

from tabellion.runtime.state_proof import EMPTY_STATE_ROOT, StateProof, verify_state_proof
from tabellion.runtime.state_tree import MemoryNodeStore, NodeStore, StateStoreError, StateTree

__all__ = [
    "EMPTY_LIST_ROOT",
    "EMPTY_STATE_ROOT",
    "MemoryNodeStore",
    "NodeStore",
    "StateProof",
    "StateStoreError",
    "StateTree",
    "merkle_proof",
    "merkle_root",
    "verify_proof",
    "verify_state_proof",
]

_sha256 = hashlib.sha256
HASH_SIZE = 32
EMPTY_LIST_ROOT = _sha256(b"").digest()


def _leaf_hash(data: bytes) -> bytes:
    return _sha256(b"\x00" + data).digest()


def _inner_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def _next_level(level):
    """Pair the hashes of one level; an odd one out moves up unchanged (as RFC 6962's split does)."""
    paired = [_inner_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    if len(level) & 1:
        paired.append(level[-1])
    return paired


def merkle_root(leaves) -> bytes:
    """The RFC 6962 Merkle Tree Hash of a list of byte strings."""
    level = [_leaf_hash(leaf) for leaf in leaves]
    if not level:
        return EMPTY_LIST_ROOT
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def merkle_proof(leaves, index: int) -> tuple:
    """The audit path of ``leaves[index]``: sibling hashes from the bottom up."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"index {index} out of range for {len(leaves)} leaves")
    level = [_leaf_hash(leaf) for leaf in leaves]
    path = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        level = _next_level(level)
        index >>= 1
    return tuple(path)


def verify_proof(root: bytes, leaf: bytes, index: int, size: int, proof) -> bool:
    """Whether ``leaf`` is item ``index`` of a list of ``size`` items with this root (RFC 9162, 2.1.3.2).

    As in RFC 9162, ``size`` must come from an authenticated source (a block
    header's count): a proof binds it only through the shape of the path.
    """
    if not 0 <= index < size:
        return False
    position, last = index, size - 1
    current = _leaf_hash(leaf)
    for sibling in proof:
        if last == 0 or type(sibling) is not bytes or len(sibling) != HASH_SIZE:
            return False
        if position & 1 or position == last:
            current = _inner_hash(sibling, current)
            while not position & 1 and position != 0:
                position >>= 1
                last >>= 1
        else:
            current = _inner_hash(current, sibling)
        position >>= 1
        last >>= 1
    return last == 0 and current == root
