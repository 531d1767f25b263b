"""Score cells: the scale answers of submitted evaluations, counted per session, kind, question
and sex, kept by triggers.

Why: a national "mean score of every question" reads every scale answer — over two million
rows at national scale, seconds of SQLite work per screen. Counted per session it is a few
hundred thousand small rows. The cells follow every submitted answer (added at submission,
adjusted if an answer changes, taken away if a response goes) and every facts row (a corrected
sex, a registration moved to an anonymous tombstone), so they cannot drift. A breakdown of
scores by administration, level or region is not kept here: those read the answers directly.
"""

from __future__ import annotations

import sqlite3

_KEY = "session_id, kind, qid, sex"
_UPSERT = (f" ON CONFLICT ({_KEY}) DO UPDATE SET respondents = respondents + excluded.respondents,"
           " total = total + excluded.total")

TABLES = [
    f"""CREATE TABLE score_cells (
        session_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('hot', 'cold')),
        qid TEXT NOT NULL,
        sex TEXT NOT NULL,
        respondents INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY ({_KEY})
    ) WITHOUT ROWID""",
]


def _registration(sign: str, registration: str, session: str, sex: str) -> str:
    """Count (+) or uncount (-) every submitted scale answer of one registration."""
    return (f"INSERT INTO score_cells ({_KEY}, respondents, total)"
            f" SELECT {session}, r.kind, a.qid, IFNULL({sex}, ''), {sign}1, {sign}a.score"
            f" FROM responses r JOIN answers a ON a.response_id = r.id"
            f" WHERE r.registration_id = {registration} AND r.submitted_at IS NOT NULL"
            f" AND a.score IS NOT NULL{_UPSERT}")


def _response(sign: str, row: str, condition: str = "1") -> str:
    """Count or uncount the scale answers of one response (`row`: new or old responses row)."""
    return (f"INSERT INTO score_cells ({_KEY}, respondents, total)"
            f" SELECT f.session_id, {row}.kind, a.qid, IFNULL(f.sex, ''), {sign}1, {sign}a.score"
            f" FROM answers a JOIN registrations g ON g.id = {row}.registration_id"
            f" JOIN registration_facts f ON f.session_id = g.session_id AND f.registration_id = g.id"
            f" WHERE a.response_id = {row}.id AND a.score IS NOT NULL AND {condition}{_UPSERT}")


def _answer(sign: str, row: str) -> str:
    """Count or uncount one answer, if its response is submitted (`row`: new or old answers row)."""
    return (f"INSERT INTO score_cells ({_KEY}, respondents, total)"
            f" SELECT f.session_id, r.kind, {row}.qid, IFNULL(f.sex, ''), {sign}1, {sign}{row}.score"
            f" FROM responses r JOIN registrations g ON g.id = r.registration_id"
            f" JOIN registration_facts f ON f.session_id = g.session_id AND f.registration_id = g.id"
            f" WHERE r.id = {row}.response_id AND r.submitted_at IS NOT NULL"
            f" AND {row}.score IS NOT NULL{_UPSERT}")


def _tidy(session: str) -> str:
    return f"DELETE FROM score_cells WHERE session_id = {session} AND respondents = 0"


# A facts row without a submitted evaluation (every new registration) has no answer to count.
FACTS_INSERT = f"""CREATE TRIGGER score_cells_facts_insert AFTER INSERT ON registration_facts
    WHEN new.hot OR new.cold BEGIN
    {_registration('+', 'new.registration_id', 'new.session_id', 'new.sex')}; END"""

TRIGGERS = [
    # Facts rows: a registration counted elsewhere (new session or sex, or the tombstone's).
    f"""CREATE TRIGGER score_cells_facts_insert AFTER INSERT ON registration_facts BEGIN
        {_registration('+', 'new.registration_id', 'new.session_id', 'new.sex')}; END""",
    f"""CREATE TRIGGER score_cells_facts_delete AFTER DELETE ON registration_facts BEGIN
        {_registration('-', 'old.registration_id', 'old.session_id', 'old.sex')};
        {_tidy('old.session_id')}; END""",
    f"""CREATE TRIGGER score_cells_facts_update AFTER UPDATE ON registration_facts
        WHEN old.session_id != new.session_id OR old.sex IS NOT new.sex BEGIN
        {_registration('-', 'old.registration_id', 'old.session_id', 'old.sex')};
        {_registration('+', 'new.registration_id', 'new.session_id', 'new.sex')};
        {_tidy('old.session_id')}; END""",
    # Responses: answers count from the submission on.
    f"""CREATE TRIGGER score_cells_response_insert AFTER INSERT ON responses
        WHEN new.submitted_at IS NOT NULL BEGIN {_response('+', 'new')}; END""",
    f"""CREATE TRIGGER score_cells_response_submit AFTER UPDATE OF submitted_at ON responses
        WHEN (old.submitted_at IS NULL) != (new.submitted_at IS NULL) BEGIN
        {_response('+', 'new', 'new.submitted_at IS NOT NULL')};
        {_response('-', 'old', 'old.submitted_at IS NOT NULL')};
        DELETE FROM score_cells WHERE respondents = 0 AND session_id =
            (SELECT session_id FROM registrations WHERE id = old.registration_id); END""",
    # BEFORE: its answers (deleted by the cascade) must still be there to be taken away.
    f"""CREATE TRIGGER score_cells_response_delete BEFORE DELETE ON responses
        WHEN old.submitted_at IS NOT NULL BEGIN {_response('-', 'old')};
        DELETE FROM score_cells WHERE respondents = 0 AND session_id =
            (SELECT session_id FROM registrations WHERE id = old.registration_id); END""",
    # Answers changed after the submission (the cascade of a deleted response finds none).
    f"""CREATE TRIGGER score_cells_answer_insert AFTER INSERT ON answers
        WHEN new.score IS NOT NULL BEGIN {_answer('+', 'new')}; END""",
    f"""CREATE TRIGGER score_cells_answer_update AFTER UPDATE ON answers
        WHEN old.score IS NOT new.score BEGIN {_answer('-', 'old')}; {_answer('+', 'new')}; END""",
    f"""CREATE TRIGGER score_cells_answer_delete AFTER DELETE ON answers
        WHEN old.score IS NOT NULL BEGIN {_answer('-', 'old')}; END""",
]


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount every cell from the facts and the answers."""
    conn.execute("DELETE FROM score_cells")
    conn.execute(
        f"""INSERT INTO score_cells ({_KEY}, respondents, total)
            SELECT f.session_id, r.kind, a.qid, IFNULL(f.sex, ''), COUNT(*), SUM(a.score)
              FROM registration_facts f
              JOIN responses r ON r.registration_id = f.registration_id AND r.submitted_at IS NOT NULL
              JOIN answers a ON a.response_id = r.id AND a.score IS NOT NULL
             GROUP BY 1, 2, 3, 4""")


def install(conn: sqlite3.Connection) -> None:
    for statement in TABLES + TRIGGERS:
        conn.execute(statement)
    rebuild(conn)
