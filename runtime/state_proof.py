"""The state tree's hashes, and the checking of its proofs: all a light client needs.

This module owns the state tree's commitment format (the tree itself is in
``state_tree.py``). H is SHA-256 and keys are placed by the nibbles of ``H(key)``,
high nibble first.

    leaf      = H(0x00 || H(key) || H(value))          65-byte preimage
    internal  = H(0x01 || C_0 || C_1 || ... || C_15)    513-byte preimage

where C_i is the hash of child i, or 32 zero bytes if slot i is empty. The root is
always an internal node, so the empty state's root is H(0x01 || 512 zero bytes).
The prefixes keep a leaf from posing as an internal node; a real child hash is
never all zeros (that would be a preimage of zero under SHA-256).
"""

import hashlib

import attrs

__all__ = ["EMPTY_STATE_ROOT", "StateProof", "verify_state_proof"]

_sha256 = hashlib.sha256
HASH_SIZE = 32
MAX_DEPTH = 2 * HASH_SIZE  # nibbles in a key hash
ZERO_HASH = bytes(HASH_SIZE)
EMPTY_STATE_ROOT = _sha256(b"\x01" + bytes(16 * HASH_SIZE)).digest()


def nibble(key_hash: bytes, depth: int) -> int:
    """The slot a key hash takes at ``depth``: its depth-th nibble, high nibble first."""
    byte = key_hash[depth >> 1]
    return byte & 15 if depth & 1 else byte >> 4


@attrs.frozen
class StateProof:
    """A path from the root toward ``H(key)``.

    ``levels[d]`` holds the 16 child hashes (zero hash when empty) of the d-th
    internal node on the path, with None in the slot the path takes. ``leaf`` is
    the (key hash, value hash) of the leaf in the last slot, or None if that slot
    is empty. Encodable as ``(levels, leaf)`` with ``encoding.encode``.
    """

    levels: tuple
    leaf: "tuple | None"


def verify_state_proof(root: bytes, key: bytes, value: "bytes | None", proof: StateProof) -> bool:
    """Whether ``proof`` shows that ``key`` holds ``value`` (None: is absent) under ``root``."""
    try:
        if not 1 <= len(proof.levels) <= MAX_DEPTH:
            return False
        key_hash = _sha256(key).digest()
        current = _terminal_hash(key_hash, value, proof.leaf, len(proof.levels))
        if current is None:
            return False
        for depth in range(len(proof.levels) - 1, -1, -1):
            hashes = list(proof.levels[depth])
            slot = nibble(key_hash, depth)
            if len(hashes) != 16 or hashes[slot] is not None:
                return False
            hashes[slot] = current
            if any(type(h) is not bytes or len(h) != HASH_SIZE for h in hashes):
                return False
            current = _sha256(b"\x01" + b"".join(hashes)).digest()
        return current == root
    except (TypeError, ValueError, AttributeError, IndexError):
        return False


def _terminal_hash(key_hash, value, leaf, depth):
    """The hash in the path's last slot, or None if ``leaf`` cannot prove the claim."""
    if leaf is None:
        return ZERO_HASH if value is None else None
    leaf_key, leaf_value = leaf
    if not all(type(h) is bytes and len(h) == HASH_SIZE for h in (leaf_key, leaf_value)):
        return None
    if value is None:
        shares_path = all(nibble(leaf_key, d) == nibble(key_hash, d) for d in range(depth))
        if leaf_key == key_hash or not shares_path:
            return None
    elif leaf_key != key_hash or leaf_value != _sha256(value).digest():
        return None
    return _sha256(b"\x00" + leaf_key + leaf_value).digest()
