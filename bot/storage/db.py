"""One SQLite database, one writer, reads apart.

A transaction is a plain synchronous function run whole on the writer's thread between
`BEGIN IMMEDIATE` and `COMMIT`: one round trip to the database thread per transaction instead of
one per statement, nothing else can interleave on the connection, and — since the function cannot
`await` — no transaction can ever wait on Telegram. Nested calls are just function calls inside
the same transaction. `BEGIN IMMEDIATE` takes the write lock up front, so a second process (the
CLI importing a catalogue while the bot runs) waits on busy_timeout instead of failing half-way
with "database is locked" as a deferred BEGIN would.

Reads go through other connections (WAL lets them run beside the writer and never makes a
reader wait for it). The short indexed reads that every update makes (`read`) run right on the
event loop: a thread hop costs more than such a read, and the browse benchmark measured it
(ratio 0.46 → see the README). Reads that may scan a lot (reports, exports) use `read_heavy`,
which runs on a reader thread so the loop never stalls on them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 1,  # NORMAL
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


class StorageError(RuntimeError):
    """The database cannot be used as it is (pragmas refused, schema too new, ...)."""


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    got = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    wrong = {k: v for k, v in got.items() if str(v).lower() != str(PRAGMAS[k])}
    if wrong and str(conn.execute("PRAGMA database_list").fetchone()[2]):
        raise StorageError(f"SQLite refused the required pragmas: {wrong}")


def _in_transaction(conn: sqlite3.Connection, fn: Callable[..., T], args: tuple) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn, *args)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return result


def _call(conn: sqlite3.Connection, fn: Callable[..., T], args: tuple) -> T:
    return fn(conn, *args)


class Database:
    """The writer and reader connections of one database file."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 quick: sqlite3.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._quick = quick

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating the folder and file if needed) and check the pragmas."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        writer = await aiosqlite.connect(path, isolation_level=None)
        reader = await aiosqlite.connect(path, isolation_level=None)
        quick = sqlite3.connect(path, isolation_level=None)
        try:
            for conn in (writer, reader):
                await _ship(conn, _configure)
            _configure(quick)
        except BaseException:
            await writer.close()
            await reader.close()
            quick.close()
            raise
        return cls(path, writer, reader, quick)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(conn, *args) as one immediate transaction on the writer; commit or roll back."""
        return await _ship(self._writer, _in_transaction, fn, args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a short read fn(conn, *args) on the event loop's own connection."""
        return fn(self._quick, *args)

    async def read_heavy(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a read that may take long on the reader thread (autocommit)."""
        return await _ship(self._reader, _call, fn, args)

    async def raw_write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn on the writer without a transaction around it (migrations manage their own)."""
        return await _ship(self._writer, _call, fn, args)

    async def close(self) -> None:
        self._quick.close()
        await self._reader.close()
        await self._writer.close()


async def _ship(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    # aiosqlite has no public "run this callable on your thread"; _execute is the one method
    # every public call goes through, and the dependency is pinned to the version checked.
    return await conn._execute(fn, conn._conn, *args)
