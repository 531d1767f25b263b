"""SQLite: pragmas, transactions, migrations, invariants in the schema."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.storage.db import Database
from bot.storage.migrations import LATEST, DatabaseTooNew, migrate, version


@pytest.fixture
async def db(tmp_path):
    db = await Database.open(tmp_path / "x.db")
    await migrate(db)
    yield db
    await db.close()


async def test_pragmas_are_set_on_both_connections(db):
    def pragmas(conn):
        return [conn.execute(f"PRAGMA {p}").fetchone()[0]
                for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")]

    # Short reads run on the loop's own connection, which never waits for a lock (it hands
    # over instead); the threads' connections wait up to five seconds.
    assert await db.read(pragmas) == ["wal", 1, 1, 0]
    assert await db.read_heavy(pragmas) == ["wal", 1, 1, 5000]
    assert await db.raw_write(pragmas) == ["wal", 1, 1, 5000]


async def test_a_read_the_loop_connection_cannot_make_goes_to_the_waiting_one(db):
    def read(conn):
        if conn.execute("PRAGMA busy_timeout").fetchone()[0] == 0:
            raise sqlite3.OperationalError("database is locked")
        return conn.execute("SELECT COUNT(*) FROM regions").fetchone()[0]

    assert await db.read(read) == 12


async def test_migrations_are_idempotent_and_versioned(db):
    assert await version(db) == LATEST
    assert await migrate(db) == []
    regions = await db.read(lambda c: c.execute("SELECT COUNT(*) FROM regions").fetchone()[0])
    assert regions == 12


async def test_a_newer_database_is_refused(tmp_path):
    db = await Database.open(tmp_path / "new.db")
    await db.raw_write(lambda c: c.execute(f"PRAGMA user_version = {LATEST + 1}"))
    with pytest.raises(DatabaseTooNew, match="upgrade the bot"):
        await migrate(db)
    await db.close()


async def test_a_failing_migration_step_leaves_the_previous_version(tmp_path):
    db = await Database.open(tmp_path / "half.db")
    await migrate(db)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    from bot.storage.migrations import MIGRATIONS

    with pytest.raises(RuntimeError):
        await migrate(db, LATEST + 1, [*MIGRATIONS, broken])
    assert await version(db) == LATEST
    tables = await db.read(lambda c: c.execute(
        "SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall())
    assert tables == []
    await db.close()


async def test_a_transaction_rolls_back_whole(db):
    def tx(conn):
        conn.execute("INSERT INTO themes (code, name_fr, name_ar) VALUES ('T1', 'a', 'b')")
        conn.execute("INSERT INTO themes (code, name_fr, name_ar) VALUES ('T1', 'a', 'b')")

    with pytest.raises(sqlite3.IntegrityError):
        await db.write(tx)
    assert await db.read(lambda c: c.execute("SELECT * FROM themes WHERE code = 'T1'").fetchall()) == []


async def test_concurrent_writes_never_collide(db):
    """Many coroutines writing at once: each transaction is whole, none is lost."""

    def bump(conn, i):
        n = conn.execute("SELECT COUNT(*) FROM themes").fetchone()[0]
        conn.execute("INSERT INTO themes (code, name_fr, name_ar, sort) VALUES (?, 'x', 'y', ?)",
                     (f"Z{i}", n))

    before = await db.read(lambda c: c.execute("SELECT COUNT(*) FROM themes").fetchone()[0])
    await asyncio.gather(*(db.write(bump, i) for i in range(200)))
    sorts = await db.read(lambda c: [r[0] for r in c.execute(
        "SELECT sort FROM themes WHERE code LIKE 'Z%' ORDER BY sort")])
    assert sorts == list(range(before, before + 200))  # serialised: each saw the one before


async def test_schema_checks_refuse_what_the_domain_forbids(db):
    bad = [
        "INSERT INTO users (id, language, consent_at, created_at, updated_at) "
        "VALUES (1, 'en', 'x', 'x', 'x')",
        "INSERT INTO users (id, language, sex, consent_at, created_at, updated_at) "
        "VALUES (1, 'fr', 'X', 'x', 'x', 'x')",
        "INSERT INTO roles (user_id, role, granted_at) VALUES (1, 'focal_point', 'x')",
        "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, created_at, "
        "updated_at) VALUES ('X', 'a', 'b', 'CYBER', 'teleportation', 'x', 'x')",
        "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, created_at, "
        "updated_at) VALUES ('X', 'a', 'b', 'NO_SUCH_THEME', 'presentiel', 'x', 'x')",
    ]
    for sql in bad:
        with pytest.raises(sqlite3.IntegrityError):
            await db.write(lambda c, s=sql: c.execute(s))


async def test_session_must_end_after_it_starts_and_have_seats(db):
    def insert(conn, starts, ends, capacity):
        conn.execute("INSERT INTO trainings (id, code, title_fr, title_ar, theme_code, modality, "
                     "created_at, updated_at) VALUES (1, 'T', 'a', 'b', 'CYBER', 'presentiel', "
                     "'x', 'x') ON CONFLICT DO NOTHING")
        conn.execute("INSERT INTO sessions (reference, training_id, starts_at, ends_at, capacity, "
                     "created_at, updated_at) VALUES ('R', 1, ?, ?, ?, 'x', 'x')",
                     (starts, ends, capacity))

    with pytest.raises(sqlite3.IntegrityError):
        await db.write(insert, "2026-12-01 10:00:00", "2026-12-01 09:00:00", 10)
    with pytest.raises(sqlite3.IntegrityError):
        await db.write(insert, "2026-12-01 09:00:00", "2026-12-01 10:00:00", 0)
    with pytest.raises(sqlite3.IntegrityError):  # registrations are unique per person and session
        await db.write(lambda c: (
            insert(c, "2026-12-01 09:00:00", "2026-12-01 10:00:00", 5),
            c.execute("INSERT INTO users (id, language, consent_at, created_at, updated_at) "
                      "VALUES (7, 'fr', 'x', 'x', 'x')"),
            c.executemany("INSERT INTO registrations (session_id, user_id, status, created_at, "
                          "updated_at) VALUES (1, 7, 'confirmed', 'x', 'x')", [(), ()])))


async def test_a_write_lock_held_elsewhere_sends_the_transaction_to_the_writer_thread(db, tmp_path):
    """Another process holds the write lock: the loop does not block; the transaction waits on
    the writer thread and goes through once the lock is released."""
    import threading
    import time

    other = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release_later():
        time.sleep(0.3)
        other.commit()
        released.set()

    threading.Thread(target=release_later).start()
    started = time.monotonic()
    ticks = 0

    async def ticker():
        nonlocal ticks
        while not released.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    tick = asyncio.create_task(ticker())
    await db.write(lambda c: c.execute("INSERT INTO themes (code, name_fr, name_ar) VALUES ('W', 'a', 'b')"))
    await tick
    assert time.monotonic() - started >= 0.25  # it did wait for the lock...
    assert ticks >= 10  # ...without stopping the event loop meanwhile
    assert await db.read(lambda c: c.execute("SELECT code FROM themes WHERE code = 'W'").fetchone())
    other.close()
