"""Questionnaires (versioned data), responses and answers. Plain functions on a connection."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from bot.storage.conditions import Condition, holds, parse
from bot.timeutil import from_db, to_db

SUMMARY = "summary"  # the step after the last question


@dataclass(frozen=True)
class Question:
    qid: str
    position: int
    type: str  # scale choice multi text number
    required: bool
    label_fr: str
    label_ar: str
    options: tuple[tuple[str, str, str], ...]  # (code, fr, ar)
    relevant: Condition | None = None  # asked only when it holds
    correct: str | None = None  # tests: the right code(s) joined by ',', or a number
    points: float | None = None  # tests
    area: str | None = None  # self-assessment

    def option(self, code: str) -> tuple[str, str, str] | None:
        return next((o for o in self.options if o[0] == code), None)


@dataclass(frozen=True)
class Questionnaire:
    id: int
    kind: str
    version: int
    title_fr: str
    title_ar: str
    questions: tuple[Question, ...]
    form: str = ""  # versions count per form; the defaults are named after their kind
    pass_mark: float | None = None  # tests: points to pass

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.qid == qid), None)

    @staticmethod
    def asked(q: Question, answers: Mapping[str, object]) -> bool:
        """Whether q is asked, given the answers so far (its skip condition)."""
        return q.relevant is None or holds(q.relevant, answers)

    def after(self, qid: str, answers: Mapping[str, object]) -> str:
        """The next unanswered question asked after qid (then from the start), or the summary."""
        order = [q for q in self.questions if self.asked(q, answers)]
        ids = [q.qid for q in order]
        start = ids.index(qid) + 1 if qid in ids else 0
        for candidate in ids[start:] + ids[:start]:
            if candidate not in answers:
                return candidate
        return SUMMARY


@dataclass(frozen=True)
class Answer:
    score: int | None = None
    choice: str | None = None
    text: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class Response:
    id: int
    registration_id: int
    questionnaire_id: int
    kind: str
    submitted_at: datetime | None


# A version never changes once seeded; keyed by database file too (tests, CLI: several files).
_CACHE: dict[tuple[str, int], Questionnaire] = {}


def get_questionnaire(conn: sqlite3.Connection, qn_id: int) -> Questionnaire | None:
    key = (conn.execute("PRAGMA database_list").fetchone()[2], qn_id)
    found = _CACHE.get(key)
    if found is not None:
        return found
    head = conn.execute("SELECT * FROM questionnaires WHERE id = ?", (qn_id,)).fetchone()
    if head is None:
        return None
    questions = tuple(
        Question(r["qid"], r["position"], r["type"], bool(r["required"]), r["label_fr"], r["label_ar"],
                 tuple(tuple(o) for o in json.loads(r["options"])),
                 parse(r["relevant"]) if r["relevant"] else None, r["correct"], r["points"], r["area"])
        for r in conn.execute("SELECT * FROM questions WHERE questionnaire_id = ? ORDER BY position",
                              (qn_id,)))
    found = _CACHE[key] = Questionnaire(head["id"], head["kind"], head["version"], head["title_fr"],
                                        head["title_ar"], questions, head["form"], head["pass_mark"])
    return found


def current_questionnaire(conn: sqlite3.Connection, kind: str, training_id: int | None = None
                          ) -> Questionnaire:
    """The newest version of the training's own form of this kind, else of the default form (named
    after the kind): new responses use it, older ones keep theirs."""
    qn_id = conn.execute(
        """SELECT q.id FROM questionnaires q
            WHERE q.form = COALESCE((SELECT form FROM training_questionnaires
                                      WHERE training_id = ? AND kind = ?), ?)
            ORDER BY q.version DESC LIMIT 1""", (training_id, kind, kind)).fetchone()[0]
    return existing_questionnaire(conn, qn_id)


def existing_questionnaire(conn: sqlite3.Connection, qn_id: int) -> Questionnaire:
    """A version whose id was read from the database (versions are never deleted)."""
    found = get_questionnaire(conn, qn_id)
    if found is None:
        raise LookupError(f"questionnaire {qn_id} does not exist")
    return found


@overload
def _response(row: None) -> None: ...
@overload
def _response(row: sqlite3.Row) -> Response: ...
def _response(row: sqlite3.Row | None) -> Response | None:
    if row is None:
        return None
    return Response(row["id"], row["registration_id"], row["questionnaire_id"], row["kind"],
                    from_db(row["submitted_at"]))


def response(conn: sqlite3.Connection, response_id: int) -> Response | None:
    return _response(conn.execute("SELECT * FROM responses WHERE id = ?", (response_id,)).fetchone())


def response_of(conn: sqlite3.Connection, registration_id: int, kind: str) -> Response | None:
    return _response(conn.execute("SELECT * FROM responses WHERE registration_id = ? AND kind = ?",
                                  (registration_id, kind)).fetchone())


def create_response(conn: sqlite3.Connection, registration_id: int, qn: Questionnaire,
                    now: datetime) -> Response:
    """The person's response for this kind (made once; a second call returns the first)."""
    conn.execute("INSERT OR IGNORE INTO responses (registration_id, questionnaire_id, kind, started_at,"
                 " updated_at) VALUES (?, ?, ?, ?, ?)",
                 (registration_id, qn.id, qn.kind, to_db(now), to_db(now)))
    found = response_of(conn, registration_id, qn.kind)
    assert found is not None  # inserted just above, or there already
    return found


