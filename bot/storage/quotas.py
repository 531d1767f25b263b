"""Places reserved per administration on a session (table session_quotas), until a release date.

NOT YET ENFORCED: the registration path does not call quota_allows yet (issue 16, next step).
The rule it will apply: while a quota stands (release_at in the future, or none), the places an
administration reserved and has not filled yet are held for it; anyone else may take a seat
only if one is left beside them.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage.registrations import SEAT_SQL
from bot.timeutil import to_db


def set_quota(conn: sqlite3.Connection, session_id: int, administration: str, places: int,
              release_at: datetime | None) -> None:
    conn.execute(
        "INSERT INTO session_quotas (session_id, administration_code, places, release_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, administration_code) DO UPDATE SET"
        " places = excluded.places, release_at = excluded.release_at",
        (session_id, administration, places, to_db(release_at) if release_at else None))


def quota_allows(conn: sqlite3.Connection, session_id: int, administration: str | None,
                 now: datetime) -> bool:
    """Whether an official of `administration` may take a seat of the session at `now`: the
    seats taken plus the places still held for *other* administrations leave one free."""
    row = conn.execute(
        f"""SELECT s.capacity,
                   (SELECT COUNT(*) FROM registrations g WHERE g.session_id = s.id
                     AND g.status IN {SEAT_SQL}) AS taken,
                   (SELECT IFNULL(SUM(MAX(0, q.places - (
                        SELECT COUNT(*) FROM registration_facts f WHERE f.session_id = q.session_id
                           AND f.administration_code = q.administration_code
                           AND f.status IN {SEAT_SQL}))), 0)
                      FROM session_quotas q WHERE q.session_id = s.id
                       AND q.administration_code IS NOT :adm
                       AND (q.release_at IS NULL OR q.release_at > :now)) AS held
              FROM sessions s WHERE s.id = :sid""",
        {"sid": session_id, "adm": administration, "now": to_db(now)}).fetchone()
    return row is not None and row["taken"] + row["held"] < row["capacity"]
