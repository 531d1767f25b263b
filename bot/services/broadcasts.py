"""Messages to many people at once: a trainer to the participants of a session, a coordinator to
an audience. The whole fan-out is one INSERT … SELECT in one transaction (600,000 rows is
seconds, not a loop), and the dispatcher sends it paced; the sender gets the final figures."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage import audit, outbox
from bot.storage.db import Database
from bot.timeutil import Clock, to_db

TEXT_MAX = 3000
# What a coordinator can aim at; focal points are always narrowed to their administration.
AUDIENCES = ("all", "administration", "level", "region", "training", "session", "no_evaluation")
# What a trainer can aim at, for one of their sessions.
TRAINER_AUDIENCES = ("confirmed", "waitlisted", "attended")


@dataclass(frozen=True)
class Audience:
    kind: str  # one of AUDIENCES, or of TRAINER_AUDIENCES with a session
    value: str = ""  # administration / level / region code, training or session id
    scope: str | None = None  # a focal point's administration

    def as_json(self) -> str:
        return json.dumps({"kind": self.kind, "value": self.value, "scope": self.scope})


@dataclass(frozen=True)
class Progress:
    recipients: int
    sent: int
    waiting: int
    unreachable: int
    failed: int

    @property
    def done(self) -> bool:
        return self.waiting == 0


def _where(audience: Audience, now: datetime) -> tuple[str, list]:
    """SQL selecting the recipients' users.id (as u.id) for an audience, as of `now` (the
    injected clock: SQLite's own 'now' would ignore it)."""
    base = "u.onboarded_at IS NOT NULL"
    params: list = []
    kind, value = audience.kind, audience.value
    if kind in TRAINER_AUDIENCES:
        statuses = {"confirmed": "('confirmed', 'offered')", "waitlisted": "('waitlisted')",
                    "attended": "('attended')"}[kind]
        base += (" AND u.id IN (SELECT user_id FROM registrations WHERE session_id = ?"
                 f" AND status IN {statuses})")
        params.append(int(value))
    elif kind == "administration":
        base += " AND u.administration_code = ?"
        params.append(value)
    elif kind == "level":
        base += " AND u.level = ?"
        params.append(value)
    elif kind == "region":
        base += " AND u.region_code = ?"
        params.append(value)
    elif kind == "training":
        base += (" AND u.id IN (SELECT g.user_id FROM registrations g JOIN sessions s"
                 " ON s.id = g.session_id WHERE s.training_id = ? AND g.status IN"
                 " ('confirmed', 'offered', 'attended', 'waitlisted', 'requested'))")
        params.append(int(value))
    elif kind == "session":
        base += (" AND u.id IN (SELECT user_id FROM registrations WHERE session_id = ?"
                 " AND status IN ('confirmed', 'offered', 'attended', 'waitlisted', 'requested'))")
        params.append(int(value))
    elif kind == "no_evaluation":
        # Attended a session in the last 120 days and not submitted its hot evaluation.
        base += (" AND u.id IN (SELECT g.user_id FROM registrations g JOIN sessions s"
                 " ON s.id = g.session_id WHERE g.status = 'attended'"
                 " AND s.ends_at >= ? AND NOT EXISTS ("
                 "SELECT 1 FROM responses r WHERE r.registration_id = g.id AND r.kind = 'hot'"
                 " AND r.submitted_at IS NOT NULL))")
        params.append(to_db(now - timedelta(days=120)))
    elif kind != "all":
        raise ValueError(f"unknown audience {kind!r}")
    if audience.scope:
        base += " AND u.administration_code = ?"
        params.append(audience.scope)
    return base, params


