"""What an admin sees in /status: version, database size, counts, the outbox, unreachable people,
and whether Telegram can be reached (an outage in progress, or the last one)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

import tzdata

from bot.outage import Link, Outage
from bot.storage import catalogue, outbox, users
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
    # Telegram unreachable: since when and probes made (None when it can be reached), the
    # messages due that wait for it; and the last outage that ended.
    outage: Outage | None = None
    outage_waiting: int = 0
    last_outage: Outage | None = None


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


async def health(db: Database, link: Link | None = None, now: datetime | None = None) -> Health:
    outage = link.current if link is not None else None

    def read(conn):
        # Runs on the database thread, so the file stats do not block the event loop either.
        size = sum(os.path.getsize(p) for p in (str(db.path), f"{db.path}-wal") if os.path.exists(p))
        waiting = outbox.due_count(conn, now) if outage is not None and now is not None else 0
        return (current_version(conn), users.count(conn), catalogue.counts(conn), size, _outbox(conn),
                waiting)

    # The outbox counts may scan a large table: on the reader thread, never on the event loop.
    schema, people, counts, size, box, waiting = await db.read_heavy(read)
    due, oldest, held, failed, unreachable = box
    return Health(bot_version(), schema, size, people, counts["trainings"], counts["sessions"],
                  counts["registrations"], tzdata.IANA_VERSION, due, oldest, held, failed, unreachable,
                  outage=outage,
                  outage_waiting=waiting, last_outage=link.last if link is not None else None)
