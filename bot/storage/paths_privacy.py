"""Personal data of paths and e-learning (issue 17), for /mydata and erasure (see README,
"Personal data"): the cohorts a person booked or waits for, their e-learning completions and
their learner code."""

from __future__ import annotations

import sqlite3

from bot.storage import privacy


def _export_cohorts(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    title = "title_ar" if lang == "ar" else "title_fr"
    return [dict(r) for r in conn.execute(
        f"""SELECT c.code AS cohort, p.{title} AS path, m.status, m.created_at, m.updated_at
              FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id
              JOIN paths p ON p.id = c.path_id WHERE m.user_id = ? ORDER BY m.created_at""",
        (user_id,))]


def _erase_cohorts(e: privacy.Erasure) -> None:
    # Seats in the cohort's sessions follow the registrations; the membership itself goes.
    e.count("cohort_members", e.conn.execute("DELETE FROM cohort_members WHERE user_id = ?",
                                             (e.user_id,)).rowcount)


def _export_elearning(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    title = "title_ar" if lang == "ar" else "title_fr"
    learner = conn.execute("SELECT learner_code FROM users WHERE id = ?", (user_id,)).fetchone()
    return [{"learner_code": learner[0] if learner else None}] + [dict(r) for r in conn.execute(
        f"""SELECT t.code AS training_code, t.{title} AS training, e.completed_at, e.source
              FROM elearning_completion e JOIN trainings t ON t.id = e.training_id
             WHERE e.user_id = ? ORDER BY e.completed_at""", (user_id,))]


def _erase_elearning(e: privacy.Erasure) -> None:
    # Completions count as training done: kept for the totals on the tombstone, times to the day
    # (the learner code goes with the profile row).
    n = e.conn.execute("SELECT COUNT(*) FROM elearning_completion WHERE user_id = ?",
                       (e.user_id,)).fetchone()[0]
    if n:
        e.conn.execute("UPDATE elearning_completion SET user_id = ?,"
                       " completed_at = substr(completed_at, 1, 10) || ' 00:00:00',"
                       " recorded_at = substr(recorded_at, 1, 10) || ' 00:00:00' WHERE user_id = ?",
                       (e.tombstone(), e.user_id))
    e.count("elearning_completion", n)


def declare_personal_data() -> None:
    from bot.storage import coaching, path_attestations

    path_attestations.declare_personal_data()
    coaching.declare_personal_data()
    privacy.add_source(privacy.Source("cohorts", "cohort_members", _export_cohorts, _erase_cohorts))
    privacy.add_source(privacy.Source("elearning", "elearning_completion", _export_elearning,
                                      _erase_elearning))
