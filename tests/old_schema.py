"""Rows written straight into an older schema, for the tests of one migration (they start from
the version before it: bot.storage.migrations.version_of)."""

from __future__ import annotations

import sqlite3

NOW = "2026-11-01 10:00:00"


def attended_registration(conn: sqlite3.Connection, now: str = NOW) -> None:
    """Person 1 attended session 1 (reference S) of training 1 (code X): registration 1."""
    conn.execute("INSERT INTO users (id, language, consent_at, created_at, updated_at)"
                 " VALUES (1, 'fr', ?, ?, ?)", (now, now, now))
    conn.execute("INSERT INTO trainings (id, code, title_fr, title_ar, theme_code, modality,"
                 " created_at, updated_at) VALUES (1, 'X', 'X', 'X', 'CYBER', 'presentiel', ?, ?)",
                 (now, now))
    conn.execute("INSERT INTO sessions (id, reference, training_id, starts_at, ends_at, capacity,"
                 " created_at, updated_at) VALUES (1, 'S', 1, ?, '2026-11-01 12:00:00', 5, ?, ?)",
                 (now, now, now))
    conn.execute("INSERT INTO registrations (id, session_id, user_id, status, created_at, updated_at)"
                 " VALUES (1, 1, 1, 'attended', ?, ?)", (now, now))
