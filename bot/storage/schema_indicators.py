"""Reporting facts (DESIGN 5.5): one narrow row per registration with the official's reporting
dimensions and evaluation outcomes, kept in step with the source tables by triggers.

Why a derived table: at national scale (1,000,000 registrations, 600,000 officials) joining every
registration to its official costs about 2 µs a row — two seconds for a national dashboard. The
facts row carries sex, administration, level and region itself, clustered by session, so a
dashboard scans a narrow range instead. Triggers run inside the transaction that changes the
source row, so the facts can never disagree with it, and no service has to remember them.
Dimensions follow the official's current profile (a corrected profile corrects the reports);
an erased person's rows follow their anonymous tombstone, which keeps the same dimensions.
"""

from __future__ import annotations

import sqlite3

# The evaluation outcomes of one registration, read from the evaluation tables. `satisfaction`
# and `applied` are the question ids of the overall satisfaction (hot) and of "applied the
# skills?" (cold) in every questionnaire version.
_OUTCOMES = (
    "EXISTS (SELECT 1 FROM responses r WHERE r.registration_id = {rid} AND r.kind = 'hot'"
    " AND r.submitted_at IS NOT NULL)",
    "(SELECT a.score FROM responses r JOIN answers a ON a.response_id = r.id AND a.qid = 'satisfaction'"
    " WHERE r.registration_id = {rid} AND r.kind = 'hot' AND r.submitted_at IS NOT NULL)",
    "EXISTS (SELECT 1 FROM responses r WHERE r.registration_id = {rid} AND r.kind = 'cold'"
    " AND r.submitted_at IS NOT NULL)",
    "(SELECT a.choice != 'never' FROM responses r JOIN answers a ON a.response_id = r.id"
    " AND a.qid = 'applied' WHERE r.registration_id = {rid} AND r.kind = 'cold'"
    " AND r.submitted_at IS NOT NULL)",
)
_OUTCOME_COLUMNS = ("hot", "satisfaction", "cold", "applied")
_COLUMNS = ("session_id, registration_id, status, sex, administration_code, level, region_code, "
            + ", ".join(_OUTCOME_COLUMNS))


def fill_facts(where: str) -> str:
    """INSERT the facts of the registrations matching `where` (g: registrations, u: users)."""
    outcomes = ", ".join(o.format(rid="g.id") for o in _OUTCOMES)
    return (f"INSERT INTO registration_facts ({_COLUMNS})"
            f" SELECT g.session_id, g.id, g.status, u.sex, u.administration_code, u.level,"
            f" u.region_code, {outcomes}"
            f" FROM registrations g LEFT JOIN users u ON u.id = g.user_id WHERE {where}")


def _refresh_outcomes(rid: str) -> str:
    """UPDATE the evaluation outcomes of registration `rid` (an SQL expression)."""
    sets = ", ".join(f"{c} = {o.format(rid=rid)}" for c, o in zip(_OUTCOME_COLUMNS, _OUTCOMES, strict=True))
    return (f"UPDATE registration_facts SET {sets} WHERE registration_id = {rid}"
            f" AND session_id = (SELECT session_id FROM registrations WHERE id = {rid})")


TABLES = [
    """CREATE TABLE registration_facts (
        session_id INTEGER NOT NULL,
        registration_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        sex TEXT,
        administration_code TEXT,
        level TEXT,
        region_code TEXT,
        hot INTEGER NOT NULL DEFAULT 0,     -- a hot evaluation was submitted
        satisfaction INTEGER,               -- its overall satisfaction (1-5)
        cold INTEGER NOT NULL DEFAULT 0,    -- a cold evaluation was submitted
        applied INTEGER,                    -- it says the skills were applied (1) or never (0)
        PRIMARY KEY (session_id, registration_id)
    ) WITHOUT ROWID""",
    # A focal point's reports and exports read one administration.
    "CREATE INDEX registration_facts_administration ON registration_facts(administration_code, session_id)",
]

