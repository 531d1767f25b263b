"""When evaluations open and close, how a typed score is read, and the invitations and reminders
scheduled in the outbox when someone is marked present (in the same transaction as the mark)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.config import Settings
from bot.storage import outbox
from bot.storage.conditions import canonical_number
from bot.storage.evaluations import Answer, Question
from bot.text import clean_text, parse_int

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
    ("11", "-1", "abc", "4.5", "²")."""
    score = parse_int(raw)
    return score if score is not None and 1 <= score <= 5 else None


def codes(answer: Answer | None) -> list[str]:
    """The choices of a several-answer question's stored answer."""
    return [c for c in (answer.choice or "").split(",") if c] if answer else []


def parse_answer(q: Question, selection: list[str] | tuple[str, ...], value: str,
                 how: str) -> tuple[Answer | None, str | None]:
    """(answer, None) or (None, why not). `how`: button, text, skip, or done (several answers,
    the ticked `selection`)."""
    if how == "skip":
        return (None, "required") if q.required else (Answer(skipped=True), None)
    if q.type == "scale":
        score = parse_score(value)
        return (Answer(score=score), None) if score else (None, "scale")
    if q.type in ("choice", "multi"):
        if how == "done" and q.type == "multi":
            return Answer(choice=",".join(o[0] for o in q.options if o[0] in selection)), None
        if how == "button" and q.type == "choice" and q.option(value):
            return Answer(choice=value), None
        return None, "buttons"
    if q.type == "number":
        number = canonical_number(value.strip()) if how == "text" else None
        return (Answer(text=number), None) if number is not None else (None, "number")
    if how != "text":
        return None, "text"
    text = clean_text(value)
    if not text:
        return None, "text"
    return (None, "too_long") if len(text) > TEXT_MAX else (Answer(text=text), None)


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
