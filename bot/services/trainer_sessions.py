"""A trainer's own sessions, as /mysessions lists them: their counts and cancellation reasons."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage import trainer as repo
from bot.storage.db import Database


async def of_trainer(db: Database, trainer_id: int, now: datetime) -> list[sqlite3.Row]:
    """Upcoming sessions, then those of the last 90 days, with their counts by state."""
    return await db.read(repo.sessions_of_trainer, trainer_id, now)


async def counts(db: Database, session_id: int) -> dict[str, int]:
    return await db.read(repo.session_counts, session_id)


async def cancel_reason(db: Database, session_id: int) -> str | None:
    return await db.read(repo.cancel_reason, session_id)
