"""Digital-skills self-assessments: the framework (the newest `digcomp` form), a person's
assessments and ratings, themes mapped to areas, upcoming sessions. Plain functions."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage import privacy
from bot.storage.evaluations import Questionnaire, existing_questionnaire
from bot.timeutil import from_db, to_db

FORM = "digcomp"


def framework(conn: sqlite3.Connection) -> Questionnaire:
    qn_id = conn.execute("SELECT id FROM questionnaires WHERE form = ? ORDER BY version DESC LIMIT 1",
                         (FORM,)).fetchone()[0]
    return existing_questionnaire(conn, qn_id)


def areas(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in conn.execute("SELECT code, name_fr, name_ar FROM digital_areas ORDER BY sort")]


def record(conn: sqlite3.Connection, user_id: int, qn: Questionnaire, ratings: dict[str, int],
           now: datetime) -> int:
    aid = conn.execute("INSERT INTO assessments (user_id, questionnaire_id, taken_at) VALUES (?, ?, ?)"
                       " RETURNING id", (user_id, qn.id, to_db(now))).fetchone()[0]
    conn.executemany("INSERT INTO assessment_ratings (assessment_id, questionnaire_id, qid, rating)"
                     " VALUES (?, ?, ?, ?)", [(aid, qn.id, qid, r) for qid, r in ratings.items()])
    return aid


def history(conn: sqlite3.Connection, user_id: int) -> list[tuple[int, datetime]]:
    """The person's assessments, oldest first."""
    return [(r[0], from_db(r[1])) for r in conn.execute(
        "SELECT id, taken_at FROM assessments WHERE user_id = ? ORDER BY taken_at, id", (user_id,))]


def area_ratings(conn: sqlite3.Connection, assessment_id: int) -> list[tuple[str, int]]:
    """(area, rating) of every rated statement, the area as the version rated defined it."""
    return [tuple(r) for r in conn.execute(
        """SELECT k.area, r.rating FROM assessment_ratings r
             JOIN questions k ON k.questionnaire_id = r.questionnaire_id AND k.qid = r.qid
            WHERE r.assessment_id = ?""", (assessment_id,))]


def latest_by_person(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Each person's newest assessment, rating by rating, with their administration."""
    return conn.execute(
        """SELECT a.user_id, u.administration_code AS administration, k.area, r.rating
             FROM assessments a JOIN users u ON u.id = a.user_id
             JOIN assessment_ratings r ON r.assessment_id = a.id
             JOIN questions k ON k.questionnaire_id = r.questionnaire_id AND k.qid = r.qid
            WHERE a.id = (SELECT b.id FROM assessments b WHERE b.user_id = a.user_id
                           ORDER BY b.taken_at DESC, b.id DESC LIMIT 1)""").fetchall()


def trainings_for(conn: sqlite3.Connection, area: str, user_id: int, now: datetime) -> list[sqlite3.Row]:
    """Trainings of themes that strengthen the area, not already followed by the person, with
    their next published session open to registration (NULL when none): upcoming ones first."""
    return conn.execute(
        """SELECT t.id, t.code, t.title_fr, t.title_ar,
                  (SELECT MIN(s.starts_at) FROM sessions s WHERE s.training_id = t.id
                      AND s.status = 'published' AND s.starts_at > ?2) AS next_start,
                  (SELECT s.id FROM sessions s WHERE s.training_id = t.id AND s.status = 'published'
                      AND s.starts_at > ?2 ORDER BY s.starts_at, s.id LIMIT 1) AS next_session
             FROM trainings t JOIN theme_areas m ON m.theme_code = t.theme_code
            WHERE m.area_code = ?1 AND NOT EXISTS (
                  SELECT 1 FROM registrations g JOIN sessions s ON s.id = g.session_id
                   WHERE s.training_id = t.id AND g.user_id = ?3 AND g.status = 'attended')
            ORDER BY next_start IS NULL, next_start, t.code""",
        (area, to_db(now), user_id)).fetchall()


# --- personal data ---------------------------------------------------------------------------
def _export(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    label = "label_ar" if lang == "ar" else "label_fr"
    return [dict(r) for r in conn.execute(
        f"""SELECT a.taken_at, r.qid, k.{label} AS statement, r.rating FROM assessments a
              JOIN assessment_ratings r ON r.assessment_id = a.id
              JOIN questions k ON k.questionnaire_id = r.questionnaire_id AND k.qid = r.qid
             WHERE a.user_id = ? ORDER BY a.taken_at, k.position""", (user_id,))]


def _erase(e: privacy.Erasure) -> None:
    # A self-portrait is the person's own: it goes with them (ratings by cascade).
    e.count("assessments", e.conn.execute("DELETE FROM assessments WHERE user_id = ?",
                                          (e.user_id,)).rowcount)


def declare_personal_data() -> None:
    privacy.add_source(privacy.Source("digital_profile", "assessments", _export, _erase))
