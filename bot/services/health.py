"""What an admin sees in /status: version, database size, counts, the outbox, unreachable people."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

import tzdata

from bot.storage import catalogue, users
from bot.storage.db import Database
from bot.storage.migrations import current_version
from bot.timeutil import from_db


def bot_version() -> str:
    try:
        return version("etamkeen-bot")
    except PackageNotFoundError:
        return "dev"


@dataclass(frozen=True)
class Health:
    version: str
    schema: int
    db_bytes: int
    people: int
    trainings: int
    sessions: int
    registrations: int
    tzdata: str
    # The outbox: messages due or in flight for people who can receive them, the oldest of
    # them, those kept for people who blocked the bot, and those that failed for good.
    outbox_due: int = 0
    outbox_oldest: datetime | None = None
    outbox_held: int = 0
    outbox_failed: int = 0
    unreachable: int = 0


def _outbox(conn) -> tuple[int, datetime | None, int, int, int]:
    due, oldest = conn.execute(
        """SELECT COUNT(*), MIN(o.created_at) FROM outbox o LEFT JOIN users u ON u.id = o.user_id
            WHERE o.state IN ('pending', 'sending') AND u.unreachable_at IS NULL""").fetchone()
    held = conn.execute(
        """SELECT COUNT(*) FROM outbox o JOIN users u ON u.id = o.user_id
            WHERE o.state = 'pending' AND u.unreachable_at IS NOT NULL""").fetchone()[0]
    failed = conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0]
    # Tombstones of erased people (negative ids) are unreachable by design, not by accident.
    unreachable = conn.execute(
        "SELECT COUNT(*) FROM users WHERE unreachable_at IS NOT NULL AND id > 0").fetchone()[0]
    return due, from_db(oldest), held, failed, unreachable


async def health(db: Database) -> Health:
    def read(conn):
        # Runs on the database thread, so the file stats do not block the event loop either.
        size = sum(os.path.getsize(p) for p in (str(db.path), f"{db.path}-wal") if os.path.exists(p))
        return current_version(conn), users.count(conn), catalogue.counts(conn), size, _outbox(conn)

    # The outbox counts may scan a large table: on the reader thread, never on the event loop.
    schema, people, counts, size, box = await db.read_heavy(read)
    return Health(bot_version(), schema, size, people, counts["trainings"], counts["sessions"],
                  counts["registrations"], tzdata.IANA_VERSION, *box)
