"""The inbox: updates received from Telegram, kept until they are handled (DESIGN 3.10).

Telegram forgets an update once a later getUpdates offset confirms it (or once the webhook
answered 200). A batch is therefore written here, in one transaction, before Telegram can be
told it arrived; an update is marked done in the same transaction as the first change its
handling commits, and its text is cleared then. After a crash, what is still `received` is
handled again; a redelivered update that is already here is not handled twice.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.timeutil import to_db

SCHEMA = [
    """CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        user_id INTEGER,
        state TEXT NOT NULL CHECK (state IN ('received', 'done', 'dropped')),
        payload TEXT,
        replays INTEGER NOT NULL DEFAULT 0 CHECK (replays >= 0),
        received_at TEXT NOT NULL
    )""",
    # Only what waits is scanned at start-up.
    "CREATE INDEX inbox_waiting ON inbox (update_id) WHERE state = 'received'",
]


def record(conn: sqlite3.Connection, updates: list[dict], now: datetime) -> set[int]:
    """Keep the updates not seen before; return the ids of those already here (handled, or
    waiting to be replayed), which must not be handled again."""
    ids = [u["update_id"] for u in updates]
    marks = ",".join("?" * len(ids))
    known = {r[0] for r in conn.execute(f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", ids)}
    stamp = to_db(now)
    conn.executemany(
        "INSERT OR IGNORE INTO inbox (update_id, user_id, state, payload, received_at)"
        " VALUES (?, ?, 'received', ?, ?)",
        [(u["update_id"], sender(u), json.dumps(u, ensure_ascii=False), stamp)
         for u in updates if u["update_id"] not in known])
    return known


def mark_done(conn: sqlite3.Connection, update_ids: list[int]) -> None:
    """The update's change is committed (or it needed none): forget its text."""
    if len(update_ids) == 1:
        conn.execute("UPDATE inbox SET state = 'done', payload = NULL WHERE update_id = ?"
                     " AND state = 'received'", update_ids)
        return
    marks = ",".join("?" * len(update_ids))
    conn.execute(f"UPDATE inbox SET state = 'done', payload = NULL WHERE update_id IN ({marks})"
                 " AND state = 'received'", update_ids)


def take_waiting(conn: sqlite3.Connection, max_replays: int) -> tuple[list[dict], list[int]]:
    """At start-up: the updates received and not handled, in order, each counted as replayed
    once more; those already replayed `max_replays` times (an update that kills the process
    whenever it is handled) are dropped instead. Returns (to handle, dropped ids)."""
    rows = conn.execute("SELECT update_id, payload, replays FROM inbox WHERE state = 'received'"
                        " ORDER BY update_id").fetchall()
    dropped = [r[0] for r in rows if r[2] >= max_replays]
    if dropped:
        marks = ",".join("?" * len(dropped))
        conn.execute(f"UPDATE inbox SET state = 'dropped', payload = NULL WHERE update_id IN ({marks})",
                     dropped)
    conn.execute("UPDATE inbox SET replays = replays + 1 WHERE state = 'received'")
    return [json.loads(r[1]) for r in rows if r[2] < max_replays], dropped


def prune(conn: sqlite3.Connection, before: datetime, limit: int = 5000) -> int:
    """Forget handled updates received before `before` (long confirmed to Telegram)."""
    return conn.execute(
        "DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox WHERE state != 'received'"
        " AND received_at < ? LIMIT ?)", (to_db(before), limit)).rowcount


def forget_person(conn: sqlite3.Connection, user_id: int) -> int:
    """Erasure: nothing links an update to the person any more. The ids stay (a redelivery is
    not handled again); the text of an update still waiting (the erasure's own, or one sent
    right after it) stays until it is handled, which clears it."""
    return conn.execute("UPDATE inbox SET user_id = NULL, payload = CASE WHEN state = 'received'"
                        " THEN payload END WHERE user_id = ?", (user_id,)).rowcount


def export_person(conn: sqlite3.Connection, user_id: int) -> list[dict]:
    """What /mydata shows: the updates of theirs received and not handled yet (usually none)."""
    return [{"update_id": r[0], "received_at": r[1]} for r in conn.execute(
        "SELECT update_id, received_at FROM inbox WHERE user_id = ? AND state = 'received'",
        (user_id,))]


def waiting(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM inbox WHERE state = 'received'").fetchone()[0]


def sender(update: dict) -> int | None:
    """Who an update comes from (the person it concerns), as Telegram's JSON says."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        body = update.get(kind)
        if isinstance(body, dict):
            who = body.get("from")
            if isinstance(who, dict) and isinstance(who.get("id"), int):
                return who["id"]
    return None
