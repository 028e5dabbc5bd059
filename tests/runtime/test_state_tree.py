"""Tests of runtime/state_tree.py and state_proof.py: the state root and its proofs."""

import hashlib

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabellion.runtime.state_proof import EMPTY_STATE_ROOT, StateProof, verify_state_proof
from tabellion.runtime.state_tree import MemoryNodeStore, StateStoreError, StateTree


def key_hash(key):
    return hashlib.sha256(key).digest()


def keys_sharing_a_prefix(nibbles, count, attempts=400_000):
    """``count`` keys whose hashes share their first ``nibbles`` nibbles (a birthday search)."""
    buckets = {}
    for i in range(attempts):
        key = b"k%d" % i
        bucket = buckets.setdefault(key_hash(key).hex()[:nibbles], [])
        bucket.append(key)
        if len(bucket) == count:
            return bucket
    raise AssertionError("no such keys found")


# Keys that force chains of single-child internal nodes, splits and collapses.
DEEP_PAIR = keys_sharing_a_prefix(6, 2)
CROWD = keys_sharing_a_prefix(3, 4)

small_keys = st.sampled_from([b"k%d" % i for i in range(40)] + DEEP_PAIR + CROWD)
values = st.binary(max_size=6)
batches = st.lists(st.dictionaries(small_keys, st.none() | values, max_size=12), max_size=8)


def apply(contents, batch):
    for key, value in batch.items():
        if value is None:
            contents.pop(key, None)
        else:
            contents[key] = value


# -- the root depends only on the contents --


def test_the_empty_tree():
    tree = StateTree()
    assert tree.root() == EMPTY_STATE_ROOT == hashlib.sha256(b"\x01" + bytes(512)).digest()
    assert StateTree.from_items({}).root() == EMPTY_STATE_ROOT
    assert tree.update({}) == EMPTY_STATE_ROOT
    assert tree.update({b"absent": None}) == EMPTY_STATE_ROOT
    assert tree.update({b"k": b"v"}) != EMPTY_STATE_ROOT
    assert tree.update({b"k": None}) == EMPTY_STATE_ROOT


def test_a_single_key_hangs_from_the_root():
    leaf = hashlib.sha256(b"\x00" + key_hash(b"k") + key_hash(b"v")).digest()
    slot = key_hash(b"k")[0] >> 4
    children = [bytes(32)] * 16
    children[slot] = leaf
    expected = hashlib.sha256(b"\x01" + b"".join(children)).digest()
    assert StateTree.from_items({b"k": b"v"}).root() == expected


@given(batches)
def test_root_equals_a_fresh_build_of_the_same_contents(batches):
    tree, contents = StateTree(), {}
    for batch in batches:
        apply(contents, batch)
        root = tree.update(batch)
        assert root == tree.root() == StateTree.from_items(contents).root()
        for key in list(contents)[:3]:
            assert tree.value_hash(key) == key_hash(contents[key])


@given(st.dictionaries(small_keys, values, max_size=30), st.randoms(use_true_random=False), st.data())
def test_root_is_independent_of_the_order_of_writes_and_deletes(contents, rng, data):
    extra = data.draw(st.dictionaries(small_keys, values, max_size=10), label="extra")
    operations = [(key, value) for key, value in contents.items()]
    operations += [(key, value) for key, value in extra.items() if key not in contents]
    operations += [(key, None) for key in extra if key not in contents]
    # Writes of extra keys must come before their deletes; everything else is shuffled.
    rng.shuffle(operations)
    written, ordered, pending_deletes = set(), [], []
    for key, value in operations:
        if value is None and key not in written:
            pending_deletes.append((key, value))
        else:
            ordered.append((key, value))
            written.add(key)
    ordered += pending_deletes
    tree, cut = StateTree(), 0
    while cut < len(ordered):
        size = rng.randint(1, 5)
        tree.update(dict(ordered[cut : cut + size]))
        cut += size
    assert tree.root() == StateTree.from_items(contents).root()