def answers(conn: sqlite3.Connection, response_id: int) -> dict[str, Answer]:
    return {r["qid"]: Answer(r["score"], r["choice"], r["text"], bool(r["skipped"])) for r in conn.execute(
        "SELECT qid, score, choice, text, skipped FROM answers WHERE response_id = ?", (response_id,))}


def save_answer(conn: sqlite3.Connection, r: Response, qid: str, answer: Answer, now: datetime) -> None:
    """Record (or replace) the answer to one question."""
    conn.execute(
        """INSERT INTO answers (response_id, questionnaire_id, qid, score, choice, text, skipped,
               answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(response_id, qid) DO UPDATE SET score = excluded.score,
               choice = excluded.choice, text = excluded.text, skipped = excluded.skipped,
               answered_at = excluded.answered_at""",
        (r.id, r.questionnaire_id, qid, answer.score, answer.choice, answer.text, int(answer.skipped),
         to_db(now)))
    conn.execute("UPDATE responses SET updated_at = ? WHERE id = ?", (to_db(now), r.id))


def submit(conn: sqlite3.Connection, response_id: int, now: datetime) -> bool:
    """Mark submitted; False if it already was (a double tap)."""
    return conn.execute("UPDATE responses SET submitted_at = ?, updated_at = ? WHERE id = ?"
                        " AND submitted_at IS NULL", (to_db(now), to_db(now), response_id)).rowcount > 0


# --- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionResults:
    questionnaire: Questionnaire
    respondents: int
    answers: dict[str, list[Answer]]  # by question id, skipped ones left out


def session_results(conn: sqlite3.Connection, session_id: int, kind: str) -> tuple[int, list[VersionResults]]:
    """Attendees of the session, and the submitted answers grouped by questionnaire version."""
    attendees = conn.execute("SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status ="
                             " 'attended'", (session_id,)).fetchone()[0]
    per_version: dict[int, tuple[int, dict[str, list[Answer]]]] = {}
    for row in conn.execute(
            """SELECT r.questionnaire_id, COUNT(*) FROM responses r
                 JOIN registrations g ON g.id = r.registration_id
                WHERE g.session_id = ? AND r.kind = ? AND r.submitted_at IS NOT NULL
                GROUP BY r.questionnaire_id""", (session_id, kind)):
        per_version[row[0]] = (row[1], {})
    # Ordered by the answer itself, never by person or time: nothing links a comment to someone.
    for row in conn.execute(
            """SELECT a.questionnaire_id, a.qid, a.score, a.choice, a.text FROM answers a
                 JOIN responses r ON r.id = a.response_id
                 JOIN registrations g ON g.id = r.registration_id
                WHERE g.session_id = ? AND r.kind = ? AND r.submitted_at IS NOT NULL
                  AND a.skipped = 0 ORDER BY a.text, a.choice, a.score""", (session_id, kind)):
        per_version[row[0]][1].setdefault(row[1], []).append(Answer(row[2], row[3], row[4]))
    return attendees, [VersionResults(existing_questionnaire(conn, qn_id), n, by_qid)
                       for qn_id, (n, by_qid) in sorted(per_version.items())]
