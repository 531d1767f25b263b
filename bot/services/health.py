"""What an admin sees in /status: version, database size, counts, uptime."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import tzdata

from bot.storage import catalogue, users
from bot.storage.db import Database
from bot.storage.migrations import current_version


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


async def health(db: Database) -> Health:
    def read(conn):
        # Runs on the database thread, so the file stats do not block the event loop either.
        size = sum(os.path.getsize(p) for p in (str(db.path), f"{db.path}-wal") if os.path.exists(p))
        return current_version(conn), users.count(conn), catalogue.counts(conn), size

    schema, people, counts, size = await db.read(read)
    return Health(bot_version(), schema, size, people, counts["trainings"], counts["sessions"],
                  counts["registrations"], tzdata.IANA_VERSION)
