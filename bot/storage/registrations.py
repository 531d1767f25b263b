"""Registrations (states: DESIGN 5.2) and interest lists. Plain functions on a connection, meant
to run inside one `Database.write` transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from bot.timeutil import from_db, to_db

# States that hold a place in the session's life (seat, queue or pending decision).
ACTIVE = ("requested", "confirmed", "waitlisted", "offered")
_ACTIVE_SQL = "('requested', 'confirmed', 'waitlisted', 'offered')"
# Who holds one of a session's seats: the one rule behind every count of places (joining,
# cancelling, offers, capacity changes, cards, rosters, reports). An open offer holds its seat
# until it is taken or lapses; a person marked present or absent still occupies the place they
# had: marks start at the check-in opening, before the start, while the session still takes
# registrations (counted apart, marked people let newcomers past the capacity).
SEAT = ("confirmed", "offered", "attended", "absent")
SEAT_SQL = "(" + ", ".join(f"'{state}'" for state in SEAT) + ")"


@dataclass(frozen=True)
class Registration:
    id: int
    session_id: int
    user_id: int
    status: str
    seq: int | None
    version: int
    expires_at: datetime | None
    ics_sequence: int
    reason: str | None


@overload
def _reg(row: None) -> None: ...
@overload
def _reg(row: sqlite3.Row) -> Registration: ...
def _reg(row: sqlite3.Row | None) -> Registration | None:
    if row is None:
        return None
    return Registration(row["id"], row["session_id"], row["user_id"], row["status"], row["seq"],
                        row["version"], from_db(row["offer_expires_at"]), row["ics_sequence"],
                        row["reason"])


_COLS = "id, session_id, user_id, status, seq, version, offer_expires_at, ics_sequence, reason"


def _cols(alias: str) -> str:
    """_COLS of a registration named `alias` in a join."""
    return ", ".join(f"{alias}.{c}" for c in _COLS.split(", "))


def get(conn: sqlite3.Connection, reg_id: int) -> Registration | None:
    return _reg(conn.execute(f"SELECT {_COLS} FROM registrations WHERE id = ?", (reg_id,)).fetchone())


def existing(conn: sqlite3.Connection, reg_id: int) -> Registration:
    """A registration whose id was read in this transaction (registrations are never deleted,
    an erased person's are kept under their tombstone)."""
    found = get(conn, reg_id)
    if found is None:
        raise LookupError(f"registration {reg_id} does not exist")
    return found


def of(conn: sqlite3.Connection, user_id: int, session_id: int) -> Registration | None:
    return _reg(conn.execute(
        f"SELECT {_COLS} FROM registrations WHERE user_id = ? AND session_id = ?",
        (user_id, session_id)).fetchone())


# The person's registration in the session (?1: session, ?2: person) as `r`, or a row of NULLs.
_MINE = "FROM (SELECT 1) LEFT JOIN registrations r ON r.user_id = ?2 AND r.session_id = ?1"

_QUEUE_AND_MINE = f"""
    SELECT (SELECT COUNT(*) FROM registrations WHERE session_id = ?1
             AND status = 'waitlisted') AS waiting,
           EXISTS (SELECT 1 FROM registrations WHERE user_id = ?2 AND session_id != ?1
                    AND status IN {_ACTIVE_SQL}) AS elsewhere,
           EXISTS (SELECT 1 FROM session_quotas WHERE session_id = ?1) AS quotas,
           {_cols('r')}
    {_MINE}"""


def queue_and_mine(conn: sqlite3.Connection, session_id: int,
                   user_id: int) -> tuple[int, Registration | None, bool]:
    """How many wait for the session, the person's registration in it, and whether they hold
    or await a place in another session (one statement)."""
    return queue_mine_and_quotas(conn, session_id, user_id)[:3]


def queue_mine_and_quotas(conn: sqlite3.Connection, session_id: int,
                          user_id: int) -> tuple[int, Registration | None, bool, bool]:
    """queue_and_mine, and whether the session has reserved places (bot/storage/quotas.py):
    most have none, and then the join looks nothing more up."""
    row = conn.execute(_QUEUE_AND_MINE, (session_id, user_id)).fetchone()
    return (row["waiting"], (_reg(row) if row["id"] is not None else None), bool(row["elsewhere"]),
            bool(row["quotas"]))


# A waiting person's place in the queue (1 for the first). Behind CASE, SQLite counts it only
# for the waiting: counted for every row it cost three times the rest of a card's read.
_POSITION = """CASE WHEN {r}.status = 'waitlisted' THEN 1 + (
    SELECT COUNT(*) FROM registrations w WHERE w.session_id = {r}.session_id
       AND w.status = 'waitlisted' AND w.seq < {r}.seq) END AS position"""

_SEAT_STATE = f"""
    SELECT (SELECT COUNT(*) FROM registrations WHERE session_id = ?1
             AND status IN {SEAT_SQL}) AS taken,
           {_cols('r')}, {_POSITION.format(r="r")}
    {_MINE}"""


def seat_state(conn: sqlite3.Connection, session_id: int,
               user_id: int) -> tuple[int, Registration | None, int | None]:
    """What a session card shows that changes with every registration: the seats taken, the
    person's registration and their place in the queue when waiting (one statement)."""
    row = conn.execute(_SEAT_STATE, (session_id, user_id)).fetchone()
    reg = _reg(row) if row["id"] is not None else None
    return row["taken"], reg, row["position"]


def taken(conn: sqlite3.Connection, session_id: int) -> int:
    return conn.execute(
        f"SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status IN {SEAT_SQL}",
        (session_id,)).fetchone()[0]


def waiting(conn: sqlite3.Connection, session_id: int) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status = 'waitlisted'",
        (session_id,)).fetchone()[0]


