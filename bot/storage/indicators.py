"""Indicator queries (DESIGN 5.5) on the reporting facts and their cells, session rosters and
fill rates (tables: bot/storage/schema_indicators.py, schema_cells.py).

Every query takes an optional administration: a focal point's scope is applied here, in SQL,
never by filtering afterwards. Period bounds are UTC instants of session starts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.storage.registrations import SEAT_SQL
from bot.storage.schema_cells import COUNTERS

# What a breakdown groups by, on the facts (f): the official's dimensions come from the facts,
# the training's from the session.
DIMENSIONS = {
    "total": "''",
    "sex": "f.sex",
    "administration": "f.administration_code",
    "level": "f.level",
    "region": "f.region_code",
    "modality": "t.modality",
    "training": "s.training_id",
}
# The same on the cells (c), and which kind of cell holds it (see schema_cells).
_CELL_KEYS = {
    "total": "''", "sex": "NULLIF(c.sex, '')", "administration": "NULLIF(c.administration_code, '')",
    "level": "NULLIF(c.level, '')", "region": "NULLIF(c.region_code, '')", "modality": "t.modality",
    "training": "s.training_id",
}
SEATED = SEAT_SQL  # held a seat (fill rate): the registrations' one rule
# Roster order: the people with a place first, then those waiting (in arrival order), then the rest.
STATUS_ORDER = ("attended", "absent", "confirmed", "offered", "requested", "waitlisted", "cancelled",
                "declined", "lapsed", "rejected")


@dataclass(frozen=True)
class Scope:
    """What a query covers: session starts in [start, end) (None: no bound), one administration,
    one training."""

    start: str | None = None
    end: str | None = None
    administration: str | None = None
    training_id: int | None = None

    def where(self, alias: str = "f") -> tuple[str, list]:
        """The WHERE clause on sessions `s` and facts or cells `alias`."""
        clauses: list[str] = ["1"]
        params: list[str | int] = []
        if self.start is not None:
            clauses.append("s.starts_at >= ?")
            params.append(self.start)
        if self.end is not None:
            clauses.append("s.starts_at < ?")
            params.append(self.end)
        if self.administration is not None:
            clauses.append(f"{alias}.administration_code = ?")
            params.append(self.administration)
        if self.training_id is not None:
            clauses.append("s.training_id = ?")
            params.append(self.training_id)
        return " AND ".join(clauses), params


FACTS_FROM = """FROM registration_facts f JOIN sessions s ON s.id = f.session_id
          JOIN trainings t ON t.id = s.training_id"""
_ORDER = "GROUP BY 1, 2 ORDER BY registrations DESC, 1, 2"


def breakdown(conn: sqlite3.Connection, scope: Scope, dimension: str,
              by_sex: bool = False) -> list[sqlite3.Row]:
    """Registration, attendance and evaluation counts per group of one dimension (and sex)."""
    if scope.administration is not None and dimension == "region":
        return _facts_breakdown(conn, scope, dimension, by_sex)  # no cell holds both
    kind = ("R" if dimension == "region" else
            "L" if dimension in ("administration", "level") or scope.administration else "S")
    where, params = scope.where("c")
    sex = "NULLIF(c.sex, '')" if by_sex else "NULL"
    sums = ", ".join(f"SUM(c.{c}) AS {c}" for c in COUNTERS)
    by = {f"{who}{what}": f"SUM(CASE WHEN c.sex = '{sex}' THEN c.{column} ELSE 0 END)"
          for who, sex in (("women", "F"), ("men", "M"))
          for what, column in (("", "registrations"), ("_attended", "attended"))}
    return conn.execute(
        f"""SELECT {_CELL_KEYS[dimension]} AS k, {sex} AS sx, {sums},
                   {", ".join(f"{expr} AS {name}" for name, expr in by.items())}
              FROM indicator_cells c JOIN sessions s ON s.id = c.session_id
              JOIN trainings t ON t.id = s.training_id
             WHERE c.kind = '{kind}' AND {where} {_ORDER}""",
        params).fetchall()


def _facts_breakdown(conn: sqlite3.Connection, scope: Scope, dimension: str,
                     by_sex: bool) -> list[sqlite3.Row]:
    where, params = scope.where()
    sex = "f.sex" if by_sex else "NULL"
    return conn.execute(
        f"""SELECT {DIMENSIONS[dimension]} AS k, {sex} AS sx, COUNT(*) AS registrations,
                   SUM(f.status IN ('confirmed', 'attended', 'absent')) AS confirmed,
                   SUM(f.status IN ('waitlisted', 'offered')) AS waitlisted,
                   SUM(f.status IN ('requested', 'waitlisted', 'offered')) AS pending,
                   SUM(f.status IN ('cancelled', 'declined', 'lapsed', 'rejected')) AS ended,
                   SUM(f.status = 'attended') AS attended, SUM(f.status = 'absent') AS absent,
                   SUM(f.sex = 'F') AS women, SUM(f.sex = 'M') AS men,
                   SUM(f.status = 'attended' AND f.sex = 'F') AS women_attended,
                   SUM(f.status = 'attended' AND f.sex = 'M') AS men_attended,
                   SUM(f.hot) AS hot, SUM(f.satisfaction) AS satisfaction_sum,
                   COUNT(f.satisfaction) AS satisfaction_n, SUM(f.cold) AS cold,
                   SUM(f.applied) AS applied, COUNT(f.applied) AS applied_n
              {FACTS_FROM} WHERE {where} {_ORDER}""",
        params).fetchall()


def scores(conn: sqlite3.Connection, scope: Scope, kind: str, dimension: str) -> list[sqlite3.Row]:
    """Per group and scale question: respondents and the sum of their scores (submitted only)."""
    if scope.administration is None and dimension in ("total", "sex", "modality", "training"):
        where, params = scope.where("c")
        key = {"total": "''", "sex": "NULLIF(c.sex, '')"}.get(dimension, _CELL_KEYS[dimension])
        return conn.execute(
            f"""SELECT {key} AS k, c.qid, SUM(c.respondents) AS n, SUM(c.total) AS total
                  FROM score_cells c JOIN sessions s ON s.id = c.session_id
                  JOIN trainings t ON t.id = s.training_id
                 WHERE c.kind = ? AND {where} GROUP BY 1, 2""", [kind, *params]).fetchall()
    where, params = scope.where()
    flag = "f.hot" if kind == "hot" else "f.cold"
    # CROSS JOIN fixes the order (SQLite would otherwise be tempted to build an index of every
    # response): the scope's facts first, then their response, then its answers.
    first = ("registration_facts f CROSS JOIN sessions s" if scope.administration
             else "sessions s CROSS JOIN registration_facts f")
    return conn.execute(
        f"""SELECT {DIMENSIONS[dimension]} AS k, a.qid, COUNT(*) AS n, SUM(a.score) AS total
              FROM {first} CROSS JOIN responses r CROSS JOIN answers a
              JOIN trainings t ON t.id = s.training_id
             WHERE s.id = f.session_id AND r.registration_id = f.registration_id AND r.kind = ?
               AND r.submitted_at IS NOT NULL AND a.response_id = r.id AND a.score IS NOT NULL
               AND {flag} = 1 AND {where} GROUP BY 1, 2""",
        [kind, *params]).fetchall()


def satisfaction_distribution(conn: sqlite3.Connection, scope: Scope) -> list[sqlite3.Row]:
    """Per training: how many hot respondents gave each overall satisfaction score."""
    where, params = scope.where()
    return conn.execute(
        f"""SELECT s.training_id AS k, t.title_fr, t.title_ar, f.satisfaction AS score, COUNT(*) AS n
              {FACTS_FROM} WHERE f.satisfaction IS NOT NULL AND {where} GROUP BY 1, 4 ORDER BY 1, 4""",
        params).fetchall()


def fill_by_month(conn: sqlite3.Connection, scope: Scope) -> list[sqlite3.Row]:
    """Per month of session start: seats held and seats offered (published sessions only).
    Scoped to an administration: the sessions its officials took part in."""
    where, params = Scope(scope.start, scope.end, None, scope.training_id).where()
    mine = ("AND EXISTS (SELECT 1 FROM registration_facts f WHERE f.session_id = s.id"
            " AND f.administration_code = ?)") if scope.administration else ""
    return conn.execute(
        f"""SELECT substr(s.starts_at, 1, 7) AS month, SUM(s.capacity) AS capacity,
                   SUM((SELECT COUNT(*) FROM registrations g WHERE g.session_id = s.id
                        AND g.status IN {SEATED})) AS taken
              FROM sessions s WHERE s.status = 'published' AND {where} {mine}
             GROUP BY 1 ORDER BY 1""",
        [*params, *([scope.administration] if scope.administration else [])]).fetchall()


# --- rosters and sessions --------------------------------------------------------------------------
def trainings_page(conn: sqlite3.Connection, administration: str | None, offset: int,
                   limit: int) -> tuple[list[sqlite3.Row], int]:
    """Trainings that have sessions (for a focal point: sessions with their officials)."""
    mine = ("AND EXISTS (SELECT 1 FROM registration_facts f WHERE f.session_id = s.id"
            " AND f.administration_code = :adm)") if administration else ""
    rows = conn.execute(
        f"""SELECT t.id, t.title_fr, t.title_ar, COUNT(*) AS sessions, COUNT(*) OVER () AS _total
              FROM trainings t JOIN sessions s ON s.training_id = t.id WHERE 1 {mine}
             GROUP BY t.id ORDER BY t.title_fr, t.id LIMIT :limit OFFSET :offset""",
        {"adm": administration, "limit": limit, "offset": offset}).fetchall()
    return rows, rows[0]["_total"] if rows else 0


def sessions_page(conn: sqlite3.Connection, training_id: int, administration: str | None,
                  offset: int, limit: int) -> tuple[list[sqlite3.Row], int]:
    """A training's sessions, newest first, with seats held and (scoped) the administration's people."""
    ours = ("(SELECT COUNT(*) FROM registration_facts f WHERE f.session_id = s.id"
            " AND f.administration_code = :adm)") if administration else "NULL"
    rows = conn.execute(
        f"""SELECT * FROM (SELECT s.id, s.reference, s.starts_at, s.capacity, s.status, s.region_code,
                   s.online_url, (SELECT COUNT(*) FROM registrations g WHERE g.session_id = s.id
                                   AND g.status IN {SEATED}) AS taken, {ours} AS ours
              FROM sessions s WHERE s.training_id = :training)
             WHERE :adm IS NULL OR ours > 0
             ORDER BY starts_at DESC, id LIMIT :limit OFFSET :offset""",
        {"training": training_id, "adm": administration, "limit": limit, "offset": offset}).fetchall()
    total = conn.execute(
        f"SELECT COUNT(*) FROM sessions s WHERE s.training_id = :training AND (:adm IS NULL OR {ours} > 0)",
        {"training": training_id, "adm": administration}).fetchone()[0]
    return rows, total


def status_counts(conn: sqlite3.Connection, session_id: int, administration: str | None) -> dict[str, int]:
    rows = conn.execute(
        "SELECT status, COUNT(*) FROM registration_facts WHERE session_id = :s"
        " AND (:adm IS NULL OR administration_code = :adm) GROUP BY status",
        {"s": session_id, "adm": administration}).fetchall()
    return {r[0]: r[1] for r in rows}


def roster_page(conn: sqlite3.Connection, session_id: int, administration: str | None, offset: int,
                limit: int) -> list[sqlite3.Row]:
    """A page of the session's registrations with the people's profiles, in roster order."""
    rank = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUS_ORDER))
    return conn.execute(
        f"""SELECT g.id, g.status, g.seq, u.full_name, u.sex, u.administration_code, u.level,
                   u.region_code, g.hours_attended,
                   (SELECT SUM(julianday(p.ends_at) - julianday(p.starts_at)) * 24
                      FROM session_parts p WHERE p.session_id = g.session_id) AS parts_hours
              FROM registrations g JOIN users u ON u.id = g.user_id
             WHERE g.session_id = :s AND (:adm IS NULL OR u.administration_code = :adm)
             ORDER BY CASE g.status {rank} END, g.seq, g.id LIMIT :limit OFFSET :offset""",
        {"s": session_id, "adm": administration, "limit": limit, "offset": offset}).fetchall()