@given(st.dictionaries(small_keys, values, min_size=1, max_size=30))
def test_different_contents_give_different_roots(contents):
    root = StateTree.from_items(contents).root()
    key = next(iter(contents))
    assert StateTree.from_items({**contents, key: contents[key] + b"!"}).root() != root
    assert StateTree.from_items({k: v for k, v in contents.items() if k != key}).root() != root


def test_deep_chains_split_and_collapse():
    base = {b"k%d" % i: b"v" for i in range(100, 140)}
    tree = StateTree.from_items(base)
    first, second = DEEP_PAIR
    tree.update({first: b"1", second: b"2"})
    assert tree.root() == StateTree.from_items({**base, first: b"1", second: b"2"}).root()
    tree.update({second: None})
    assert tree.root() == StateTree.from_items({**base, first: b"1"}).root()
    tree.update({first: None})
    assert tree.root() == StateTree.from_items(base).root()


def test_an_empty_value_is_not_a_deletion():
    assert StateTree.from_items({b"k": b""}).root() != EMPTY_STATE_ROOT
    assert b"k" in StateTree.from_items({b"k": b""})


# -- the store: persistence, pruning, reopening --


@settings(max_examples=50)
@given(batches)
def test_the_store_holds_exactly_the_nodes_of_the_current_root(batches):
    store, contents = MemoryNodeStore(), {}
    tree = StateTree(store)
    for batch in batches:
        apply(contents, batch)
        tree.update(batch)
        fresh = MemoryNodeStore()
        StateTree.from_items(contents, fresh)
        assert set(store.nodes) - {EMPTY_STATE_ROOT} == set(fresh.nodes) - {EMPTY_STATE_ROOT}
        reopened = StateTree(store, tree.root())
        for key in list(contents)[:3] + [b"absent"]:
            assert reopened.value_hash(key) == (key_hash(contents[key]) if key in contents else None)


@given(batches, batches)
def test_a_reopened_tree_carries_on_like_the_original(first, second):
    store, original = MemoryNodeStore(), StateTree()
    tree = StateTree(store)
    for batch in first:
        tree.update(batch)
        original.update(batch)
    reopened = StateTree(store, tree.root())
    for batch in second:
        assert reopened.update(batch) == original.update(batch)
        reopened.drop_cache()


def test_without_pruning_every_past_root_stays_readable():
    store = MemoryNodeStore()
    tree = StateTree(store, prune=False)
    old_root = tree.update({b"a": b"1", b"b": b"2"})
    tree.update({b"a": b"3", b"b": None})
    old = StateTree(store, old_root)
    assert old.value_hash(b"a") == key_hash(b"1")
    assert old.value_hash(b"b") == key_hash(b"2")
    assert tree.value_hash(b"b") is None


def test_missing_or_damaged_nodes_raise_state_store_errors():
    store = MemoryNodeStore()
    tree = StateTree.from_items({b"k%d" % i: b"v" for i in range(50)}, store)
    with pytest.raises(StateStoreError, match="missing"):
        StateTree(store, bytes(32))
    some_node = next(h for h, node in store.nodes.items() if h != tree.root() and node[0] == 1)
    store.nodes[some_node] = store.nodes[some_node][:-1] + b"\x01"
    reopened = StateTree(store, tree.root())
    with pytest.raises(StateStoreError, match="damaged"):
        for i in range(50):
            reopened.value_hash(b"k%d" % i)


def test_a_root_that_is_a_leaf_is_refused():
    store = MemoryNodeStore()
    leaf = b"\x00" + bytes(64)
    store.put(hashlib.sha256(leaf).digest(), leaf)
    with pytest.raises(StateStoreError, match="not an internal node"):
        StateTree(store, hashlib.sha256(leaf).digest())


def test_arguments_are_checked_before_anything_changes():
    tree = StateTree.from_items({b"a": b"1"})
    root = tree.root()
    for batch in ({b"b": b"2", "c": b"3"}, {b"b": b"2", b"c": 3}, {b"b": bytearray(b"2")}):
        with pytest.raises(TypeError, match="must be bytes"):
            tree.update(batch)
        assert tree.root() == root and b"b" not in tree
    with pytest.raises(ValueError, match="same key twice"):
        StateTree.from_items([(b"a", b"1"), (b"a", b"2")])
    with pytest.raises(ValueError, match="from a store"):
        StateTree(None, root)
    with pytest.raises(ValueError, match="nothing but its cache"):
        tree.drop_cache()


