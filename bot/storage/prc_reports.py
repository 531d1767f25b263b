"""The semi-annual reports of the competence plans (issue 16): the facts a report is built from,
the focal points' commentaries and the issued (frozen) reports. Rules: bot/services/prc_report.py.

An issued report is its figures as a JSON snapshot, written once: re-issuing reads it back, so
the files rendered from it are the same whatever changed since (erasures, late attendance)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage.people_indicators import SESSION_HOURS
from bot.timeutil import to_db

NATIONAL = "*"  # the scope of the national report (an administration's report: its code)
IN_FORCE = ("validated", "active", "closed")  # a plan's version a report follows

TABLES = [
    """CREATE TABLE prc_reports (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,                -- an administration's code, or '*' (national)
        semester TEXT NOT NULL CHECK (semester GLOB '[0-9][0-9][0-9][0-9]-S[12]'),
        snapshot TEXT NOT NULL,             -- the figures and labels, JSON, never rewritten
        issued_by INTEGER,
        issued_at TEXT NOT NULL,
        UNIQUE (scope, semester)
    )""",
    """CREATE TABLE prc_commentaries (
        administration_code TEXT NOT NULL REFERENCES administrations(code),
        semester TEXT NOT NULL,
        achievements TEXT,
        difficulties TEXT,
        actions TEXT,
        author_id INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (administration_code, semester)
    ) WITHOUT ROWID""",
]


def install(conn: sqlite3.Connection) -> None:
    """The migration step, idempotent (the integrator re-runs later steps)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for statement in TABLES:
        name = statement.split()[2]
        if name not in have:
            conn.execute(statement)


# --- issued reports ---------------------------------------------------------------------------
def issued(conn: sqlite3.Connection, scope: str, semester: str) -> sqlite3.Row | None:
    return conn.execute("SELECT id, snapshot, issued_at FROM prc_reports WHERE scope = ? AND semester = ?",
                        (scope, semester)).fetchone()


def store(conn: sqlite3.Connection, scope: str, semester: str, snapshot: str, actor_id: int | None,
          now: datetime) -> int:
    """The report's one write; a concurrent issue of the same report keeps the first."""
    conn.execute("INSERT OR IGNORE INTO prc_reports (scope, semester, snapshot, issued_by, issued_at)"
                 " VALUES (?, ?, ?, ?, ?)", (scope, semester, snapshot, actor_id, to_db(now)))
    row = issued(conn, scope, semester)
    assert row is not None  # inserted just above, or there already (the IGNORE)
    return row["id"]


def report(conn: sqlite3.Connection, report_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT id, scope, semester, snapshot FROM prc_reports WHERE id = ?",
                        (report_id,)).fetchone()


# --- commentaries -----------------------------------------------------------------------------
def commentary(conn: sqlite3.Connection, administration: str, semester: str) -> sqlite3.Row | None:
    return conn.execute("SELECT achievements, difficulties, actions FROM prc_commentaries"
                        " WHERE administration_code = ? AND semester = ?",
                        (administration, semester)).fetchone()


def save_commentary(conn: sqlite3.Connection, administration: str, semester: str, texts: dict,
                    author_id: int, now: datetime) -> None:
    conn.execute(
        """INSERT INTO prc_commentaries (administration_code, semester, achievements, difficulties,
                                         actions, author_id, updated_at)
           VALUES (:adm, :semester, :achievements, :difficulties, :actions, :author, :now)
           ON CONFLICT DO UPDATE SET achievements = excluded.achievements,
               difficulties = excluded.difficulties, actions = excluded.actions,
               author_id = excluded.author_id, updated_at = excluded.updated_at""",
        {"adm": administration, "semester": semester, "author": author_id, "now": to_db(now), **texts})


