"""The chain's SQLite file: blocks, transactions with their receipts, and state rows.

One file per chain directory, `DIR/chain.sqlite`, in WAL mode with
`synchronous=FULL` unless asked otherwise (`TABELLION_SQLITE_SYNCHRONOUS`). A
block, its transactions and receipts and every state row it changed are written
in one SQLite transaction, which also checks that the block extends the stored
head: a crash leaves the last whole block, and two writers cannot both add a
block at the same height.

    meta(key, value)                       format, chain id, genesis hash, the node's validator key name
    blocks(height, hash, header, proof)
    txs(height, position, hash, body, receipt)   body: the transaction's bytes (the genesis document at 0)
    state(key, value, height)              the current rows; height: the block that last wrote the row

Every SQLite failure becomes a ChainStorageError with a message naming the file
and what is wrong with it (missing, locked, damaged, not a chain).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from .errors import ChainStorageError

__all__ = ["FILE_NAME", "FORMAT", "Storage", "chain_file"]

FORMAT = b"tabellion-chain/1"
FILE_NAME = "chain.sqlite"
BUSY_TIMEOUT_MS = int(os.environ.get("TABELLION_BUSY_TIMEOUT_MS", "3000"))

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL, header BLOB NOT NULL, proof BLOB NOT NULL);
CREATE INDEX blocks_by_hash ON blocks (hash);
CREATE TABLE txs (height INTEGER NOT NULL, position INTEGER NOT NULL, hash BLOB NOT NULL, body BLOB NOT NULL,
                  receipt BLOB, PRIMARY KEY (height, position)) WITHOUT ROWID;
CREATE INDEX txs_by_hash ON txs (hash);
CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL, height INTEGER NOT NULL) WITHOUT ROWID;
"""


def chain_file(directory) -> Path:
    return Path(directory) / FILE_NAME


