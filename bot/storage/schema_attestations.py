"""Attestations of several kinds (issue 17): beside the attestation de participation, an
attestation de réussite for a post-test at or above the pass mark, with the score and the pass
mark as printed. One table, so one verification code space, one /verify, one erasure.

The original table allowed one attestation per registration (`registration_id UNIQUE`); SQLite
cannot change a constraint in place, so the step rebuilds the table (nothing references it) and
every existing row becomes a 'participation'."""

from __future__ import annotations

import sqlite3

ATTESTATIONS = """CREATE TABLE attestations (
    code TEXT PRIMARY KEY CHECK (length(code) = 10),
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    kind TEXT NOT NULL DEFAULT 'participation' CHECK (kind IN ('participation', 'success')),
    full_name TEXT NOT NULL,
    sex TEXT CHECK (sex IN ('F', 'M')),
    administration_fr TEXT NOT NULL DEFAULT '',
    administration_ar TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_ar TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    hours REAL CHECK (hours IS NULL OR hours > 0),
    issued_at TEXT NOT NULL,
    -- success: the post-test's points, its maximum and the pass mark, as printed
    score REAL,
    max_score REAL,
    pass_mark REAL,
    UNIQUE (registration_id, kind),
    CHECK ((kind = 'success') = (score IS NOT NULL AND max_score IS NOT NULL AND pass_mark IS NOT NULL))
)"""

COLUMNS = ("code, registration_id, full_name, sex, administration_fr, administration_ar, reference,"
           " title_fr, title_ar, starts_at, ends_at, hours, issued_at")


def install(conn: sqlite3.Connection) -> None:
    """The migration step; idempotent (a table that has `kind` is left alone)."""
    if "kind" in {r[1] for r in conn.execute("PRAGMA table_info(attestations)")}:
        return
    conn.execute("PRAGMA defer_foreign_keys = ON")  # until this transaction commits
    conn.execute("ALTER TABLE attestations RENAME TO old_attestations")
    conn.execute(ATTESTATIONS)
    conn.execute(f"INSERT INTO attestations ({COLUMNS}, kind)"
                 f" SELECT {COLUMNS}, 'participation' FROM old_attestations")
    conn.execute("DROP TABLE old_attestations")
