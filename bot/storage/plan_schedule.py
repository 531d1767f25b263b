"""The plan lines a session may be scheduled for together (bot/services/plan_schedule.py): lines
of the latest validated or active version of each plan, of one theme, with their plan's
administration and years."""

from __future__ import annotations

import sqlite3

_LINES = """SELECT l.*, COALESCE(l.theme_code, t.theme_code) AS theme, p.administration_code,
                   p.start_year, p.end_year, v.plan_id, v.status AS plan_status
              FROM plan_lines l JOIN plan_versions v ON v.id = l.version_id
              JOIN plans p ON p.id = v.plan_id LEFT JOIN trainings t ON t.id = l.training_id"""


def line(conn: sqlite3.Connection, line_id: int) -> sqlite3.Row | None:
    return conn.execute(f"{_LINES} WHERE l.id = ?", (line_id,)).fetchone()


def of_theme(conn: sqlite3.Connection, theme: str, statuses: tuple[str, ...],
             limit: int) -> list[sqlite3.Row]:
    """Lines of the theme (named, or through their training) in versions of these statuses, by
    semester, priority and administration."""
    marks = ", ".join("?" for _ in statuses)
    return conn.execute(
        f"""{_LINES} WHERE COALESCE(l.theme_code, t.theme_code) = ? AND v.status IN ({marks})
            ORDER BY l.semester, l.priority, p.administration_code, l.id LIMIT ?""",
        (theme, *statuses, limit)).fetchall()
