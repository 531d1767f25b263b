"""Cursors for the exports: rows come one at a time, in a stable order, never all in memory.

Scoped by administration through the reporting facts (the dimension they keep in step with the
profile). The evaluations cursor never touches the users table: no name can leak into it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

_SCOPE = "(:adm IS NULL OR f.administration_code = :adm)"
_SESSION = """JOIN sessions s ON s.id = f.session_id JOIN trainings t ON t.id = s.training_id"""


def registrations(conn: sqlite3.Connection, administration: str | None) -> Iterator[sqlite3.Row]:
    return conn.execute(
        f"""SELECT s.reference, t.title_fr, t.title_ar, t.modality, s.starts_at, s.ends_at,
                   s.region_code AS session_region, u.full_name, f.sex, f.administration_code,
                   f.level, f.region_code, u.position_code, g.status, g.created_at, g.updated_at,
                   tp.score AS pre, tp.max_score AS pre_max, tq.score AS post, tq.max_score AS post_max
              FROM registration_facts f {_SESSION}
              JOIN registrations g ON g.id = f.registration_id JOIN users u ON u.id = g.user_id
              LEFT JOIN test_attempts tp ON tp.registration_id = g.id AND tp.phase = 'pre'
              LEFT JOIN test_attempts tq ON tq.registration_id = g.id AND tq.phase = 'post'
             WHERE {_SCOPE} ORDER BY s.starts_at, s.id, g.seq, g.id""",
        {"adm": administration})


def attendance(conn: sqlite3.Connection, administration: str | None, now: str) -> Iterator[sqlite3.Row]:
    """Seat holders of the sessions that have started: attended, absent, or not recorded yet."""
    return conn.execute(
        f"""SELECT s.reference, t.title_fr, t.title_ar, t.modality, s.starts_at, s.ends_at,
                   u.full_name, f.sex, f.administration_code, f.level, f.region_code, g.status
              FROM registration_facts f {_SESSION}
              JOIN registrations g ON g.id = f.registration_id JOIN users u ON u.id = g.user_id
             WHERE {_SCOPE} AND f.status IN ('attended', 'absent', 'confirmed') AND s.starts_at <= :now
               AND s.status = 'published'
             ORDER BY s.starts_at, s.id, u.full_name COLLATE NOCASE, g.id""",
        {"adm": administration, "now": now})


def evaluation_answers(conn: sqlite3.Connection, administration: str | None) -> Iterator[sqlite3.Row]:
    """Submitted responses with their answers, one row per answer, grouped by response and the
    responses by training, kind and questionnaire version (the blocks the export anonymises).
    No session, no date: only the training and the two dimensions the export may show. The
    person's id comes along only so that groups count people, not answers."""
    return conn.execute(
        f"""SELECT r.id AS response_id, r.kind, r.questionnaire_id, t.id AS training_id, t.title_fr,
                   t.title_ar, t.modality, f.sex, f.administration_code, g.user_id AS person,
                   a.qid, a.score, a.choice, a.text
              FROM registration_facts f {_SESSION}
              JOIN registrations g ON g.id = f.registration_id
              JOIN responses r ON r.registration_id = f.registration_id AND r.submitted_at IS NOT NULL
              LEFT JOIN answers a ON a.response_id = r.id AND a.skipped = 0
             WHERE {_SCOPE} AND (f.hot = 1 OR f.cold = 1)
             ORDER BY t.code, t.id, r.kind DESC, r.questionnaire_id, r.id""",
        {"adm": administration})


def questions(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every question of every questionnaire version, hot first, in questionnaire order."""
    return conn.execute(
        """SELECT n.id AS questionnaire_id, n.kind, n.version, q.qid, q.type, q.label_fr, q.label_ar,
                  q.options FROM questions q JOIN questionnaires n ON n.id = q.questionnaire_id
            WHERE n.kind IN ('hot', 'cold')
            ORDER BY n.kind DESC, n.version, q.position""").fetchall()
