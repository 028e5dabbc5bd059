"""Tests of runtime/merkle.py: RFC 6962 list roots and inclusion proofs."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime import merkle
from tabellion.runtime.merkle import EMPTY_LIST_ROOT, merkle_proof, merkle_root, verify_proof


def reference_root(leaves):
    """RFC 6962, section 2.1, word for word: split after the largest power of two below n."""
    sha256 = lambda data: hashlib.sha256(data).digest()  # noqa: E731
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return sha256(b"\x00" + leaves[0])
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return sha256(b"\x01" + reference_root(leaves[:split]) + reference_root(leaves[split:]))


# The test vectors of the RFC 6962 reference implementation (certificate-transparency).
CT_LEAVES = [
    bytes.fromhex(text)
    for text in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


@pytest.mark.parametrize("size", range(1, 9))
def test_certificate_transparency_vectors(size):
    assert merkle_root(CT_LEAVES[:size]).hex() == CT_ROOTS[size - 1]


def test_empty_list_root_is_the_hash_of_nothing():
    assert merkle_root([]) == EMPTY_LIST_ROOT == hashlib.sha256(b"").digest()


@given(st.lists(st.binary(max_size=8), max_size=70))
def test_root_matches_rfc_6962(leaves):
    assert merkle_root(leaves) == reference_root(leaves)


def test_a_leaf_cannot_pose_as_an_inner_node():
    left, right = merkle_root([b"a"]), merkle_root([b"b"])
    assert merkle_root([left + right]) != merkle_root([b"a", b"b"])


@pytest.mark.parametrize("size", range(1, 34))
def test_every_proof_verifies(size):
    leaves = [bytes([i]) * (i % 3) for i in range(size)]
    root = merkle_root(leaves)
    for index in range(size):
        proof = merkle_proof(leaves, index)
        assert verify_proof(root, leaves[index], index, size, proof)
        assert len(proof) <= size.bit_length()


@given(st.lists(st.binary(max_size=4), min_size=1, max_size=40, unique=True), st.data())
def test_tampered_proofs_fail(leaves, data):
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    root, proof = merkle_root(leaves), merkle_proof(leaves, index)
    assert verify_proof(root, leaves[index], index, size, proof)
    assert not verify_proof(root, leaves[index] + b"!", index, size, proof)
    assert not verify_proof(root[:-1] + bytes([root[-1] ^ 1]), leaves[index], index, size, proof)
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
        assert not verify_proof(root, leaves[other], index, size, proof)
        assert not verify_proof(root, leaves[index], other, size, proof)
        position = data.draw(st.integers(0, len(proof) - 1), label="position")
        broken = list(proof)
        broken[position] = bytes(32)
        assert not verify_proof(root, leaves[index], index, size, broken)
        assert not verify_proof(root, leaves[index], index, size, proof[:-1])
    assert not verify_proof(root, leaves[index], index, size, list(proof) + [bytes(32)])


def test_the_size_must_come_from_an_authenticated_source():
    # As in RFC 9162, a proof binds the size only through its shape: leaf 0's path
    # in a tree of 3 also fits a tree of 4. Block headers carry the counts.
    leaves = [b"a", b"b", b"c"]
    proof = merkle_proof(leaves, 0)
    assert verify_proof(merkle_root(leaves), b"a", 0, 4, proof)
    assert not verify_proof(merkle_root(leaves), b"a", 0, 5, proof)


@pytest.mark.parametrize("index, size", [(-1, 3), (3, 3), (0, 0)])
def test_out_of_range_indexes(index, size):
    assert not verify_proof(merkle_root([b"x"] * size), b"x", index, size, [])
    with pytest.raises(IndexError):
        merkle_proof([b"x"] * size, index)


def test_malformed_proof_elements_fail():
    leaves = [b"a", b"b", b"c"]
    root = merkle_root(leaves)
    assert not verify_proof(root, b"a", 0, 3, ["not bytes", bytes(32)])
    assert not verify_proof(root, b"a", 0, 3, [bytes(31), bytes(32)])


def test_the_state_tree_is_reachable_from_here():
    for name in ("StateTree", "StateProof", "verify_state_proof", "MemoryNodeStore", "EMPTY_STATE_ROOT"):
        assert name in merkle.__all__ and hasattr(merkle, name)
