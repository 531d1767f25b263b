"""What plans achieved, computed from attendance (never typed), and the common plan's sums.

A line's sessions are the ones linked to it; a line with no linked session counts the sessions
of its training (or, without one, of its theme) starting in its semester, not cancelled. Linked
sessions count wherever they fall (a session that slipped to the next semester still serves the
line it was scheduled for). Its people are the plan's administration's officials who attended
one of those sessions, matching the line's position, level and region when it names them.
"""

from __future__ import annotations

import sqlite3

from bot.storage.people_indicators import FIGURES, SESSIONS, TRACK

_LINKED = "s.id IN (SELECT session_id FROM plan_line_sessions WHERE line_id = :line)"
_BY_SEMESTER = """s.starts_at >= :start AND s.starts_at < :end AND s.status != 'cancelled'
                  AND (t.id = :training OR (:training IS NULL AND t.theme_code = :theme))"""


def achieved(conn: sqlite3.Connection, line: sqlite3.Row, administration: str, start: str,
             end: str) -> sqlite3.Row:
    """People, women, person-hours and attendances of one line; [start, end) its semester."""
    linked = conn.execute("SELECT 1 FROM plan_line_sessions WHERE line_id = ? LIMIT 1",
                          (line["id"],)).fetchone() is not None
    return conn.execute(
        f"""WITH x AS MATERIALIZED ({SESSIONS} WHERE {_LINKED if linked else _BY_SEMESTER})
            SELECT {FIGURES}, (SELECT COUNT(*) FROM x) AS sessions
              FROM x CROSS JOIN attendance_facts a
             WHERE a.session_id = x.id AND a.administration_code = :adm
               AND (:position IS NULL OR a.position_code = :position)
               AND (:level IS NULL OR a.level = :level)
               AND (:region IS NULL OR a.region_code = :region)""",
        {"line": line["id"], "start": start, "end": end, "training": line["training_id"],
         "theme": line["theme_code"], "adm": administration, "position": line["position_code"],
         "level": line["level"], "region": line["region_code"]}).fetchone()


def common_targets(conn: sqlite3.Connection, start_year: int | None,
                   end_year: int | None) -> list[sqlite3.Row]:
    """Targets of validated and active plan versions (overlapping the years, if given), summed
    by theme and track."""
    return conn.execute(
        """SELECT COALESCE(l.theme_code, t.theme_code) AS theme, l.track,
                  COUNT(DISTINCT p.id) AS plans, COUNT(*) AS lines,
                  SUM(l.target_people) AS people, SUM(l.target_women) AS women,
                  SUM(l.target_hours) AS hours
             FROM plan_lines l JOIN plan_versions v ON v.id = l.version_id
             JOIN plans p ON p.id = v.plan_id LEFT JOIN trainings t ON t.id = l.training_id
            WHERE v.status IN ('validated', 'active')
              AND (:last IS NULL OR p.start_year <= :last) AND (:first IS NULL OR p.end_year >= :first)
            GROUP BY 1, 2""", {"first": start_year, "last": end_year}).fetchall()


def demand(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Distinct people on the interest lists, by theme and track of the trainings they want."""
    return conn.execute(
        f"""SELECT t.theme_code AS theme, {TRACK} AS track, COUNT(DISTINCT i.user_id) AS people
              FROM interests i JOIN trainings t ON t.id = i.training_id
              JOIN themes th ON th.code = t.theme_code GROUP BY 1, 2""").fetchall()


def track_of(conn: sqlite3.Connection, theme: str | None, training_id: int | None) -> str | None:
    """The track a line takes when none is given: its training's, else its theme's kind."""
    if training_id is not None:
        row = conn.execute(f"SELECT {TRACK} FROM trainings t JOIN themes th ON th.code = t.theme_code"
                           " WHERE t.id = ?", (training_id,)).fetchone()
    else:
        row = conn.execute("SELECT kind FROM themes WHERE code = ?", (theme,)).fetchone()
    return row[0] if row else None
