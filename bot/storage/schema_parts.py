"""Sessions in parts, attendance per part, paths and cohorts, e-learning completion (issue 17).

A session without rows in `session_parts` is one implicit part spanning it: every session made
before this step, and every path that creates or edits sessions (catalogue workbook, new-session
flow, demo), keeps working unchanged. Explicit parts are written only by the parts service,
which keeps the session's starts_at/ends_at equal to its first part's start and last part's end.
"""

from __future__ import annotations

import re
import sqlite3

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS session_parts (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        place_fr TEXT NOT NULL DEFAULT '',
        place_ar TEXT NOT NULL DEFAULT '',
        online_url TEXT,
        trainer_id INTEGER,
        -- the SEQUENCE of this part's calendar events: bumped when the part moves, so calendar
        -- apps replace only that part's event
        sequence INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (ends_at > starts_at),
        CHECK (place_fr != '' OR place_ar != '' OR online_url IS NOT NULL)
    )""",
    "CREATE INDEX IF NOT EXISTS session_parts_session ON session_parts(session_id, starts_at)",
    """CREATE TABLE IF NOT EXISTS part_attendance (
        registration_id INTEGER NOT NULL REFERENCES registrations(id),
        part_id INTEGER NOT NULL REFERENCES session_parts(id),
        status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused', 'late')),
        marked_by INTEGER,
        marked_at TEXT NOT NULL,
        PRIMARY KEY (registration_id, part_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS part_attendance_part ON part_attendance(part_id)",
    # The share of a session's time a person must attend to have attended it (1.0: all of it).
    "ALTER TABLE trainings ADD COLUMN min_presence_share REAL NOT NULL DEFAULT 1.0"
    " CHECK (min_presence_share > 0 AND min_presence_share <= 1)",
    # An e-learning module's link (its estimated hours are the training's duration_hours).
    "ALTER TABLE trainings ADD COLUMN elearning_url TEXT",
    # Hours actually attended, set from the part marks (NULL: no part marks; the hours then
    # follow the status, see bot/services/session_parts.py).
    "ALTER TABLE registrations ADD COLUMN hours_attended REAL",
    # A short code each official sees in /profile, by which the learning platform's export is
    # matched to them; given on first use (bot/services/elearning.py).
    "ALTER TABLE users ADD COLUMN learner_code TEXT",
    "CREATE UNIQUE INDEX IF NOT EXISTS users_learner_code ON users(learner_code)"
    " WHERE learner_code IS NOT NULL",
    """CREATE TABLE IF NOT EXISTS paths (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        title_fr TEXT NOT NULL,
        title_ar TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS path_modules (
        path_id INTEGER NOT NULL REFERENCES paths(id),
        position INTEGER NOT NULL CHECK (position > 0),
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        PRIMARY KEY (path_id, position),
        UNIQUE (path_id, training_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS cohorts (
        id INTEGER PRIMARY KEY,
        path_id INTEGER NOT NULL REFERENCES paths(id),
        code TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )""",
    # One session per module given in a session (an e-learning module has none).
    """CREATE TABLE IF NOT EXISTS cohort_sessions (
        cohort_id INTEGER NOT NULL REFERENCES cohorts(id),
        position INTEGER NOT NULL,
        session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id),
        PRIMARY KEY (cohort_id, position)
    ) WITHOUT ROWID""",
    # Who booked a cohort whole, or waits for one (arrival order: seq).
    """CREATE TABLE IF NOT EXISTS cohort_members (
        cohort_id INTEGER NOT NULL REFERENCES cohorts(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        status TEXT NOT NULL CHECK (status IN ('booked', 'waitlisted', 'cancelled')),
        seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (cohort_id, user_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS cohort_members_user ON cohort_members(user_id)",
    """CREATE TABLE IF NOT EXISTS elearning_completion (
        user_id INTEGER NOT NULL REFERENCES users(id),
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        completed_at TEXT NOT NULL,
        -- 'self': the person says so, awaiting the trainer's confirmation (not yet complete)
        source TEXT NOT NULL CHECK (source IN ('import', 'self', 'confirmed_by_trainer')),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (user_id, training_id)
    ) WITHOUT ROWID""",
    # Reporting: the facts carry the hours attended, kept by a trigger like the status.
    "ALTER TABLE registration_facts ADD COLUMN hours REAL",
    """CREATE TRIGGER IF NOT EXISTS registration_facts_hours AFTER UPDATE OF hours_attended ON registrations
        WHEN old.hours_attended IS NOT new.hours_attended BEGIN
        UPDATE registration_facts SET hours = new.hours_attended
         WHERE session_id = new.session_id AND registration_id = new.id; END""",
]


def _move_trigger() -> str:
    """The facts' move trigger of schema_indicators, now carrying the hours too: one trigger,
    because SQLite does not promise an order between two triggers on one event."""
    from bot.storage.schema_indicators import fill_facts

    return f"""CREATE TRIGGER registration_facts_move AFTER UPDATE OF session_id, user_id ON registrations
        WHEN old.session_id != new.session_id OR old.user_id != new.user_id BEGIN
        DELETE FROM registration_facts WHERE session_id = old.session_id AND registration_id = old.id;
        {fill_facts("g.id = new.id")};
        UPDATE registration_facts SET hours = new.hours_attended
         WHERE session_id = new.session_id AND registration_id = new.id; END"""


_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)")


def install(conn: sqlite3.Connection) -> None:
    """The migration step; idempotent (a test downgrades a database and runs later steps again)."""
    for statement in SCHEMA:
        added = _ADD_COLUMN.match(statement)
        if added and added[2] in {r[1] for r in conn.execute(f"PRAGMA table_info({added[1]})")}:
            continue
        conn.execute(statement)
    conn.execute("DROP TRIGGER IF EXISTS registration_facts_move")
    conn.execute(_move_trigger())


def refill_hours(conn: sqlite3.Connection) -> None:
    """The facts' hours from the registrations (after a rebuild of the facts)."""
    conn.execute("UPDATE registration_facts SET hours = (SELECT hours_attended FROM registrations"
                 " WHERE id = registration_facts.registration_id)")