class Storage:
    """An open chain file."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.connection = connection
        self.path = path

    # -- opening

    @classmethod
    def create(cls, directory, meta: dict) -> Storage:
        """A new chain file in `directory` (created if need be), holding `meta`."""
        directory = Path(directory)
        path = chain_file(directory)
        if path.exists():
            raise ChainStorageError(f"{directory} already holds a chain ({path})")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ChainStorageError(f"cannot create the chain directory {directory}: {error.strerror}") from None
        storage = cls._connect(path, "rwc")
        storage._configure(writable=True)
        with storage._guard("create"):
            storage.connection.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                storage.connection.execute(statement)
            storage.connection.executemany("INSERT INTO meta VALUES (?, ?)",
                                           [("format", FORMAT), *sorted(meta.items())])
            storage.connection.execute("COMMIT")
        return storage

    @classmethod
    def open(cls, directory, readonly: bool = False) -> Storage:
        """The chain file of `directory`; ChainStorageError if there is none or it is not a chain."""
        directory = Path(directory)
        path = chain_file(directory)
        if not directory.is_dir():
            raise ChainStorageError(f"no chain at {directory}: the directory does not exist "
                                    f"(create one with `tabellion chain init {directory}`)")
        if not path.is_file():
            raise ChainStorageError(f"no chain at {directory}: it has no {FILE_NAME} "
                                    f"(create one with `tabellion chain init {directory}`)")
        if path.stat().st_size == 0:
            raise ChainStorageError(f"{path} is empty: it is not a Tabellion chain")
        storage = cls._connect(path, "ro" if readonly else "rw")
        try:
            with storage._guard("open"):
                # Look before configuring: a file that is not a chain must be left as it was.
                tables = {row[0] for row in storage.connection.execute("SELECT name FROM sqlite_master")}
                if not {b"meta", b"blocks", b"txs", b"state"} <= tables:
                    raise ChainStorageError(f"{path} is a SQLite database but not a Tabellion chain")
                found = storage.meta("format")
                if found != FORMAT:
                    raise ChainStorageError(f"{path} is not a {FORMAT.decode()} chain (format {found!r})")
            storage._configure(writable=not readonly)
        except BaseException:
            storage.close()
            raise
        return storage

    @classmethod
    def _connect(cls, path: Path, mode: str) -> Storage:
        try:
            connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, isolation_level=None,
                                         timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.Error as error:
            raise ChainStorageError(f"cannot open {path}: {error}") from None
        # A damaged file may hold text where blobs belong: read text as bytes, never fail decoding it.
        connection.text_factory = bytes
        storage = cls(connection, path)
        with storage._guard("open"):
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return storage

    def _configure(self, writable: bool) -> None:
        synchronous = os.environ.get("TABELLION_SQLITE_SYNCHRONOUS", "FULL").upper()
        if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ChainStorageError(f"TABELLION_SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA, "
                                    f"not {synchronous!r}")
        with self._guard("open"):
            if writable:
                self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute(f"PRAGMA synchronous = {synchronous}")
            # Checkpoint the WAL into the database every ~40 MB rather than every 4 MB:
            # fewer checkpoints (each ends with an fsync) while blocks are written.
            self.connection.execute("PRAGMA wal_autocheckpoint = 10000")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    @contextlib.contextmanager
    def _guard(self, doing: str):
        """Turn SQLite's exceptions into one-line ChainStorageErrors."""
        try:
            yield
        except ChainStorageError:
            raise
        except (sqlite3.Error, UnicodeDecodeError) as error:
            # SQLite's message may quote a damaged schema, which Python then fails to decode
            with contextlib.suppress(sqlite3.Error):
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
            if isinstance(error, UnicodeDecodeError):
                raise ChainStorageError(f"cannot {doing} {self.path}: the file is damaged "
                                        "(its schema is unreadable)") from None
            raise ChainStorageError(_explain(self.path, doing, error)) from None

    # -- reading

    def meta(self, key: str):
        with self._guard("read"):
            row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row is not None else None

    def head(self) -> int:
        """The height of the last block, or -1 for a file without blocks."""
        with self._guard("read"):
            row = self.connection.execute("SELECT max(height) FROM blocks").fetchone()
        return -1 if row[0] is None else row[0]

    def block(self, height: int):
        """(hash, header bytes, proof) of the block at `height`, or None."""
        with self._guard("read"):
            return self.connection.execute("SELECT hash, header, proof FROM blocks WHERE height = ?",
                                           (height,)).fetchone()

    def find(self, table: str, prefix: bytes, limit: int = 64) -> list:
        """(hash, height) of blocks or transactions (`table`) whose hash starts with `prefix`."""
        if table not in ("blocks", "txs"):
            raise ValueError(table)
        upper = _successor(prefix)
        query = f"SELECT hash, height FROM {table} WHERE hash >= ?" + (" AND hash < ?" if upper else "")
        with self._guard("read"):
            return self.connection.execute(query + f" LIMIT {int(limit)}",
                                           (prefix, upper) if upper else (prefix,)).fetchall()

    def blocks(self, start: int = 0, stop: int | None = None):
        """(height, hash, header, proof) of blocks from `start` (to `stop`, excluded), in order."""
        stop = (1 << 62) if stop is None else stop
        with self._guard("read"):
            yield from self.connection.execute(
                "SELECT height, hash, header, proof FROM blocks WHERE height >= ? AND height < ? ORDER BY height",
                (start, stop))

    def transactions(self, height: int) -> list:
        """[(hash, body, receipt)] of the block at `height`, in order."""
        with self._guard("read"):
            return self.connection.execute(
                "SELECT hash, body, receipt FROM txs WHERE height = ? ORDER BY position", (height,)).fetchall()

    def transaction(self, tx_hash: bytes):
        """(height, position, body, receipt) of a transaction, or None."""
        with self._guard("read"):
            return self.connection.execute("SELECT height, position, body, receipt FROM txs WHERE hash = ?",
                                           (tx_hash,)).fetchone()

    def state_rows(self):
        """(key, value) of every stored state row."""
        with self._guard("read"):
            yield from self.connection.execute("SELECT key, value FROM state")

    def state_rows_with_height(self):
        with self._guard("read"):
            yield from self.connection.execute("SELECT key, value, height FROM state")

    def counts(self) -> dict:
        with self._guard("read"):
            return {table: self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("blocks", "txs", "state")}

    # -- writing

    def write_block(self, height: int, block_hash: bytes, header: bytes, proof: bytes, transactions, rows) -> None:
        """Store a block atomically: `transactions` as (hash, body, receipt), `rows` as (key, value or None)."""
        connection = self.connection
        with self._guard("write a block to"):
            connection.execute("BEGIN IMMEDIATE")
            found = connection.execute("SELECT max(height) FROM blocks").fetchone()[0]
            expected = -1 if found is None else found
            if expected != height - 1:
                connection.execute("ROLLBACK")
                raise ChainStorageError(f"{self.path}: another process extended the chain to height {expected} "
                                        f"meanwhile; block {height} was not written (try again)")
            connection.execute("INSERT INTO blocks VALUES (?, ?, ?, ?)", (height, block_hash, header, proof))
            connection.executemany("INSERT INTO txs VALUES (?, ?, ?, ?, ?)",
                                   ((height, position, tx_hash, body, receipt)
                                    for position, (tx_hash, body, receipt) in enumerate(transactions)))
            connection.executemany("DELETE FROM state WHERE key = ?", ((key,) for key, value in rows if value is None))
            connection.executemany("INSERT OR REPLACE INTO state VALUES (?, ?, ?)",
                                   ((key, value, height) for key, value in rows if value is not None))
            connection.execute("COMMIT")

    @contextlib.contextmanager
    def snapshot(self):
        """Read inside one SQLite read transaction: a consistent view while a writer goes on (WAL)."""
        with self._guard("read"):
            self.connection.execute("BEGIN")
        try:
            yield self
        finally:
            with contextlib.suppress(sqlite3.Error):
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")

    def set_meta(self, key: str, value) -> None:
        with self._guard("write to"):
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _successor(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with `prefix`."""
    data = bytearray(prefix)
    while data and data[-1] == 0xFF:
        data.pop()
    if not data:
        return None
    data[-1] += 1
    return bytes(data)


def _explain(path: Path, doing: str, error: sqlite3.Error) -> str:
    text = str(error)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"cannot {doing} {path}: it is locked by another process (waited {BUSY_TIMEOUT_MS / 1000:g} s)"
    if "not a database" in lowered or "file is encrypted" in lowered:
        return f"cannot {doing} {path}: it is not a SQLite database (damaged or foreign file)"
    if "malformed" in lowered or "corrupt" in lowered or "disk i/o" in lowered:
        return f"cannot {doing} {path}: the file is damaged ({text})"
    if "readonly" in lowered or "read-only" in lowered:
        return f"cannot {doing} {path}: the file is read-only"
    if "no such table" in lowered or "no such column" in lowered:
        return f"cannot {doing} {path}: it is not a Tabellion chain ({text})"
    if "unable to open" in lowered:
        return f"cannot {doing} {path}: unable to open the file"
    return f"cannot {doing} {path}: {text}"
