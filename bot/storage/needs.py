"""Needs surveys (issue 16, "needs first"): a survey launched to the officials of one
administration, and one answer row per person and survey (answering again edits it).

An answer is kept as one JSON object (themes chosen, level per theme, modality, constraints,
a note): the results read every answer of a survey at once, never one field across surveys,
and the flow writes the whole answer at each tap, so a person who left in the middle resumes
where they were."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.storage import outbox, privacy
from bot.timeutil import to_db

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS needs_surveys (
        id INTEGER PRIMARY KEY,
        administration_code TEXT NOT NULL REFERENCES administrations(code),
        launched_by INTEGER,
        launched_at TEXT NOT NULL,
        recipients INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS needs_surveys_administration ON needs_surveys(administration_code, id)",
    """CREATE TABLE IF NOT EXISTS needs_answers (
        survey_id INTEGER NOT NULL REFERENCES needs_surveys(id),
        user_id INTEGER NOT NULL,
        answer TEXT NOT NULL DEFAULT '{}',
        completed_at TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (survey_id, user_id)
    ) WITHOUT ROWID""",
]


def install(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def latest(conn: sqlite3.Connection, administration: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM needs_surveys WHERE administration_code = ? ORDER BY id DESC"
                        " LIMIT 1", (administration,)).fetchone()


def survey(conn: sqlite3.Connection, survey_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM needs_surveys WHERE id = ?", (survey_id,)).fetchone()


_AUDIENCE = "FROM users u WHERE u.onboarded_at IS NOT NULL AND u.administration_code = ? AND u.id != ?"


def audience(conn: sqlite3.Connection, administration: str, launcher: int) -> int:
    """How many officials a survey of the administration goes to (the launcher excepted)."""
    return conn.execute(f"SELECT COUNT(*) {_AUDIENCE}", (administration, launcher)).fetchone()[0]


def launch(conn: sqlite3.Connection, administration: str, launcher: int, now: datetime) -> tuple[int, int]:
    """Create the survey and queue its invitation once per official (quiet hours apply)."""
    sid = conn.execute("INSERT INTO needs_surveys (administration_code, launched_by, launched_at)"
                       " VALUES (?, ?, ?) RETURNING id", (administration, launcher, to_db(now))).fetchone()[0]
    people = [r[0] for r in conn.execute(f"SELECT u.id {_AUDIENCE}", (administration, launcher))]
    messages: list[outbox.Message] = [(uid, "needs_survey", {"survey": sid}, f"needs_survey:{sid}:{uid}",
                                       now, False) for uid in people]
    sent = sum(outbox.enqueue_many(conn, messages[i:i + 500], now) for i in range(0, len(messages), 500))
    conn.execute("UPDATE needs_surveys SET recipients = ? WHERE id = ?", (sent, sid))
    return sid, sent


def answer_of(conn: sqlite3.Connection, survey_id: int, user_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT answer, completed_at FROM needs_answers WHERE survey_id = ? AND user_id = ?",
                        (survey_id, user_id)).fetchone()


def save(conn: sqlite3.Connection, survey_id: int, user_id: int, answer: dict, completed: bool,
         now: datetime) -> None:
    """Write the person's whole answer; once completed it stays counted while it is edited."""
    conn.execute(
        """INSERT INTO needs_answers (survey_id, user_id, answer, completed_at, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (survey_id, user_id) DO UPDATE SET answer = excluded.answer,
               completed_at = COALESCE(excluded.completed_at, needs_answers.completed_at),
               updated_at = excluded.updated_at""",
        (survey_id, user_id, json.dumps(answer), to_db(now) if completed else None, to_db(now)))


def completed(conn: sqlite3.Connection, survey_id: int) -> list[sqlite3.Row]:
    """Every completed answer with the respondent's reporting dimensions."""
    return conn.execute(
        """SELECT a.answer, u.sex, u.position_code, u.region_code
             FROM needs_answers a JOIN users u ON u.id = a.user_id
            WHERE a.survey_id = ? AND a.completed_at IS NOT NULL ORDER BY a.user_id""",
        (survey_id,)).fetchall()


# --- personal data: exported with the rest, erased with the person ---------------------------------
def _export(conn: sqlite3.Connection, user_id: int, lang: str) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT survey_id, answer, completed_at, updated_at FROM needs_answers WHERE user_id = ?",
        (user_id,))]


def _erase(e: privacy.Erasure) -> None:
    e.count("needs_answers", e.conn.execute("DELETE FROM needs_answers WHERE user_id = ?",
                                            (e.user_id,)).rowcount)


def declare_personal_data() -> None:
    privacy.add_source(privacy.Source("needs_answers", "needs_answers", _export, _erase))
