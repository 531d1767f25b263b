"""Trainings and their sessions: browsing queries and upserts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.storage.reference import like_escape
from bot.storage.registrations import SEAT_SQL
from bot.timeutil import from_db, to_db

# Seats are held by these states before the session (an open offer holds its seat).
SEAT_STATES = ("confirmed", "offered")


@dataclass(frozen=True)
class Filters:
    """What a person narrowed the catalogue to; empty fields mean 'any'."""

    modality: str = ""
    month: str = ""  # "YYYY-MM", Moroccan calendar month
    region: str = ""  # a region code, or "online"

    @property
    def active(self) -> bool:
        return bool(self.modality or self.month or self.region)


@dataclass(frozen=True)
class TrainingRow:
    id: int
    code: str
    title_fr: str
    title_ar: str
    modality: str
    upcoming: int


@dataclass(frozen=True)
class Training:
    id: int
    code: str
    title_fr: str
    title_ar: str
    description_fr: str
    description_ar: str
    theme_code: str
    modality: str
    duration_hours: float | None
    level: str


@dataclass(frozen=True)
class Session:
    id: int
    reference: str
    training_id: int
    title_fr: str
    title_ar: str
    modality: str
    starts_at: datetime
    ends_at: datetime
    place_fr: str
    place_ar: str
    region_code: str | None
    region_fr: str | None
    region_ar: str | None
    online_url: str | None
    capacity: int
    taken: int
    trainer_id: int | None
    trainer_name: str | None
    registration_deadline: datetime | None
    needs_approval: bool
    language: str
    status: str
    # Its explicit parts (bot.storage.parts.Part, in time order) where the reader filled them
    # in (the cached description of cards and notices); () for a session in one piece.
    parts: tuple = ()

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.taken)


def closed(session: Session | None, now: datetime, deadline: bool = True) -> str | None:
    """Why a session takes no registration or change now (None: it does): not_found,
    cancelled, started, or closed once its registration deadline has passed (if `deadline`)."""
    if session is None or session.status == "draft":
        return "not_found"
    if session.status == "cancelled":
        return "cancelled"
    if session.starts_at <= now:
        return "started"
    if deadline and session.registration_deadline and session.registration_deadline <= now:
        return "closed"
    return None


# The columns of a Session, in its fields' order: rows are read by position (by name, each of
# the 22 lookups scanned the row's columns: 40% of reading a session, measured).
_SESSION_SELECT = f"""
SELECT s.id, s.reference, s.training_id, t.title_fr, t.title_ar, t.modality, s.starts_at,
       s.ends_at, s.place_fr, s.place_ar, s.region_code, r.name_fr AS region_fr,
       r.name_ar AS region_ar, s.online_url, s.capacity,
       (SELECT COUNT(*) FROM registrations g
         WHERE g.session_id = s.id AND g.status IN {SEAT_SQL}) AS taken,
       s.trainer_id, u.full_name AS trainer_name, s.registration_deadline, s.needs_approval,
       s.language, s.status
  FROM sessions s
  JOIN trainings t ON t.id = s.training_id
  LEFT JOIN regions r ON r.code = s.region_code
  LEFT JOIN users u ON u.id = s.trainer_id