TRIGGERS = [
    f"""CREATE TRIGGER registration_facts_insert AFTER INSERT ON registrations BEGIN
        {fill_facts("g.id = new.id")}; END""",
    # The frequent case (every registration step): only the state changes.
    """CREATE TRIGGER registration_facts_status AFTER UPDATE OF status ON registrations
        WHEN old.session_id = new.session_id AND old.user_id = new.user_id BEGIN
        UPDATE registration_facts SET status = new.status
         WHERE session_id = new.session_id AND registration_id = new.id; END""",
    # Moved to another session or person (an erasure moves rows to the tombstone): rebuild.
    f"""CREATE TRIGGER registration_facts_move AFTER UPDATE OF session_id, user_id ON registrations
        WHEN old.session_id != new.session_id OR old.user_id != new.user_id BEGIN
        DELETE FROM registration_facts WHERE session_id = old.session_id AND registration_id = old.id;
        {fill_facts("g.id = new.id")}; END""",
    """CREATE TRIGGER registration_facts_delete AFTER DELETE ON registrations BEGIN
        DELETE FROM registration_facts WHERE session_id = old.session_id AND registration_id = old.id;
        END""",
    """CREATE TRIGGER registration_facts_person AFTER UPDATE OF sex, administration_code, level,
        region_code ON users
        WHEN old.sex IS NOT new.sex OR old.administration_code IS NOT new.administration_code
          OR old.level IS NOT new.level OR old.region_code IS NOT new.region_code BEGIN
        UPDATE registration_facts SET sex = new.sex, administration_code = new.administration_code,
               level = new.level, region_code = new.region_code
         WHERE (session_id, registration_id) IN (SELECT session_id, id FROM registrations
                                                  WHERE user_id = new.id); END""",
    *(f"""CREATE TRIGGER registration_facts_response_{name} AFTER {event} ON responses BEGIN
          {_refresh_outcomes(row + ".registration_id")}; END"""
      for name, event, row in (("insert", "INSERT", "new"), ("submit", "UPDATE OF submitted_at", "new"),
                               ("delete", "DELETE", "old"))),
    *(f"""CREATE TRIGGER registration_facts_answer_{name} AFTER {event} ON answers
          WHEN {row}.qid IN ('satisfaction', 'applied') BEGIN
          {_refresh_outcomes(f"(SELECT registration_id FROM responses WHERE id = {row}.response_id)")};
          END"""
      for name, event, row in (("insert", "INSERT", "new"), ("update", "UPDATE", "new"),
                               ("delete", "DELETE", "old"))),
]


# A new registration has no evaluation yet (responses reference registrations, so no response can
# point at an id before its row exists): its facts are its own columns and its official's, with
# no outcome to look up. The insert trigger of the first release read them anyway, four lookups
# on every registration (migration step `_lighter_facts_triggers` replaces it).
FACTS_INSERT = f"""CREATE TRIGGER registration_facts_insert AFTER INSERT ON registrations BEGIN
    INSERT INTO registration_facts ({_COLUMNS})
    SELECT new.session_id, new.id, new.status, u.sex, u.administration_code, u.level,
           u.region_code, 0, NULL, 0, NULL
      FROM (SELECT 1) LEFT JOIN users u ON u.id = new.user_id; END"""


def install(conn: sqlite3.Connection) -> None:
    """The migration step: the facts and their cells, triggers, and what is already there."""
    from bot.storage import schema_cells, schema_scores

    for statement in TABLES + TRIGGERS:
        conn.execute(statement)
    conn.execute(fill_facts("1"))
    schema_cells.install(conn)
    schema_scores.install(conn)


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute every fact and cell from the source tables (after a bulk load without triggers)."""
    from bot.storage import schema_cells, schema_parts, schema_scores

    conn.execute("DELETE FROM registration_facts")
    conn.execute(fill_facts("1"))
    schema_parts.refill_hours(conn)
    schema_cells.rebuild(conn)
    schema_scores.rebuild(conn)
