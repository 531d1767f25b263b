"""Indicators that count people (issue 16), on the attendance facts (schema_people.py).

A person trained in a period attended at least one session starting in it; they count once per
group however many sessions they attended. Training hours are person-hours: each attended
registration adds its session's hours (SESSION_HOURS). The person's dimensions come from the
facts (their current profile, or their tombstone's), the session's from its training.
"""

from __future__ import annotations

import sqlite3

# The hours one attendance is worth: the catalogue's duration of the training when it has one
# (a 14-hour training is 14 hours however its days are laid out); else the session's own length,
# at most 8 hours for each calendar day it touches (a two-day session is not 32 hours long).
SESSION_HOURS = """COALESCE(t.duration_hours, MIN(
    (julianday(s.ends_at) - julianday(s.starts_at)) * 24,
    8 * (julianday(date(s.ends_at)) - julianday(date(s.starts_at)) + 1)))"""
# A session's track: the training's own level when it says strategic or operational; for a
# training open to every level ('tous'), the kind of its theme.
TRACK = "CASE WHEN t.level IN ('strategique', 'operationnel') THEN t.level ELSE th.kind END"

# What a breakdown groups by: the person's dimensions on the facts (a), the session's on x.
DIMENSIONS = {
    "total": "''",
    "sex": "a.sex",
    "administration": "a.administration_code",
    "level": "a.level",
    "region": "a.region_code",
    "position": "a.position_code",
    "theme": "x.theme_code",
    "track": "x.track",
    "modality": "x.modality",
    "training": "x.training_id",
}

# The sessions of a scope with what the indicators need of each (small: a semester holds a few
# hundred sessions nationally), then their attendances.
SESSIONS = f"""SELECT s.id, t.id AS training_id, t.theme_code, t.modality, {TRACK} AS track,
                      {SESSION_HOURS} AS hours
                 FROM sessions s JOIN trainings t ON t.id = s.training_id
                 JOIN themes th ON th.code = t.theme_code"""
FIGURES = """COUNT(DISTINCT a.user_id) AS people,
             COUNT(DISTINCT CASE WHEN a.sex = 'F' THEN a.user_id END) AS women,
             IFNULL(SUM(x.hours), 0) AS hours, COUNT(*) AS attendances"""


def breakdown(conn: sqlite3.Connection, start: str, end: str, dimension: str,
              administration: str | None = None) -> list[sqlite3.Row]:
    """People trained, women among them, person-hours and attendances per group, for sessions
    starting in [start, end); one administration's officials only if given."""
    key = DIMENSIONS[dimension]
    mine = "AND a.administration_code = :adm" if administration is not None else ""
    return conn.execute(
        f"""WITH x AS MATERIALIZED ({SESSIONS} WHERE s.starts_at >= :start AND s.starts_at < :end)
            SELECT {key} AS k, {FIGURES}
              FROM x CROSS JOIN attendance_facts a
             WHERE a.session_id = x.id {mine}
             GROUP BY 1 ORDER BY people DESC, 1""",
        {"start": start, "end": end, "adm": administration}).fetchall()
