"""The transactional outbox: messages the bot sends on its own initiative, written in the same
transaction as the change that causes them, sent later by the dispatcher."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.timeutil import from_db, to_db


@dataclass(frozen=True)
class OutboxRow:
    id: int
    user_id: int
    kind: str
    payload: dict
    attempts: int
    due_at: datetime


Message = tuple[int, str, dict, str, datetime, bool]  # user, kind, payload, key, due, urgent


def enqueue(conn: sqlite3.Connection, user_id: int, kind: str, payload: dict, dedupe_key: str,
            now: datetime, due_at: datetime | None = None, urgent: bool = True,
            broadcast_id: int | None = None) -> bool:
    """Queue a message; a second one with the same key is ignored (True if queued).

    `urgent` messages may go out during quiet hours; the others wait for the morning."""
    message = (user_id, kind, payload, dedupe_key, due_at or now, urgent)
    return enqueue_many(conn, [message], now, broadcast_id) > 0


def enqueue_many(conn: sqlite3.Connection, messages: list[Message], now: datetime,
                 broadcast_id: int | None = None) -> int:
    """Queue several messages in one statement (a confirmation and its reminders); those whose
    key is already queued are ignored. Returns how many were queued."""
    if not messages:
        return 0
    values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(messages))
    created = to_db(now)
    params = [p for user_id, kind, payload, key, due, urgent in messages
              for p in (user_id, kind, json.dumps(payload), key, to_db(due), created, int(urgent),
                        broadcast_id)]
    return conn.execute(
        "INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedupe_key, due_at, created_at,"
        f" urgent, broadcast_id) VALUES {values}", params).rowcount


def claim(conn: sqlite3.Connection, now: datetime, limit: int, quiet: bool = False) -> list[OutboxRow]:
    """Take the due messages of reachable people and mark them in flight (only urgent ones
    during quiet hours)."""
    urgent = "AND o.urgent = 1" if quiet else ""
    rows = conn.execute(
        f"""UPDATE outbox SET state = 'sending', attempts = attempts + 1
            WHERE id IN (SELECT o.id FROM outbox o LEFT JOIN users u ON u.id = o.user_id
                          WHERE o.state = 'pending' AND o.due_at <= ? AND u.unreachable_at IS NULL
                          {urgent} ORDER BY o.due_at, o.id LIMIT ?)
            RETURNING id, user_id, kind, payload, attempts, due_at""",
        (to_db(now), limit)).fetchall()
    rows.sort(key=lambda r: (r["due_at"], r["id"]))
    return [OutboxRow(r["id"], r["user_id"], r["kind"], json.loads(r["payload"]), r["attempts"],
                      from_db(r["due_at"])) for r in rows]


def mark(conn: sqlite3.Connection, row_id: int, state: str, now: datetime,
         error: str | None = None) -> None:
    mark_many(conn, [row_id], state, now, error)


def mark_many(conn: sqlite3.Connection, row_ids: list[int], state: str, now: datetime,
              error: str | None = None) -> None:
    """Record one final state for several messages (one statement)."""
    marks = ",".join("?" * len(row_ids))
    conn.execute(f"UPDATE outbox SET state = ?, last_error = ?, sent_at = ? WHERE id IN ({marks})",
                 (state, error, to_db(now) if state == "sent" else None, *row_ids))


def retry(conn: sqlite3.Connection, row_id: int, due_at: datetime, error: str,
          count_attempt: bool = True) -> None:
    conn.execute(
        "UPDATE outbox SET state = 'pending', due_at = ?, last_error = ?,"
        " attempts = attempts - ? WHERE id = ?",
        (to_db(due_at), error, 0 if count_attempt else 1, row_id))


def release(conn: sqlite3.Connection, row_ids: list[int], error: str) -> int:
    """Put claimed messages back as they were, the attempt given back: Telegram could not be
    reached, which is not these messages' fault (their due times keep their order)."""
    if not row_ids:
        return 0
    marks = ",".join("?" * len(row_ids))
    return conn.execute(
        "UPDATE outbox SET state = 'pending', attempts = attempts - 1, last_error = ?"
        f" WHERE state = 'sending' AND id IN ({marks})", (error, *row_ids)).rowcount


def due_count(conn: sqlite3.Connection, now: datetime) -> int:
    """Messages due by now and not yet sent (what an outage holds back)."""
    return conn.execute(
        """SELECT COUNT(*) FROM outbox o LEFT JOIN users u ON u.id = o.user_id
            WHERE o.state IN ('pending', 'sending') AND o.due_at <= ? AND u.unreachable_at IS NULL""",
        (to_db(now),)).fetchone()[0]


def recover(conn: sqlite3.Connection) -> int:
    """After a crash, messages that were in flight are sent again (at-least-once)."""
    return conn.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").rowcount


def skip_unreachable(conn: sqlite3.Connection, user_id: int, now: datetime) -> None:
    conn.execute("UPDATE users SET unreachable_at = ? WHERE id = ?", (to_db(now), user_id))


def next_due(conn: sqlite3.Connection) -> datetime | None:
    row = conn.execute("SELECT MIN(due_at) FROM outbox WHERE state = 'pending'").fetchone()
    return from_db(row[0]) if row and row[0] else None


def depth(conn: sqlite3.Connection) -> tuple[int, datetime | None]:
    row = conn.execute("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state IN "
                       "('pending', 'sending')").fetchone()
    return row[0], from_db(row[1])
