"""Training hours actually attended, per group of a dimension (DESIGN 5.5, issue 17).

Read from the reporting facts, which carry each registration's `hours_attended` (set from the
marks of a session in parts, partial attendance included). A registration without part marks
counts its session's hours when attended, nothing otherwise: the training's declared duration,
else the sum of its session's parts, else the session's span. One facts row per registration:
a person counts once whatever the number of parts.
"""

from __future__ import annotations

import sqlite3

from bot.storage.indicators import DIMENSIONS, FACTS_FROM, Scope

HOURS = """COALESCE(f.hours, CASE WHEN f.status = 'attended' THEN COALESCE(t.duration_hours,
    (SELECT SUM(julianday(p.ends_at) - julianday(p.starts_at)) * 24 FROM session_parts p
      WHERE p.session_id = s.id),
    (julianday(s.ends_at) - julianday(s.starts_at)) * 24) END, 0)"""


def hours(conn: sqlite3.Connection, scope: Scope, dimension: str = "total") -> list[sqlite3.Row]:
    """Per group: `people` who attended some hours and `hours` attended (rounded to 0.1)."""
    where, params = scope.where()
    return conn.execute(
        f"""SELECT {DIMENSIONS[dimension]} AS k, SUM({HOURS} > 0) AS people,
                   ROUND(SUM({HOURS}), 1) AS hours
              {FACTS_FROM} WHERE {where} GROUP BY 1 HAVING hours > 0 ORDER BY hours DESC, 1""",
        params).fetchall()
