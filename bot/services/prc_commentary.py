"""Asking the focal points for their semi-annual commentary (issue 16): two weeks before the
semester's end the focal points of every administration with a plan in force are asked, and a
week later, if nothing came, reminded once. Run daily (handlers/semester_report.py); each message
is queued in the outbox with a key of its own, so running the job twice a day, or after a
restart, asks nobody twice. The renderers skip a message whose commentary came meanwhile."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.services.periods import semester, semester_of
from bot.storage import outbox
from bot.storage import prc_reports as repo
from bot.storage.db import Database
from bot.timeutil import Clock, to_db

ASK_BEFORE = timedelta(days=14)
REMIND_BEFORE = timedelta(days=7)
REMIND_AFTER = timedelta(days=3)  # at least this long after the request (a late start of the bot)


def _asked_before(conn: sqlite3.Connection, key: str, instant: datetime) -> bool:
    return conn.execute("SELECT 1 FROM outbox WHERE dedupe_key = ? AND created_at <= ?",
                        (key, to_db(instant))).fetchone() is not None


def queue(conn: sqlite3.Connection, now: datetime) -> int:
    """Queue the requests and reminders due at `now`; returns how many were queued."""
    code = semester_of(now)
    end = semester(code).end
    left = end - now
    if left > ASK_BEFORE or left <= timedelta(0):
        return 0
    messages = []
    for administration in repo.administrations_with_plans(conn, int(code[:4])):
        if repo.commentary(conn, administration, code) or repo.issued(conn, administration, code):
            continue
        for uid in repo.focal_points(conn, administration):
            payload = {"administration": administration, "semester": code}
            ask = f"prc_ask:{administration}:{code}:{uid}"
            messages.append((uid, "prc_commentary_ask", payload, ask, now, False))
            if left <= REMIND_BEFORE and _asked_before(conn, ask, now - REMIND_AFTER):
                messages.append((uid, "prc_commentary_reminder", payload,
                                 f"prc_remind:{administration}:{code}:{uid}", now, False))
    return outbox.enqueue_many(conn, messages, now)


class CommentaryRequests:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def run(self) -> int:
        """The daily job's work."""
        return await self.db.write(queue, self.clock.now())
