"""One SQLite database, one writer, reads apart.

A transaction is a plain synchronous function run whole on the writer's thread between
`BEGIN IMMEDIATE` and `COMMIT`: one round trip to the database thread per transaction instead of
one per statement, nothing else can interleave on the connection, and — since the function cannot
`await` — no transaction can ever wait on Telegram. Nested calls are just function calls inside
the same transaction. `BEGIN IMMEDIATE` takes the write lock up front, so a second process (the
CLI importing a catalogue while the bot runs) waits on busy_timeout instead of failing half-way
with "database is locked" as a deferred BEGIN would.

Most transactions are short (a registration: a few indexed statements) and run right on the
event loop, on a connection of its own whose busy timeout is zero: when another process holds
the write lock (the CLI importing a catalogue), `BEGIN IMMEDIATE` fails at once and that one
transaction goes to the writer thread instead, which waits for the lock there — the loop never
blocks on another process. Handing every transaction to a thread cost more than the transaction
itself (the registration benchmark measured it: the thread and the loop fight over the GIL).
Checkpoints, which fsync, are left to the writer thread (`wal_autocheckpoint` is off on the
loop's connection), every CHECKPOINT_EVERY commits.

The short indexed reads that every update makes (`read`) run right on the event loop, on the
same connection as its transactions (whose page cache stays warm): a thread hop costs more
than such a read, and the browse benchmark measured it (ratio 0.46 → see the README). Reads
that may scan a lot (reports, exports) use `read_heavy`, which runs on a reader thread (WAL
lets it run beside the writer) so the loop never stalls on them.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import aiosqlite

T = TypeVar("T")
CHECKPOINT_EVERY = 100  # commits made on the loop between two checkpoints by the writer thread

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 1,  # NORMAL
    "foreign_keys": 1,
    "busy_timeout": 5000,
    # Deleted rows and freed pages are overwritten with zeros, so an erased name leaves no copy
    # in the file's free space (SQLite's default depends on how it was built).
    "secure_delete": 1,
}
SCRUB_BUSY_MS = 200  # how long a scrub waits for readers: it holds off writers meanwhile


class Rider(Protocol):
    """Statements that go along with every transaction while they have something to write."""

    def take(self) -> Any | None:
        """On the event loop, before a transaction: what to write with it (None: nothing)."""

    def write(self, conn: sqlite3.Connection, taken: Any) -> None:
        """Inside the transaction, after its own work."""

    def committed(self, taken: Any) -> None:
        """It committed."""

    def rolled_back(self, taken: Any) -> None:
        """It did not: what was taken is to be written with a later one."""


def _riding(conn: sqlite3.Connection, fn: Callable[..., T], args: tuple, rider: Rider, taken: Any) -> T:
    result = fn(conn, *args)
    rider.write(conn, taken)
    return result


class StorageError(RuntimeError):
    """The database cannot be used as it is (pragmas refused, schema too new, ...)."""


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA secure_delete=ON")
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


def _truncate_log(conn: sqlite3.Connection) -> bool:
    """Checkpoint every frame of the write-ahead log and truncate it; False if a reader's
    snapshot still needed old frames (nothing is lost, the log just stays for now)."""
    conn.execute(f"PRAGMA busy_timeout={SCRUB_BUSY_MS}")
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        conn.execute(f"PRAGMA busy_timeout={PRAGMAS['busy_timeout']}")
    return not busy


def _call(conn: sqlite3.Connection, fn: Callable[..., T], args: tuple) -> T:
    return fn(conn, *args)


class Database:
    """The writer and reader connections of one database file."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 quick: sqlite3.Connection, inline: sqlite3.Connection | None = None):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._quick = quick
        self._inline = inline
        self._commits = 0
        self._checkpoint: asyncio.Task | None = None
        self.rider: Rider | None = None
        self.scrub_pending = False  # an erasure's log truncation still to do

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating the folder and file if needed) and check the pragmas."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        writer = await aiosqlite.connect(path, isolation_level=None)
        reader = await aiosqlite.connect(path, isolation_level=None)
        quick = sqlite3.connect(path, isolation_level=None)
        inline = sqlite3.connect(path, isolation_level=None)
        try:
            for conn in (writer, reader):
                await _ship(conn, _configure)
            _configure(quick)
            _configure(inline)
            inline.execute("PRAGMA busy_timeout=0")  # never wait on the loop: hand over instead
            inline.execute("PRAGMA wal_autocheckpoint=0")  # the writer thread checkpoints
        except BaseException:
            await writer.close()
            await reader.close()
            quick.close()
            inline.close()
            raise
        return cls(path, writer, reader, quick, inline)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(conn, *args) as one immediate transaction; commit or roll back.

        A rider (the inbox: "this update is handled") adds its own statements to the same
        transaction, so they commit together with the change or not at all."""
        rider = self.rider
        taken = rider.take() if rider is not None else None
        if rider is None or taken is None:
            return await self._write(fn, args)
        try:
            result = await self._write(_riding, (fn, args, rider, taken))
        except BaseException:
            rider.rolled_back(taken)
            raise
        rider.committed(taken)
        return result

    async def _write(self, fn: Callable[..., T], args: tuple) -> T:
        if self._inline is not None:
            try:
                self._inline.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # locked by another process or connection
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            else:
                try:
                    result = fn(self._inline, *args)
                except BaseException:
                    self._inline.rollback()
                    raise
                self._inline.commit()
                self._committed()
                # Let the loop breathe: a caller writing in a loop must not starve everyone else
                # (a thread hop used to give that for free).
                await asyncio.sleep(0)
                return result
        return await _ship(self._writer, _in_transaction, fn, args)

    def _committed(self) -> None:
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and (self._checkpoint is None or self._checkpoint.done()):
            self._commits = 0
            self._checkpoint = asyncio.ensure_future(
                self.scrub() if self.scrub_pending else
                _ship(self._writer, lambda conn: conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()))

    async def scrub(self) -> bool:
        """After an erasure: leave no older copy of what it deleted in the write-ahead log.

        secure_delete zeroes the deleted rows in the pages the erasure wrote, but the log still
        holds the frames written before (the row as it was, drafts that copied it), readable
        with `strings` until the log is overwritten. A TRUNCATE checkpoint copies the pages into
        the file and empties the log. It runs on the writer thread, never the loop; if a long
        read still needs old frames, the next periodic checkpoint tries again. True when done."""
        try:
            done = await _ship(self._writer, _truncate_log)
        except sqlite3.OperationalError:  # the erasure itself is committed: only the scrub waits
            done = False
        self.scrub_pending = not done
        return done

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a short read fn(conn, *args) on the event loop's own connection.

        That is the loop's writing connection when there is one: SQLite empties a connection's
        page cache whenever another connection has committed since its last read, and the loop
        commits all the time, so a separate reading connection re-read every page of every read
        (twice the cost of the read, measured). Nothing can be half-written on it here: a
        transaction runs whole before anything else on the loop does. In the rare case where
        WAL makes a reader wait (another process recovering the file), the read goes to the
        connection that may wait."""
        if self._inline is not None:
            try:
                return fn(self._inline, *args)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
        return fn(self._quick, *args)

    async def read_heavy(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a read that may take long on the reader thread (autocommit)."""
        return await _ship(self._reader, _call, fn, args)

    async def raw_write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn on the writer without a transaction around it (migrations manage their own)."""
        return await _ship(self._writer, _call, fn, args)

    async def close(self) -> None:
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
        if self._inline is not None:
            self._inline.close()
        self._quick.close()
        await self._reader.close()
        await self._writer.close()


async def _ship(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    # aiosqlite has no public "run this callable on your thread"; _execute is the one method
    # every public call goes through, and the dependency is pinned to the version checked.
    return await conn._execute(fn, conn._conn, *args)
