"""Competence plans (PRC, DESIGN 5.6), reserved places per administration, and the
administrations' hierarchy. Invariants are CHECKed here as everywhere (bot/storage/schema.py).

A plan is one administration × a period of years; what is written, submitted and validated is a
*version* of it (its lines belong to the version), so a revision never rewrites what was
validated. Each version's status changes are kept in plan_events (and in the audit log).
"""

from __future__ import annotations

import sqlite3

STATUSES = ("draft", "submitted", "validated", "returned", "active", "closed", "superseded")
TRACKS = ("strategique", "operationnel")  # the codes of themes.kind and trainings.level

TABLES = [
    # Ministries have directorates, agencies have supervising ministries: a parent, optional.
    "ALTER TABLE administrations ADD COLUMN parent_code TEXT REFERENCES administrations(code)",
    """CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        administration_code TEXT NOT NULL REFERENCES administrations(code),
        start_year INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
        end_year INTEGER NOT NULL CHECK (end_year BETWEEN start_year AND start_year + 5),
        created_by INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (administration_code, start_year, end_year)
    )""",
    f"""CREATE TABLE plan_versions (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        number INTEGER NOT NULL CHECK (number >= 1),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN {STATUSES}),
        reason TEXT,                        -- why it was returned
        created_by INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (plan_id, number),
        CHECK (status IS NOT 'returned' OR reason IS NOT NULL)
    )""",
    """CREATE TABLE plan_events (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES plan_versions(id),
        status TEXT NOT NULL,               -- the status entered
        actor_id INTEGER,
        at TEXT NOT NULL,
        reason TEXT
    )""",
    "CREATE INDEX plan_events_version ON plan_events(version_id)",
    f"""CREATE TABLE plan_lines (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES plan_versions(id),
        theme_code TEXT REFERENCES themes(code),
        training_id INTEGER REFERENCES trainings(id),
        track TEXT NOT NULL CHECK (track IN {TRACKS}),
        position_code TEXT REFERENCES positions(code),
        level TEXT CHECK (level IN ('central', 'territorial')),
        region_code TEXT REFERENCES regions(code),
        target_people INTEGER NOT NULL CHECK (target_people > 0),
        target_women INTEGER NOT NULL DEFAULT 0 CHECK (target_women BETWEEN 0 AND target_people),
        target_hours REAL NOT NULL DEFAULT 0 CHECK (target_hours >= 0),
        semester TEXT NOT NULL CHECK (semester GLOB '[0-9][0-9][0-9][0-9]-S[12]'),
        priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
        CHECK (theme_code IS NOT NULL OR training_id IS NOT NULL)
    )""",
    "CREATE INDEX plan_lines_version ON plan_lines(version_id)",
    # The sessions a line counts (a national session may serve several administrations' lines).
    """CREATE TABLE plan_line_sessions (
        line_id INTEGER NOT NULL REFERENCES plan_lines(id) ON DELETE CASCADE,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        PRIMARY KEY (line_id, session_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX plan_line_sessions_session ON plan_line_sessions(session_id)",
    # Places held for an administration's officials until release_at (NULL: for the whole
    # registration period). Not yet enforced by the registration path (see bot/storage/quotas.py).
    """CREATE TABLE session_quotas (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        administration_code TEXT NOT NULL REFERENCES administrations(code),
        places INTEGER NOT NULL CHECK (places > 0),
        release_at TEXT,
        PRIMARY KEY (session_id, administration_code)
    ) WITHOUT ROWID""",
]


def install(conn: sqlite3.Connection) -> None:
    for statement in TABLES:
        conn.execute(statement)