class BroadcastService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def count(self, audience: Audience) -> int:
        where, params = _where(audience, self.clock.now())
        return await self.db.read_heavy(
            lambda c: c.execute(f"SELECT COUNT(*) FROM users u WHERE {where}", params).fetchone()[0])

    async def send(self, sender_id: int, kind: str, audience: Audience, text: str,
                   session_id: int | None = None) -> tuple[int, int]:
        """Queue the message for every recipient; returns (broadcast id, recipients)."""
        now = self.clock.now()
        where, params = _where(audience, now)

        def tx(conn: sqlite3.Connection) -> tuple[int, int]:
            bid = conn.execute(
                "INSERT INTO broadcasts (sender_id, kind, audience, session_id, text, recipients,"
                " created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id",
                (sender_id, kind, audience.as_json(), session_id, text, to_db(now))).fetchone()[0]
            # Announcements can wait for the morning (urgent = 0: quiet hours apply).
            count = conn.execute(
                f"""INSERT OR IGNORE INTO outbox (user_id, kind, payload, dedupe_key, due_at,
                        created_at, urgent, broadcast_id)
                    SELECT u.id, 'announcement', json_object('broadcast', ?),
                           'broadcast:' || ? || ':' || u.id, ?, ?, 0, ?
                      FROM users u WHERE {where}""",
                (bid, bid, to_db(now), to_db(now), bid, *params)).rowcount
            conn.execute("UPDATE broadcasts SET recipients = ? WHERE id = ?", (count, bid))
            audit.record(conn, sender_id, "broadcast_sent", f"broadcast:{bid}", now,
                         audience=audience.kind, value=audience.value, scope=audience.scope,
                         recipients=count)
            return bid, count

        return await self.db.write(tx)

    async def progress(self, broadcast_id: int) -> Progress | None:
        return await self.db.read_heavy(_progress, broadcast_id)

    async def get(self, broadcast_id: int) -> sqlite3.Row | None:
        return await self.db.read(
            lambda c: c.execute("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,)).fetchone())

    async def recent(self, sender_id: int | None, limit: int = 10) -> list[sqlite3.Row]:
        """The latest broadcasts (of one sender, or all for the national team)."""
        where = "WHERE sender_id = ?" if sender_id is not None else ""
        params = (sender_id,) if sender_id is not None else ()
        return await self.db.read(lambda c: c.execute(
            f"SELECT * FROM broadcasts {where} ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall())

    async def report_finished(self) -> int:
        """Queue the final figures to the senders of broadcasts that are done."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> int:
            done = 0
            for (bid, sender) in conn.execute(
                    "SELECT id, sender_id FROM broadcasts WHERE reported_at IS NULL").fetchall():
                if not _waiting(conn, bid):
                    conn.execute("UPDATE broadcasts SET reported_at = ? WHERE id = ?", (to_db(now), bid))
                    done += outbox.enqueue(conn, sender, "broadcast_report", {"broadcast": bid},
                                           f"broadcast_report:{bid}", now)
            return done

        return await self.db.write(tx)


def _waiting(conn: sqlite3.Connection, broadcast_id: int) -> bool:
    """Is any message of the broadcast still to go to someone reachable? (index seek)"""
    return conn.execute(
        """SELECT 1 FROM outbox o JOIN users u ON u.id = o.user_id
            WHERE o.broadcast_id = ? AND o.state IN ('pending', 'sending')
              AND u.unreachable_at IS NULL LIMIT 1""", (broadcast_id,)).fetchone() is not None


def _progress(conn: sqlite3.Connection, broadcast_id: int) -> Progress | None:
    row = conn.execute("SELECT recipients FROM broadcasts WHERE id = ?", (broadcast_id,)).fetchone()
    if row is None:
        return None
    counts = {"sent": 0, "waiting": 0, "unreachable": 0, "failed": 0}
    for state, unreachable, n in conn.execute(
            """SELECT o.state, u.unreachable_at IS NOT NULL, COUNT(*) FROM outbox o
                 LEFT JOIN users u ON u.id = o.user_id WHERE o.broadcast_id = ?
                GROUP BY 1, 2""", (broadcast_id,)):
        if state == "sent":
            counts["sent"] += n
        elif state in ("failed", "skipped"):
            counts["failed"] += n
        elif unreachable:  # waiting for someone who blocked the bot: counted as unreachable
            counts["unreachable"] += n
        else:
            counts["waiting"] += n
    return Progress(row[0], **counts)
