"""A chain file that is corrupt, truncated, locked, foreign or missing: a clear error, never a traceback."""

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from chain_world import build
from tabellion.runtime import cli
from tabellion.runtime.chain import storage as storage_module

READERS = (["chain", "status"], ["chain", "verify"], ["chain", "blocks"], ["chain", "show", "DIR", "1"])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bad") / "chain"
    chain, _, _ = build(directory, blocks=4, seed=3)
    chain.close()
    return directory


@pytest.fixture
def chain_dir(pristine, tmp_path, monkeypatch):
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    directory = tmp_path / "chain"
    shutil.copytree(pristine, directory)
    return directory


def _commands(directory):
    for words in READERS:
        argv = [str(directory) if w == "DIR" else w for w in words]
        if "DIR" not in words:
            argv.append(str(directory))
        yield argv
    yield ["query", "alice", "--chain", str(directory)]
    yield ["chain", "fund", str(directory), "alice", "5 EUR"]


def _run(argv, capsys):
    status = cli.main(argv)
    _, err = capsys.readouterr()
    return status, err


def _assert_clear_errors(directory, capsys, fragment):
    for argv in _commands(directory):
        status, err = _run(argv, capsys)
        assert status == 1, (argv, status, err)
        assert err.startswith("error: ") and fragment in err, (argv, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)


def test_a_file_of_garbage(chain_dir, capsys):
    (chain_dir / "chain.sqlite").write_bytes(os.urandom(20_000))
    _assert_clear_errors(chain_dir, capsys, "not a SQLite database")


def test_an_empty_file(chain_dir, capsys):
    (chain_dir / "chain.sqlite").write_bytes(b"")
    _assert_clear_errors(chain_dir, capsys, "is empty: it is not a Tabellion chain")
    assert (chain_dir / "chain.sqlite").read_bytes() == b""


def test_a_foreign_sqlite_database(chain_dir, capsys):
    (chain_dir / "chain.sqlite").unlink()
    connection = sqlite3.connect(chain_dir / "chain.sqlite")
    connection.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
    connection.commit()
    connection.close()
    before = (chain_dir / "chain.sqlite").read_bytes()
    _assert_clear_errors(chain_dir, capsys, "not a Tabellion chain")
    assert (chain_dir / "chain.sqlite").read_bytes() == before, "a foreign file was changed"


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_a_truncated_file(chain_dir, capsys, fraction):
    path = chain_dir / "chain.sqlite"
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction) // 4096 * 4096 or 4096])
    for argv in _commands(chain_dir):
        status, err = _run(argv, capsys)
        # a truncation may cut only pages nobody reads for this command; then it succeeds
        assert status in (0, 1) and "Traceback" not in err and "internal error" not in err, (argv, err)
        if status == 1:
            assert err.startswith("error: "), err
    status, err = _run(["chain", "verify", str(chain_dir)], capsys)
    assert status == 1 and err.startswith("error: ")


def test_a_locked_file(chain_dir, capsys, monkeypatch):
    monkeypatch.setattr(storage_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(chain_dir / "chain.sqlite", isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO meta VALUES ('held', x'00')")
    try:
        status, err = _run(["chain", "fund", str(chain_dir), "alice", "5 EUR"], capsys)
        assert status == 1 and "locked by another process" in err and "Traceback" not in err, err
        status, err = _run(["chain", "status", str(chain_dir)], capsys)  # readers still read (WAL)
        assert status == 0, err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_missing_chain(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    _assert_clear_errors(tmp_path / "nowhere", capsys, "no chain at")
    (tmp_path / "empty").mkdir()
    _assert_clear_errors(tmp_path / "empty", capsys, "no chain at")


def test_no_traceback_from_the_real_command(chain_dir):
    (chain_dir / "chain.sqlite").write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    for argv in (["chain", "verify", str(chain_dir)], ["chain", "status", str(chain_dir)]):
        done = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", *argv], check=False, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "TABELLION_HOME": str(chain_dir)})
        assert done.returncode == 1 and done.stderr.startswith("error: ")
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("seed", range(12))
def test_random_damage_to_the_file_never_gives_a_traceback(chain_dir, capsys, seed):
    """Bytes flipped anywhere in the file, SQLite's own pages included: exit 0 or a one-line error."""
    import random

    rng = random.Random(seed)
    path = chain_dir / "chain.sqlite"
    data = bytearray(path.read_bytes())
    for _ in range(rng.choice([1, 3, 20])):
        data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
    path.write_bytes(bytes(data))
    for argv in [*_commands(chain_dir), ["chain", "show", str(chain_dir), "2"]]:
        status, err = _run(argv, capsys)
        assert status in (0, 1), (argv, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)
