"""Changing one field of a session or one text of a training from the chat: what may be
changed, what a value must look like, and the change itself (with its audit entry) inside the
caller's transaction. Flows check a value with `check_*` before asking to confirm; the writers
check again, being the last guard for any other caller."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.services.links import check_link
from bot.services.outcomes import FieldChange, FieldRefusal
from bot.storage import audit
from bot.storage import catalogue as repo
from bot.text import clean_text, fold
from bot.timeutil import to_db

# Fields of a session changed one at a time from "Manage this session" (time and trainer and
# capacity have their own flows). The first three matter to participants: they are told.
SESSION_FIELDS = ("place_fr", "place_ar", "online_url", "registration_deadline", "needs_approval",
                  "language", "region_code")
TRAINING_FIELDS = ("title_fr", "title_ar", "description_fr", "description_ar")
SESSION_LANGUAGES = ("fr", "ar", "fr+ar")
MAX_PLACE = 200
# A title is a button's label and a card's heading; a card shows at most 900 characters of a
# description (handlers/cards.DESCRIPTION_MAX), a little more is kept for the workbook export.
MAX_TEXT = {"title_fr": 150, "title_ar": 150, "description_fr": 2000, "description_ar": 2000}


def check_text(field: str, typed: str) -> tuple[str, FieldRefusal | None]:
    """A typed place, title or description cleaned, and why it is refused (empty, too_long)."""
    text = clean_text(typed)
    limit = MAX_PLACE if field in ("place_fr", "place_ar") else MAX_TEXT[field]
    if not text:
        return text, FieldRefusal.EMPTY
    if len(text) > limit:
        return text, FieldRefusal.TOO_LONG
    return text, None


def check_session_value(field: str, value, session: repo.Session, now: datetime,
                        regions: set[str]) -> tuple[object, FieldRefusal | None]:
    """The value to store for a session field, and why it is refused (None: accepted)."""
    if field in ("place_fr", "place_ar"):
        return check_text(field, value if isinstance(value, str) else "")
    if field == "online_url":
        link, reason = check_link(value if isinstance(value, str) else "")
        return link, FieldRefusal(reason) if reason else None
    if field == "registration_deadline":
        if value is None:
            return None, None  # no deadline: registrations stay open until the start
        if not isinstance(value, datetime) or value <= now or value > session.starts_at:
            return value, FieldRefusal.BAD_DEADLINE
        return value, None
    if field == "needs_approval":
        return (bool(value), None) if isinstance(value, bool) else (value, FieldRefusal.BAD_CHOICE)
    if field == "language":
        return (value, None) if value in SESSION_LANGUAGES else (value, FieldRefusal.BAD_CHOICE)
    if field == "region_code":
        return (value, None) if value in regions else (value, FieldRefusal.BAD_CHOICE)
    raise ValueError(f"not a session field: {field!r}")


def session_value(session: repo.Session, field: str):
    return getattr(session, field)


def write_session_field(conn: sqlite3.Connection, session_id: int, field: str, value,
                        actor_id: int | None, now: datetime,
                        ) -> tuple[FieldChange, FieldRefusal | None, repo.Session | None]:
    """Store one field: (outcome, why it was refused, session before). A refusal is the
    session's (not_found, cancelled, started) or the value's (the reason check_session_value
    gives)."""
    before = repo.get_session(conn, session_id)
    closed = repo.closed(before, now, deadline=False)
    if closed:
        return FieldChange.REFUSED, FieldRefusal(closed), before
    assert before is not None  # closed() refuses a session that does not exist
    regions = {r[0] for r in conn.execute("SELECT code FROM regions")} if field == "region_code" \
        else set()
    value, reason = check_session_value(field, value, before, now, regions)
    if reason:  # e.g. a deadline gone past while the coordinator read the confirmation
        return FieldChange.REFUSED, reason, before
    if session_value(before, field) == value:
        return FieldChange.UNCHANGED, None, before
    stored = to_db(value) if isinstance(value, datetime) else int(value) if isinstance(value, bool) \
        else value
    # `field` is one of SESSION_FIELDS (checked above): never text from a person.
    conn.execute(f"UPDATE sessions SET {field} = ?, updated_at = ? WHERE id = ?",
                 (stored, to_db(now), session_id))
    old = session_value(before, field)
    audit.record(conn, actor_id, "session_edited", f"session:{session_id}", now, field=field,
                 before=to_db(old) if isinstance(old, datetime) else old,
                 after=to_db(value) if isinstance(value, datetime) else value)
    return FieldChange.CHANGED, None, before


def write_training_text(conn: sqlite3.Connection, training_id: int, field: str, typed: str,
                        actor_id: int | None, now: datetime) -> FieldChange:
    """Store one title or description: changed, unchanged, or refused when the training is gone
    (ValueError if the text is refused: flows check it first). The search index is rebuilt
    from the new texts."""
    if field not in TRAINING_FIELDS:
        raise ValueError(f"not a training text: {field!r}")
    text, reason = check_text(field, typed)
    if reason:
        raise ValueError(f"refused {field} ({reason})")
    training = repo.get_training(conn, training_id)
    if training is None:
        return FieldChange.REFUSED
    old = getattr(training, field)
    if old == text:
        return FieldChange.UNCHANGED
    texts = {k: getattr(training, k) for k in TRAINING_FIELDS} | {field: text}
    search = fold(" ".join([training.code, texts["title_fr"], texts["title_ar"],
                            texts["description_fr"], texts["description_ar"]]))
    conn.execute(f"UPDATE trainings SET {field} = ?, search_text = ?, updated_at = ? WHERE id = ?",
                 (text, search, to_db(now), training_id))
    audit.record(conn, actor_id, "training_edited", f"training:{training_id}", now, field=field,
                 before=old, after=text)
    return FieldChange.CHANGED
