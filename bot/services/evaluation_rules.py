"""When evaluations open and close, how a typed score is read, and the invitations and reminders
scheduled in the outbox when someone is marked present (in the same transaction as the mark)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.config import Settings
from bot.storage import outbox

TEXT_MAX = 1000  # characters of a free-text answer
KINDS = ("hot", "cold")


def windows(kind: str, ends_at: datetime, settings: Settings) -> tuple[datetime, datetime]:
    """(opens, closes) of a questionnaire for a session that ends at `ends_at`."""
    if kind == "hot":
        return ends_at, ends_at + timedelta(days=settings.hot_evaluation_days)
    opens = ends_at + timedelta(days=settings.cold_evaluation_after_days)
    return opens, opens + timedelta(days=settings.cold_evaluation_days)


def parse_score(raw: str) -> int | None:
    """A score from 1 to 5, typed in Western or Eastern Arabic digits ("٥"); None otherwise
    ("11", "-1", "abc", "4.5")."""
    text = raw.strip()
    if not text or len(text) > 3 or not text.isdecimal():  # isdecimal: every script's 0-9
        return None
    score = int(text)  # int() reads Eastern Arabic and Persian digits too
    return score if 1 <= score <= 5 else None


def schedule(conn: sqlite3.Connection, user_id: int, registration_id: int, ends_at: datetime,
             now: datetime, settings: Settings) -> None:
    """Invitations when each questionnaire opens (not before now), one reminder some days
    later while it is still open. Not urgent: they wait for the morning during quiet hours."""
    reminder = timedelta(days=settings.evaluation_reminder_days)
    for kind in KINDS:
        opens, closes = windows(kind, ends_at, settings)
        if closes <= now:
            continue
        invite_at = max(opens, now)
        payload = {"registration": registration_id, "kind": kind}
        outbox.enqueue(conn, user_id, "eval_invite", payload, f"eval_invite:{kind}:{registration_id}",
                       now, due_at=invite_at, urgent=False)
        if invite_at + reminder < closes:
            outbox.enqueue(conn, user_id, "eval_reminder", payload,
                           f"eval_reminder:{kind}:{registration_id}", now,
                           due_at=invite_at + reminder, urgent=False)


def unschedule(conn: sqlite3.Connection, registration_id: int) -> None:
    """Marked absent after all: the invitations not yet sent are withdrawn (a later 'present'
    schedules them again; those already sent stay sent)."""
    conn.execute(
        "DELETE FROM outbox WHERE state = 'pending' AND kind IN ('eval_invite', 'eval_reminder')"
        " AND dedupe_key IN (?, ?, ?, ?)",
        tuple(f"{k}:{kind}:{registration_id}" for k in ("eval_invite", "eval_reminder") for kind in KINDS))
