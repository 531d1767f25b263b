"""What the chat offers while writing a plan: a theme's trainings, and the sessions a line may be
linked to (its training's, or its theme's, not cancelled, within the plan's years)."""

from __future__ import annotations

import sqlite3


def theme_trainings(conn: sqlite3.Connection, theme: str, limit: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT id, code, title_fr, title_ar FROM trainings WHERE theme_code = ?"
                        " ORDER BY code LIMIT ?", (theme, limit)).fetchall()


def line_sessions(conn: sqlite3.Connection, line_id: int, start: str, end: str,
                  limit: int) -> list[sqlite3.Row]:
    """Sessions of the line's training (or theme) starting in [start, end), each with whether it
    is linked to the line already; linked ones first, then by start."""
    return conn.execute(
        """SELECT s.id, s.reference, s.starts_at, t.title_fr, t.title_ar,
                  EXISTS (SELECT 1 FROM plan_line_sessions k
                           WHERE k.line_id = l.id AND k.session_id = s.id) AS linked
             FROM plan_lines l JOIN trainings t
                  ON (l.training_id IS NOT NULL AND t.id = l.training_id)
                  OR (l.training_id IS NULL AND t.theme_code = l.theme_code)
             JOIN sessions s ON s.training_id = t.id
            WHERE l.id = ? AND s.status != 'cancelled' AND s.starts_at >= ? AND s.starts_at < ?
            ORDER BY linked DESC, s.starts_at, s.id LIMIT ?""",
        (line_id, start, end, limit)).fetchall()
