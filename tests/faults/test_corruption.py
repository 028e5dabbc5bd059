"""Single bytes flipped in stored blocks, transactions, receipts and state rows: `verify` finds each.

A chain of a few blocks is built once; then, one position at a time, a byte of a
stored value (a header, a block hash, a consensus proof, a transaction, its hash,
a receipt, a state row's key or value) is flipped, `verify` must fail naming the
block the value belongs to (for a state row: the block that last wrote it), and
the byte is put back. The positions are spread over every kind of value.
"""

import random
import shutil
import subprocess
import sys

import pytest
from chain_world import build
from tabellion.runtime.chain.errors import VerificationFailed
from tabellion.runtime.chain.storage import Storage
from tabellion.runtime.chain.verify import verify_chain

# (table, column, key columns): the stored values, and the column saying which block each belongs to
TARGETS = (
    ("blocks", "header", ("height",)),
    ("blocks", "hash", ("height",)),
    ("blocks", "proof", ("height",)),
    ("txs", "body", ("height", "position")),
    ("txs", "hash", ("height", "position")),
    ("txs", "receipt", ("height", "position")),
    ("state", "key", ("key",)),
    ("state", "value", ("key",)),
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corruption") / "chain"
    chain, _, _ = build(directory, blocks=6, seed=21)
    chain.close()
    verify_chain(directory)
    return directory


def _positions(directory, count, rng):
    """`count` (table, column, key, height, offset) spread evenly over TARGETS."""
    storage = Storage.open(directory)
    try:
        cells = {}
        for table, column, keys in TARGETS:
            height = "height"
            rows = storage.connection.execute(
                f"SELECT {', '.join(keys)}, {height}, length({column}) FROM {table} "
                f"WHERE {column} IS NOT NULL").fetchall()
            cells[(table, column, keys)] = [(row[: len(keys)], row[-2], row[-1]) for row in rows]
    finally:
        storage.close()
    positions = []
    for index in range(count):
        (table, column, keys), rows = list(cells.items())[index % len(cells)]
        key, height, length = rng.choice(rows)
        positions.append((table, column, keys, key, height, rng.randrange(length)))
    return positions


def _flip(storage, table, column, keys, key, offset, rng):
    where = " AND ".join(f"{k} = ?" for k in keys)
    (value,) = storage.connection.execute(f"SELECT {column} FROM {table} WHERE {where}", key).fetchone()
    changed = bytearray(value)
    changed[offset] ^= rng.randrange(1, 256)
    storage.connection.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (bytes(changed), *key))
    new_key = key if column != "key" else (bytes(changed),)
    return value, new_key


def _restore(storage, table, column, keys, key, value):
    where = " AND ".join(f"{k} = ?" for k in keys)
    storage.connection.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (value, *key))


def _check_positions(directory, count, seed):
    rng = random.Random(seed)
    positions = _positions(directory, count, rng)
    kinds = set()
    for table, column, keys, key, height, offset in positions:
        storage = Storage.open(directory)
        try:
            original, flipped_key = _flip(storage, table, column, keys, key, offset, rng)
        finally:
            storage.close()
        try:
            with pytest.raises(VerificationFailed) as caught:
                verify_chain(directory)
            assert caught.value.height == height, (
                f"{table}.{column} of block {height}, byte {offset}: verify named block {caught.value.height} "
                f"({caught.value.reason})")
            kinds.add((table, column))
        finally:
            storage = Storage.open(directory)
            try:
                _restore(storage, table, column, keys, flipped_key, original)
            finally:
                storage.close()
    assert kinds == {(table, column) for table, column, _ in TARGETS}
    verify_chain(directory)  # every byte was put back
    return len(positions)


def test_every_flipped_byte_is_found_and_blamed_on_its_block(pristine, tmp_path):
    directory = tmp_path / "chain"
    shutil.copytree(pristine, directory)
    assert _check_positions(directory, 240, seed=1) >= 200


@pytest.mark.slow
def test_every_flipped_byte_is_found_many_positions(pristine, tmp_path):
    directory = tmp_path / "chain"
    shutil.copytree(pristine, directory)
    _check_positions(directory, 2000, seed=2)


def test_the_command_names_the_block_and_exits_1(pristine, tmp_path):
    directory = tmp_path / "chain"
    shutil.copytree(pristine, directory)
    storage = Storage.open(directory)
    storage.connection.execute("UPDATE txs SET receipt = substr(receipt, 1, 10) || x'ff' || substr(receipt, 12) "
                               "WHERE height = 3 AND position = 0")
    storage.close()
    done = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", "chain", "verify", str(directory)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "block 3 does not match" in done.stderr and "Traceback" not in done.stderr