# --- what a report is built from --------------------------------------------------------------
def plan_in_force(conn: sqlite3.Connection, administration: str, year: int) -> sqlite3.Row | None:
    """The administration's plan version a report of `year` follows: the latest validated,
    active or closed version of the plan covering that year."""
    marks = ", ".join("?" * len(IN_FORCE))
    return conn.execute(
        f"""SELECT v.id, v.number, v.status, p.start_year, p.end_year
              FROM plan_versions v JOIN plans p ON p.id = v.plan_id
             WHERE p.administration_code = ? AND p.start_year <= ? AND p.end_year >= ?
               AND v.status IN ({marks}) ORDER BY p.start_year DESC, v.number DESC LIMIT 1""",
        (administration, year, year, *IN_FORCE)).fetchone()


def administrations_with_plans(conn: sqlite3.Connection, year: int) -> list[str]:
    marks = ", ".join("?" * len(IN_FORCE))
    return [r[0] for r in conn.execute(
        f"""SELECT DISTINCT p.administration_code FROM plans p JOIN plan_versions v ON v.plan_id = p.id
             WHERE p.start_year <= ? AND p.end_year >= ? AND v.status IN ({marks})
             ORDER BY 1""", (year, year, *IN_FORCE))]


def names(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, str]]:
    """Reference labels (French, Arabic) by code: they are copied into the snapshot."""
    assert table in ("administrations", "themes", "positions", "regions")
    return {r[0]: (r[1], r[2]) for r in conn.execute(f"SELECT code, name_fr, name_ar FROM {table}")}


def training_titles(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    marks = ", ".join("?" * len(ids))
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT id, title_fr, title_ar FROM trainings WHERE id IN ({marks})", ids)} if ids else {}


def line_sessions(conn: sqlite3.Connection, line: sqlite3.Row, start: str, end: str) -> list[int]:
    """The sessions a line counts, by the rule of bot/storage/plan_progress.py: the linked ones,
    else its training's (or theme's) sessions starting in its semester, not cancelled."""
    linked = [r[0] for r in conn.execute(
        "SELECT session_id FROM plan_line_sessions WHERE line_id = ? ORDER BY session_id", (line["id"],))]
    if linked:
        return linked
    return [r[0] for r in conn.execute(
        """SELECT s.id FROM sessions s JOIN trainings t ON t.id = s.training_id
            WHERE s.starts_at >= :start AND s.starts_at < :end AND s.status != 'cancelled'
              AND (t.id = :training OR (:training IS NULL AND t.theme_code = :theme))
            ORDER BY s.id""",
        {"start": start, "end": end, "training": line["training_id"], "theme": line["theme_code"]})]


def attendances(conn: sqlite3.Connection, session_ids: list[int], administration: str) -> list[sqlite3.Row]:
    """Every attendance of the administration's officials at these sessions, with the person's
    dimensions, the hours it is worth and its evaluation outcomes (registration_facts)."""
    if not session_ids:
        return []
    marks = ", ".join("?" * len(session_ids))
    return conn.execute(
        f"""SELECT a.session_id, a.user_id, a.sex, a.level, a.region_code, a.position_code,
                   {SESSION_HOURS} AS hours, f.hot, f.satisfaction, f.cold, f.applied
              FROM sessions s JOIN trainings t ON t.id = s.training_id
              CROSS JOIN attendance_facts a
              LEFT JOIN registration_facts f ON f.session_id = a.session_id
                                            AND f.registration_id = a.registration_id
             WHERE s.id IN ({marks}) AND a.session_id = s.id AND a.administration_code = ?
             ORDER BY a.session_id, a.registration_id""", (*session_ids, administration)).fetchall()


def sessions(conn: sqlite3.Connection, session_ids: list[int]) -> list[sqlite3.Row]:
    """The sessions held among these (not cancelled), in date order."""
    if not session_ids:
        return []
    marks = ", ".join("?" * len(session_ids))
    return conn.execute(
        f"""SELECT s.id, s.reference, s.starts_at, t.title_fr, t.title_ar
              FROM sessions s JOIN trainings t ON t.id = s.training_id
             WHERE s.id IN ({marks}) AND s.status != 'cancelled' ORDER BY s.starts_at, s.id""",
        session_ids).fetchall()


def focal_points(conn: sqlite3.Connection, administration: str) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT user_id FROM roles WHERE role = 'focal_point' AND administration_code = ?"
        " ORDER BY user_id", (administration,))]