def position(conn: sqlite3.Connection, reg: Registration) -> int:
    """1 for the first in line (of a registration waiting, as stored)."""
    return conn.execute(f"SELECT {_POSITION.format(r='r')} FROM registrations r WHERE r.id = ?",
                        (reg.id,)).fetchone()[0]


def first_waitlisted(conn: sqlite3.Connection, session_id: int, count: int) -> list[Registration]:
    """The first `count` people in the queue, in order."""
    if count <= 0:
        return []
    return [_reg(r) for r in conn.execute(
        f"SELECT {_COLS} FROM registrations WHERE session_id = ? AND status = 'waitlisted'"
        " ORDER BY seq LIMIT ?", (session_id, count)).fetchall()]


def insert_or_revive(conn: sqlite3.Connection, session_id: int, user_id: int, status: str,
                     now: datetime, expires_at: datetime | None = None) -> Registration:
    """Create the registration, or bring back an ended one (cancelled, declined...)."""
    # The next place in the session's order, counted in the statement itself.
    row = conn.execute(
        f"""INSERT INTO registrations (session_id, user_id, status, seq, offer_expires_at,
                created_at, updated_at) VALUES (?1, ?2, ?3,
                (SELECT IFNULL(MAX(seq), 0) + 1 FROM registrations WHERE session_id = ?1), ?4, ?5, ?6)
            ON CONFLICT(session_id, user_id) DO UPDATE SET status = excluded.status,
                seq = excluded.seq, offer_expires_at = excluded.offer_expires_at, reason = NULL,
                decided_by = NULL, version = registrations.version + 1,
                updated_at = excluded.updated_at
            RETURNING {_COLS}""",
        (session_id, user_id, status, to_db(expires_at) if expires_at else None, to_db(now),
         to_db(now))).fetchone()
    return _reg(row)


def set_status(conn: sqlite3.Connection, reg_id: int, status: str, now: datetime, *,
               expires_at: datetime | None = None, reason: str | None = None,
               decided_by: int | None = None, requeue: bool = False) -> Registration:
    """Move to a new state (bumping the version, so its notification has a key of its own)."""
    seq_sql = (", seq = (SELECT IFNULL(MAX(seq), 0) + 1 FROM registrations r2"
               " WHERE r2.session_id = registrations.session_id)") if requeue else ""
    row = conn.execute(
        f"""UPDATE registrations SET status = ?, offer_expires_at = ?, reason = IFNULL(?, reason),
                decided_by = IFNULL(?, decided_by), version = version + 1, updated_at = ? {seq_sql}
            WHERE id = ? RETURNING {_COLS}""",
        (status, to_db(expires_at) if expires_at else None, reason, decided_by, to_db(now),
         reg_id)).fetchone()
    return _reg(row)


def due_expiries(conn: sqlite3.Connection, now: datetime, limit: int = 500) -> list[Registration]:
    return [_reg(r) for r in conn.execute(
        f"SELECT {_COLS} FROM registrations WHERE offer_expires_at IS NOT NULL"
        " AND offer_expires_at <= ? AND status IN ('offered', 'requested') LIMIT ?",
        (to_db(now), limit))]


def clashes(conn: sqlite3.Connection, user_id: int, session_id: int) -> list[int]:
    """Sessions the person holds or awaits a place in that overlap this one in time."""
    return [r[0] for r in conn.execute(
        f"""SELECT o.id FROM registrations g
              JOIN sessions o ON o.id = g.session_id
              JOIN sessions s ON s.id = ?
             WHERE g.user_id = ? AND g.status IN {_ACTIVE_SQL} AND o.id != s.id
               AND o.status = 'published' AND o.starts_at < s.ends_at AND s.starts_at < o.ends_at
             ORDER BY o.starts_at""",
        (session_id, user_id))]