"""


def _session(row: Sequence) -> Session:
    """A Session from a row of _SESSION_SELECT (a sqlite3.Row or its values, in order)."""
    (id_, reference, training_id, title_fr, title_ar, modality, starts_at, ends_at, place_fr,
     place_ar, region_code, region_fr, region_ar, online_url, capacity, taken, trainer_id,
     trainer_name, deadline, needs_approval, language, status) = row
    return Session(id_, reference, training_id, title_fr, title_ar, modality, from_db(starts_at),
                   from_db(ends_at), place_fr, place_ar, region_code, region_fr, region_ar,
                   online_url, capacity, taken, trainer_id, trainer_name, from_db(deadline),
                   bool(needs_approval), language, status)


def _upcoming(filters: Filters, now: datetime, month_bounds: tuple[str, str] | None) -> tuple[str, list]:
    """WHERE clause for the published sessions still to come that match the filters."""
    where = ["s.status = 'published'", "s.starts_at > ?"]
    params: list = [to_db(now)]
    if filters.modality:
        where.append("t.modality = ?")
        params.append(filters.modality)
    if month_bounds:
        where.append("s.starts_at >= ? AND s.starts_at < ?")
        params.extend(month_bounds)
    if filters.region == "online":
        where.append("s.online_url IS NOT NULL")
    elif filters.region:
        where.append("s.region_code = ?")
        params.append(filters.region)
    return " AND ".join(where), params


def theme_counts(conn, filters: Filters, now: datetime, month_bounds=None) -> dict[str, tuple[int, int]]:
    """Per theme: (trainings shown, upcoming sessions matching the filters)."""
    where, params = _upcoming(filters, now, month_bounds)
    rows = conn.execute(
        f"""SELECT t.theme_code, COUNT(DISTINCT t.id) AS trainings, COUNT(s.id) AS sessions
              FROM trainings t LEFT JOIN sessions s ON s.training_id = t.id AND {where}
             GROUP BY t.theme_code""",
        params,
    ).fetchall()
    out = {}
    for r in rows:
        if filters.active and not r["sessions"]:
            continue
        out[r["theme_code"]] = (r["trainings"], r["sessions"])
    return out


def trainings_of_theme(conn, theme: str, filters: Filters, now: datetime, offset: int, limit: int,
                       month_bounds=None) -> tuple[list[TrainingRow], int]:
    """A page of a theme's trainings with their upcoming session counts, and the total."""
    where, params = _upcoming(filters, now, month_bounds)
    having = "HAVING upcoming > 0" if filters.active else ""
    base = f"""SELECT t.id, t.code, t.title_fr, t.title_ar, t.modality, COUNT(s.id) AS upcoming
                 FROM trainings t LEFT JOIN sessions s ON s.training_id = t.id AND {where}
                WHERE t.theme_code = ? GROUP BY t.id {having}"""
    rows, total = _page(conn, base, (*params, theme), "upcoming = 0, title_fr", limit, offset)
    return [TrainingRow(**r) for r in rows], total


def search_trainings(conn, folded_words: list[str], now: datetime, offset: int,
                     limit: int) -> tuple[list[TrainingRow], int]:
    """Trainings whose folded titles/descriptions contain every word, with upcoming counts."""
    where = " AND ".join(["t.search_text LIKE ? ESCAPE '\\'"] * len(folded_words)) or "0"
    params = [f"%{like_escape(w)}%" for w in folded_words]
    base = f"""SELECT t.id, t.code, t.title_fr, t.title_ar, t.modality,
                      (SELECT COUNT(*) FROM sessions s WHERE s.training_id = t.id
                          AND s.status = 'published' AND s.starts_at > ?) AS upcoming
                 FROM trainings t WHERE {where}"""
    rows, total = _page(conn, base, (to_db(now), *params), "upcoming = 0, title_fr", limit, offset)
    return [TrainingRow(**r) for r in rows], total


def _page(conn, base: str, params: tuple, order: str, limit: int, offset: int) -> tuple[list[dict], int]:
    """One page of `base` and the total, in one statement (the page query runs on every tap)."""
    rows = conn.execute(
        f"SELECT *, COUNT(*) OVER () AS _total FROM ({base}) ORDER BY {order} LIMIT ? OFFSET ?",
        (*params, limit, offset)).fetchall()
    if not rows:
        total = conn.execute(f"SELECT COUNT(*) FROM ({base})", params).fetchone()[0] if offset else 0
        return [], total
    total = rows[0]["_total"]
    return [{k: r[k] for k in r.keys() if k != "_total"} for r in rows], total


def get_training(conn, training_id: int) -> Training | None:
    row = conn.execute(
        "SELECT id, code, title_fr, title_ar, description_fr, description_ar, theme_code, modality,"
        " duration_hours, level FROM trainings WHERE id = ?",
        (training_id,),
    ).fetchone()
    return Training(**dict(row)) if row else None


