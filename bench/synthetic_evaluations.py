"""Evaluations for the synthetic national programme: hot evaluations from attendees of finished
sessions, cold ones from attendees of sessions more than three months old, with answers to every
question of the current questionnaire versions (optional free text now and then)."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from bot.timeutil import to_db

# Skewed to the satisfied side, as training evaluations are.
SCORES = [1, 2, 3, 4, 5]
SCORE_WEIGHTS = [3, 7, 20, 40, 30]
TEXTS = ["Les ateliers pratiques", "Plus d'exemples concrets", "التطبيقات العملية", "مدة أطول"]


def _questions(conn: sqlite3.Connection, kind: str) -> tuple[int, list[tuple[str, str, list[str]]]]:
    """The newest questionnaire of a kind: its id and (qid, type, option codes)."""
    qn_id = conn.execute("SELECT id FROM questionnaires WHERE kind = ? ORDER BY version DESC LIMIT 1",
                         (kind,)).fetchone()[0]
    rows = conn.execute("SELECT qid, type, options FROM questions WHERE questionnaire_id = ?"
                        " ORDER BY position", (qn_id,)).fetchall()
    return qn_id, [(qid, kind_, [o[0] for o in json.loads(options)]) for qid, kind_, options in rows]


def _answer(rng: random.Random, qtype: str, codes: list[str]) -> tuple | None:
    """(score, choice, text) of one answer, or None for an optional text left empty."""
    if qtype == "scale":
        return rng.choices(SCORES, SCORE_WEIGHTS)[0], None, None
    if qtype == "choice":
        return None, rng.choice(codes), None
    if qtype == "multi":
        return None, ",".join(sorted(rng.sample(codes, rng.randint(1, 2)))), None
    return (None, None, rng.choice(TEXTS)) if rng.random() < 0.15 else None


def generate(conn: sqlite3.Connection, rng: random.Random, total: int, anchor: datetime) -> int:
    """Write about `total` submitted responses (4 hot for 1 cold) and their answers."""
    hot_id, hot_questions = _questions(conn, "hot")
    cold_id, cold_questions = _questions(conn, "cold")
    attended = conn.execute(
        "SELECT g.id, s.ends_at FROM registrations g JOIN sessions s ON s.id = g.session_id"
        " WHERE g.status = 'attended' ORDER BY g.id").fetchall()
    hot = rng.sample(attended, min(len(attended), total * 4 // 5))
    cold_cutoff = to_db(anchor - timedelta(days=90))
    cold = [r for r in hot if r[1] < cold_cutoff][: total - len(hot)]
    responses = [(rid, hot_id, "hot", ends, 1) for rid, ends in hot]
    responses += [(rid, cold_id, "cold", ends, 90) for rid, ends in cold]

    def rows() -> Iterator[tuple]:
        for response_id, (rid, qn_id, kind, ends, days) in enumerate(responses, start=1):
            at = to_db(datetime.fromisoformat(ends).replace(tzinfo=UTC) + timedelta(days=days, hours=2))
            yield response_id, rid, qn_id, kind, at, at, at

    conn.executemany("INSERT INTO responses (id, registration_id, questionnaire_id, kind, started_at,"
                     " updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows())

    def answers() -> Iterator[tuple]:
        for response_id, (_, qn_id, kind, ends, days) in enumerate(responses, start=1):
            at = to_db(datetime.fromisoformat(ends).replace(tzinfo=UTC) + timedelta(days=days, hours=2))
            for qid, qtype, codes in hot_questions if kind == "hot" else cold_questions:
                answer = _answer(rng, qtype, codes)
                if answer is not None:
                    yield (response_id, qn_id, qid, *answer, at)

    conn.executemany("INSERT INTO answers (response_id, questionnaire_id, qid, score, choice, text,"
                     " answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)", answers())
    return len(responses)