@dataclass(frozen=True)
class MyRegistration:
    registration: Registration
    session_id: int
    title_fr: str
    title_ar: str
    starts_at: datetime
    ends_at: datetime
    session_status: str
    position: int | None


def _any_of(column: str, states: tuple[str, ...]) -> str:
    """`column` is one of `states`, as comparisons joined by OR. A filter written as an IN list
    of constants costs SQLite a temporary index built on every run of the statement: a
    person's list of registrations took 219 µs with it, 68 µs without (`python -m bench
    --statements`). Where the states drive an index search (a session's seats), IN stays."""
    return "(" + " OR ".join(f"{column} = '{state}'" for state in states) + ")"


_OF_USER = f"""
    SELECT {_cols('g')}, s.starts_at, s.ends_at, s.status AS s_status,
           t.title_fr, t.title_ar, {_POSITION.format(r="g")}
      FROM registrations g JOIN sessions s ON s.id = g.session_id
      JOIN trainings t ON t.id = s.training_id
     WHERE g.user_id = ? AND {_any_of("g.status", ACTIVE + ("attended", "absent"))}
     ORDER BY s.starts_at"""


def of_user(conn: sqlite3.Connection, user_id: int) -> list[MyRegistration]:
    """Every registration of a person that still means something, newest session first."""
    return [MyRegistration(_reg(r), r["session_id"], r["title_fr"], r["title_ar"],
                           from_db(r["starts_at"]), from_db(r["ends_at"]), r["s_status"],
                           r["position"]) for r in conn.execute(_OF_USER, (user_id,)).fetchall()]


# --- approvers ---------------------------------------------------------------------------------
def focal_points(conn: sqlite3.Connection, administration_code: str | None) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT user_id FROM roles WHERE role = 'focal_point' AND administration_code = ?",
        (administration_code,))]


def national_coordinators(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT user_id FROM roles WHERE role = 'coordinator' AND administration_code IS NULL")]


def pending_requests(conn: sqlite3.Connection, administrations: tuple[str, ...] | None,
                     exclude_user: int, limit: int, offset: int) -> tuple[list[Registration], int]:
    """Approval requests waiting, of some administrations (all when None), except the requests
    of `exclude_user` (nobody decides on their own)."""
    where = "g.status = 'requested' AND g.user_id != ?"
    params: tuple = (exclude_user,)
    if administrations is not None:
        where += f" AND u.administration_code IN ({', '.join('?' * len(administrations))})"
        params += tuple(administrations)
    total = conn.execute(f"SELECT COUNT(*) FROM registrations g JOIN users u ON u.id = g.user_id"
                         f" WHERE {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT {_cols('g')} FROM registrations g JOIN users u ON u.id = g.user_id"
        f" WHERE {where} ORDER BY g.seq LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
    return [_reg(r) for r in rows], total


# --- interest lists ----------------------------------------------------------------------------
def toggle_interest(conn: sqlite3.Connection, training_id: int, user_id: int, now: datetime) -> bool:
    """Add or remove the person from the training's interest list; True if now on it."""
    if conn.execute("DELETE FROM interests WHERE training_id = ? AND user_id = ?",
                    (training_id, user_id)).rowcount:
        return False
    conn.execute("INSERT INTO interests (training_id, user_id, created_at) VALUES (?, ?, ?)",
                 (training_id, user_id, to_db(now)))
    return True


def is_interested(conn: sqlite3.Connection, training_id: int, user_id: int) -> bool:
    return conn.execute("SELECT 1 FROM interests WHERE training_id = ? AND user_id = ?",
                        (training_id, user_id)).fetchone() is not None


def interested(conn: sqlite3.Connection, training_id: int) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT user_id FROM interests WHERE training_id = ? ORDER BY created_at", (training_id,))]


def interest_counts(conn: sqlite3.Connection, administration_code: str | None) -> list[sqlite3.Row]:
    """Demand per training and administration (for the competence plans)."""
    where = "WHERE u.administration_code = ?" if administration_code else ""
    params = (administration_code,) if administration_code else ()
    return conn.execute(
        f"""SELECT t.id AS training_id, t.title_fr, t.title_ar, u.administration_code,
                   COUNT(*) AS people, SUM(u.sex = 'F') AS women
              FROM interests i JOIN users u ON u.id = i.user_id JOIN trainings t ON t.id = i.training_id
              {where} GROUP BY t.id, u.administration_code ORDER BY people DESC, t.title_fr""",
        params).fetchall()