# -- proofs --

PROVEN = {b"k%d" % i: b"value %d" % i for i in range(300)}
PROVEN_TREE = StateTree.from_items({**PROVEN, **dict.fromkeys(DEEP_PAIR, b"deep")})
ROOT = PROVEN_TREE.root()


@pytest.mark.parametrize("key", list(PROVEN)[:40] + DEEP_PAIR)
def test_inclusion_proofs(key):
    value = PROVEN.get(key, b"deep")
    proof = PROVEN_TREE.prove(key)
    assert verify_state_proof(ROOT, key, value, proof)
    assert not verify_state_proof(ROOT, key, value + b"!", proof)
    assert not verify_state_proof(ROOT, key, None, proof)
    assert not verify_state_proof(ROOT, key + b"!", value, proof)


def test_exclusion_proofs_of_both_kinds():
    kinds = set()
    for i in range(200):
        key = b"absent %d" % i
        proof = PROVEN_TREE.prove(key)
        assert verify_state_proof(ROOT, key, None, proof)
        assert not verify_state_proof(ROOT, key, b"", proof)
        kinds.add("empty slot" if proof.leaf is None else "other leaf")
    assert kinds == {"empty slot", "other leaf"}


def test_a_proof_of_another_key_proves_nothing():
    proof = PROVEN_TREE.prove(b"k1")
    assert not verify_state_proof(ROOT, b"k2", PROVEN[b"k2"], proof)
    assert not verify_state_proof(ROOT, b"absent", None, proof)
    first, second = DEEP_PAIR  # neighbours: the same path but the last step
    assert not verify_state_proof(ROOT, second, None, PROVEN_TREE.prove(first))


@given(st.sampled_from(list(PROVEN)[:20] + [b"absent 1", b"absent 2"]), st.data())
def test_tampered_proofs_fail(key, data):
    value = PROVEN.get(key)
    proof = PROVEN_TREE.prove(key)
    assert verify_state_proof(ROOT, key, value, proof)
    depth = data.draw(st.integers(0, len(proof.levels) - 1), label="depth")
    slot = data.draw(st.integers(0, 15), label="slot")
    level = list(proof.levels[depth])
    level[slot] = bytes(32) if level[slot] != bytes(32) else b"\x01" * 32
    levels = proof.levels[:depth] + (tuple(level),) + proof.levels[depth + 1 :]
    assert not verify_state_proof(ROOT, key, value, attrs.evolve(proof, levels=levels))
    assert not verify_state_proof(ROOT, key, value, attrs.evolve(proof, levels=proof.levels[:-1]))
    assert not verify_state_proof(bytes(32), key, value, proof)


@pytest.mark.parametrize(
    "proof",
    [
        StateProof((), None),
        StateProof(None, None),
        StateProof(((None,) * 16,) * 65, None),
        StateProof(((bytes(32),) * 16,), None),
        StateProof(((None,) * 15,), None),
        StateProof(((None, "x" * 32) + (bytes(32),) * 14,), None),
        StateProof(((None,) + (bytes(31),) * 15,), None),
        StateProof(((None,) + (bytes(32),) * 15,), (bytes(32),)),
        StateProof(((None,) + (bytes(32),) * 15,), ("a" * 32, "b" * 32)),
        StateProof(((None,) + (bytes(32),) * 15,), 7),
        "not a proof",
    ],
)
def test_malformed_proofs_are_false_not_exceptions(proof):
    for key in (b"k1", b"absent"):
        assert verify_state_proof(ROOT, key, None, proof) is False
        assert verify_state_proof(ROOT, key, b"v", proof) is False


def test_proofs_from_a_reopened_tree_match():
    store = MemoryNodeStore()
    StateTree.from_items(PROVEN, store)
    reopened = StateTree(store, StateTree.from_items(PROVEN).root())
    for key in (b"k1", b"k2", b"absent"):
        assert reopened.prove(key) == StateTree.from_items(PROVEN).prove(key)
