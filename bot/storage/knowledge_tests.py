"""Knowledge tests: attempts (pre / post) per registration with their scored answers, passes
(eligibility for an attestation de réussite), and the rows aggregates are computed from. Plain
functions on a connection."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage import privacy
from bot.storage.evaluations import Questionnaire, get_questionnaire
from bot.timeutil import to_db


@dataclass(frozen=True)
class Attempt:
    id: int
    registration_id: int
    questionnaire_id: int
    phase: str
    score: float
    max_score: float


def test_of_training(conn: sqlite3.Connection, training_id: int) -> Questionnaire | None:
    """The newest version of the training's test (a training may have none)."""
    row = conn.execute(
        """SELECT q.id FROM training_questionnaires l JOIN questionnaires q ON q.form = l.form
            WHERE l.training_id = ? AND l.kind = 'test' ORDER BY q.version DESC LIMIT 1""",
        (training_id,)).fetchone()
    return get_questionnaire(conn, row[0]) if row else None


def attempt(conn: sqlite3.Connection, registration_id: int, phase: str) -> Attempt | None:
    row = conn.execute("SELECT id, registration_id, questionnaire_id, phase, score, max_score"
                       " FROM test_attempts WHERE registration_id = ? AND phase = ?",
                       (registration_id, phase)).fetchone()
    return Attempt(*row) if row else None


def record(conn: sqlite3.Connection, registration_id: int, qn_id: int, phase: str,
           scored: list[tuple[str, str | None, bool, float]], max_score: float, now: datetime) -> Attempt:
    """One attempt and its answers (question id, value, correct, points earned)."""
    score = sum(points for *_, points in scored)
    attempt_id = conn.execute(
        "INSERT INTO test_attempts (registration_id, questionnaire_id, phase, score, max_score,"
        " submitted_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (registration_id, qn_id, phase, score, max_score, to_db(now))).fetchone()[0]
    conn.executemany("INSERT INTO test_answers (attempt_id, questionnaire_id, qid, value, correct,"
                     " points) VALUES (?, ?, ?, ?, ?, ?)",
                     [(attempt_id, qn_id, qid, value, int(ok), points) for qid, value, ok, points in scored])
    return Attempt(attempt_id, registration_id, qn_id, phase, score, max_score)


def mark_passed(conn: sqlite3.Connection, a: Attempt, now: datetime) -> None:
    conn.execute("INSERT OR IGNORE INTO test_passes (registration_id, attempt_id, score, max_score,"
                 " passed_at) VALUES (?, ?, ?, ?, ?)",
                 (a.registration_id, a.id, a.score, a.max_score, to_db(now)))


def passed(conn: sqlite3.Connection, registration_id: int) -> bool:
    """Eligible for an attestation de réussite (read by the attestation code)."""
    return conn.execute("SELECT 1 FROM test_passes WHERE registration_id = ?",
                        (registration_id,)).fetchone() is not None


def session_attempts(conn: sqlite3.Connection, session_id: int, phase: str) -> list[Attempt]:
    return [Attempt(*r) for r in conn.execute(
        """SELECT a.id, a.registration_id, a.questionnaire_id, a.phase, a.score, a.max_score
             FROM test_attempts a JOIN registrations g ON g.id = a.registration_id
            WHERE g.session_id = ? AND a.phase = ? ORDER BY a.score""", (session_id, phase))]


def misses(conn: sqlite3.Connection, session_id: int, phase: str) -> list[sqlite3.Row]:
    """Per question of the session's attempts: answers, wrong ones, the newest labels."""
    return conn.execute(
        """SELECT m.qid, m.answers, m.wrong, k.label_fr, k.label_ar FROM (
               SELECT t.qid, COUNT(*) AS answers, SUM(1 - t.correct) AS wrong,
                      MAX(t.questionnaire_id) AS newest
                 FROM test_answers t JOIN test_attempts a ON a.id = t.attempt_id
                 JOIN registrations g ON g.id = a.registration_id
                WHERE g.session_id = ? AND a.phase = ? GROUP BY t.qid) m
             JOIN questions k ON k.questionnaire_id = m.newest AND k.qid = m.qid""",
        (session_id, phase)).fetchall()


def pairs(conn: sqlite3.Connection, administration: str | None = None) -> list[sqlite3.Row]:
    """Registrations with both attempts, and who they were (for gains by group); one
    administration's people only when it is given (a focal point's export)."""
    return conn.execute(
        """SELECT p.registration_id, p.score AS pre, p.max_score AS pre_max, o.score AS post,
                  o.max_score AS post_max, u.sex, u.administration_code AS administration,
                  u.position_code AS position, t.theme_code AS theme
             FROM test_attempts p
             JOIN test_attempts o ON o.registration_id = p.registration_id AND o.phase = 'post'
             JOIN registrations g ON g.id = p.registration_id
             JOIN users u ON u.id = g.user_id
             JOIN sessions s ON s.id = g.session_id JOIN trainings t ON t.id = s.training_id
            WHERE p.phase = 'pre' AND (:adm IS NULL OR u.administration_code = :adm)""",
        {"adm": administration}).fetchall()


# --- personal data ---------------------------------------------------------------------------
def _export(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        """SELECT s.reference AS session, a.phase, a.score, a.max_score, a.submitted_at
             FROM test_attempts a JOIN registrations g ON g.id = a.registration_id
             JOIN sessions s ON s.id = g.session_id WHERE g.user_id = ? ORDER BY a.id""", (user_id,))]


def _erase(e: privacy.Erasure) -> None:
    # Attempts follow their registration to the tombstone: the scores stay, anonymous, in the
    # aggregates. Exact times could be matched with a log line, so only the day is kept.
    mine = (e.user_id,) if e.tombstone_id is None else (e.user_id, e.tombstone_id)
    marks = ",".join("?" * len(mine))
    where = f"registration_id IN (SELECT id FROM registrations WHERE user_id IN ({marks}))"
    e.count("test_attempts", e.conn.execute(
        f"UPDATE test_attempts SET submitted_at = substr(submitted_at, 1, 10) || ' 00:00:00'"
        f" WHERE {where}", mine).rowcount)
    e.conn.execute(f"UPDATE test_passes SET passed_at = substr(passed_at, 1, 10) || ' 00:00:00'"
                   f" WHERE {where}", mine)


def declare_personal_data() -> None:
    privacy.add_source(privacy.Source("knowledge_tests", "test_attempts", _export, _erase))