def training_titles(conn) -> list[tuple[int, str, str]]:
    """(id, French title, Arabic title) of every training, in French alphabetical order."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, title_fr, title_ar FROM trainings ORDER BY title_fr").fetchall()]


def sessions_of_training(conn, training_id: int, filters: Filters, now: datetime, offset: int,
                         limit: int, month_bounds=None) -> tuple[list[Session], int]:
    where, params = _upcoming(filters, now, month_bounds)
    rows, total = _page(conn, f"{_SESSION_SELECT} WHERE s.training_id = ? AND {where}",
                        (training_id, *params), "starts_at, id", limit, offset)
    return [_session(tuple(r.values())) for r in rows], total


def get_session(conn, session_id: int) -> Session | None:
    row = conn.execute(f"{_SESSION_SELECT} WHERE s.id = ?", (session_id,)).fetchone()
    return _session(row) if row else None


def existing_session(conn, session_id: int) -> Session:
    """A session whose id was read in this transaction (sessions are never deleted)."""
    found = get_session(conn, session_id)
    if found is None:
        raise LookupError(f"session {session_id} does not exist")
    return found


def upcoming_months(conn, now: datetime) -> list[str]:
    """The UTC 'YYYY-MM' of upcoming sessions (Morocco is UTC+0, so these are local months)."""
    rows = conn.execute(
        "SELECT DISTINCT substr(starts_at, 1, 7) FROM sessions"
        " WHERE status = 'published' AND starts_at > ? ORDER BY 1",
        (to_db(now),),
    ).fetchall()
    return [r[0] for r in rows]


def counts(conn) -> dict[str, int]:
    return {
        "trainings": conn.execute("SELECT COUNT(*) FROM trainings").fetchone()[0],
        "sessions": conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0],
        "registrations": conn.execute("SELECT COUNT(*) FROM registrations").fetchone()[0],
    }


# --- writes (catalogue import, demo) ------------------------------------------------------------
def upsert_training(conn, *, code, title_fr, title_ar, description_fr="", description_ar="",
                    theme_code, modality, duration_hours=None, level="tous", search_text,
                    now: datetime) -> int:
    row = conn.execute(
        """INSERT INTO trainings (code, title_fr, title_ar, description_fr, description_ar,
               theme_code, modality, duration_hours, level, search_text, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(code) DO UPDATE SET title_fr = excluded.title_fr,
               title_ar = excluded.title_ar, description_fr = excluded.description_fr,
               description_ar = excluded.description_ar, theme_code = excluded.theme_code,
               modality = excluded.modality, duration_hours = excluded.duration_hours,
               level = excluded.level, search_text = excluded.search_text,
               updated_at = excluded.updated_at
           RETURNING id""",
        (code, title_fr, title_ar, description_fr, description_ar, theme_code, modality,
         duration_hours, level, search_text, to_db(now), to_db(now)),
    ).fetchone()
    return row[0]


def upsert_session(conn, *, reference, training_id, starts_at: datetime, ends_at: datetime,
                   place_fr="", place_ar="", region_code=None, online_url=None, capacity,
                   trainer_id=None, registration_deadline: datetime | None = None,
                   needs_approval=False, language="fr", status="published", now: datetime) -> int:
    row = conn.execute(
        """INSERT INTO sessions (reference, training_id, starts_at, ends_at, place_fr, place_ar,
               region_code, online_url, capacity, trainer_id, registration_deadline,
               needs_approval, language, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(reference) DO UPDATE SET training_id = excluded.training_id,
               starts_at = excluded.starts_at, ends_at = excluded.ends_at,
               place_fr = excluded.place_fr, place_ar = excluded.place_ar,
               region_code = excluded.region_code, online_url = excluded.online_url,
               capacity = excluded.capacity, trainer_id = excluded.trainer_id,
               registration_deadline = excluded.registration_deadline,
               needs_approval = excluded.needs_approval, language = excluded.language,
               status = excluded.status, updated_at = excluded.updated_at
           RETURNING id""",
        (reference, training_id, to_db(starts_at), to_db(ends_at), place_fr, place_ar, region_code,
         online_url, capacity, trainer_id,
         to_db(registration_deadline) if registration_deadline else None,
         int(needs_approval), language, status, to_db(now), to_db(now)),
    ).fetchone()
    return row[0]
