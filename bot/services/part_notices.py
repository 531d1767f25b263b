"""What a session in parts sends on its own, through the outbox: one calendar event per part
(on confirmation, when a part is added, moved or removed: only that part's event), and the
reminders before each part. Built inside the caller's transaction, so a change and its news
are written together and sent once."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.config import Settings
from bot.services import reminders as reminders_rule
from bot.storage import outbox
from bot.storage import parts as repo
from bot.storage.parts import Part
from bot.timeutil import to_db

PART_EVENT = "part_event"
PART_REMINDER = "part_reminder"
PART_SPLIT = "part_split"


def _confirmed(conn: sqlite3.Connection, session_id: int) -> list[tuple[int, int]]:
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT id, user_id FROM registrations WHERE session_id = ? AND status = 'confirmed'",
        (session_id,))]


def event(reg_id: int, user_id: int, part: Part, method: str, change: str, now: datetime,
          tag: object = "") -> outbox.Message:
    """One part's calendar event for one registration. The payload carries the part as it is
    now, so a removed part's cancellation can still be rendered."""
    payload = {"registration": reg_id, "part": part.id, "method": method, "change": change,
               "sequence": part.sequence, "starts_at": to_db(part.starts_at),
               "ends_at": to_db(part.ends_at), "place_fr": part.place_fr, "place_ar": part.place_ar,
               "online_url": part.online_url}
    # `tag`: the registration's version on a confirmation or a cancellation, so that a place
    # taken again after a cancellation gets its events again.
    key = f"{PART_EVENT}:{reg_id}:{part.id}:{part.sequence}:{method}:{tag}"
    return (user_id, PART_EVENT, payload, key, now, True)


def reminders(reg_id: int, user_id: int, part: Part, now: datetime,
              settings: Settings) -> list[outbox.Message]:
    """The reminders still ahead before one part (each day of a session has its own)."""
    starts = to_db(part.starts_at)
    return [(user_id, PART_REMINDER,
             {"registration": reg_id, "part": part.id, "hours": hours, "starts_at": starts},
             f"{PART_REMINDER}:{reg_id}:{part.id}:{starts}:{hours}", at, urgent)
            for hours, at, urgent in reminders_rule.ahead(part.starts_at, now, settings)]


def on_confirmation(conn: sqlite3.Connection, reg_id: int, user_id: int, session_id: int,
                    now: datetime, settings: Settings, tag: object = "") -> list[outbox.Message]:
    """A place confirmed in a session in parts: every part's event and reminders (nothing for
    a session without parts, whose confirmation carries the one event)."""
    out: list[outbox.Message] = []
    for part in repo.explicit(conn, session_id):
        out.append(event(reg_id, user_id, part, "REQUEST", "new", now, tag))
        out.extend(reminders(reg_id, user_id, part, now, settings))
    return out


def on_cancellation(conn: sqlite3.Connection, reg_id: int, user_id: int, session_id: int,
                    now: datetime, tag: object = "") -> list[outbox.Message]:
    """A place given up in a session in parts: every part's event is cancelled."""
    return [event(reg_id, user_id, part, "CANCEL", "left", now, tag)
            for part in repo.explicit(conn, session_id)]


def tell_split(conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
    """A session with places taken is split into parts: the single event each person has in
    their calendar is withdrawn (a new SEQUENCE, METHOD:CANCEL), the parts' events follow."""
    for reg_id, user_id in _confirmed(conn, session_id):
        version = conn.execute("UPDATE registrations SET ics_sequence = ics_sequence + 1 WHERE id = ?"
                               " RETURNING ics_sequence", (reg_id,)).fetchone()[0]
        outbox.enqueue(conn, user_id, PART_SPLIT, {"registration": reg_id},
                       f"{PART_SPLIT}:{reg_id}:{version}", now)


def tell_part(conn: sqlite3.Connection, part: Part, method: str, change: str, now: datetime,
              settings: Settings) -> int:
    """A part added, moved or removed: its event alone to every confirmed person (and its
    reminders at its new time). Returns how many people are told."""
    people = _confirmed(conn, part.session_id)
    messages: list[outbox.Message] = []
    for reg_id, user_id in people:
        messages.append(event(reg_id, user_id, part, method, change, now))
        if method == "REQUEST":
            messages.extend(reminders(reg_id, user_id, part, now, settings))
    outbox.enqueue_many(conn, messages, now)
    return len(people)
