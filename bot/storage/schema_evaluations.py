"""Schema of attendance follow-up: questionnaires (versioned data), responses and answers,
attestations, and the secret that signs check-in codes. Invariants are in the schema: one
response per registration and kind, answers tied to the version their response uses, scores 1-5.
"""

from __future__ import annotations

import json
import sqlite3

from bot.storage.questionnaire_data import QUESTIONNAIRES

V_EVALUATIONS = [
    """CREATE TABLE questionnaires (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('hot', 'cold')),
        version INTEGER NOT NULL CHECK (version > 0),
        title_fr TEXT NOT NULL,
        title_ar TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (kind, version),
        UNIQUE (id, kind)
    )""",
    """CREATE TABLE questions (
        questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
        qid TEXT NOT NULL CHECK (length(qid) BETWEEN 1 AND 20),
        position INTEGER NOT NULL CHECK (position > 0),
        type TEXT NOT NULL CHECK (type IN ('scale', 'choice', 'multi', 'text')),
        required INTEGER NOT NULL CHECK (required IN (0, 1)),
        label_fr TEXT NOT NULL,
        label_ar TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '[]',     -- JSON [[code, fr, ar], ...]
        PRIMARY KEY (questionnaire_id, qid),
        UNIQUE (questionnaire_id, position)
    )""",
    # One per attendee and kind, whatever version: a new version never allows a second one.
    """CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        registration_id INTEGER NOT NULL REFERENCES registrations(id),
        questionnaire_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('hot', 'cold')),
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_at TEXT,
        UNIQUE (registration_id, kind),
        UNIQUE (id, questionnaire_id),
        FOREIGN KEY (questionnaire_id, kind) REFERENCES questionnaires(id, kind)
    )""",
    "CREATE INDEX responses_questionnaire ON responses(questionnaire_id, submitted_at)",
    # Exactly one of score / choice / text / skipped; the question must belong to the version
    # the response uses (composite keys), so answers of two versions can never mix.
    """CREATE TABLE answers (
        response_id INTEGER NOT NULL,
        questionnaire_id INTEGER NOT NULL,
        qid TEXT NOT NULL,
        score INTEGER CHECK (score BETWEEN 1 AND 5),
        choice TEXT,                            -- a code; several joined by ',' for multi
        text TEXT CHECK (text IS NULL OR length(text) BETWEEN 1 AND 2000),
        skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
        answered_at TEXT NOT NULL,
        PRIMARY KEY (response_id, qid),
        FOREIGN KEY (response_id, questionnaire_id) REFERENCES responses(id, questionnaire_id)
            ON DELETE CASCADE,
        FOREIGN KEY (questionnaire_id, qid) REFERENCES questions(questionnaire_id, qid),
        CHECK ((score IS NOT NULL) + (choice IS NOT NULL) + (text IS NOT NULL) + skipped = 1)
    )""",
    # What was printed, kept as printed: the session or the profile may change later, the
    # verification must still say what the paper says.
    """CREATE TABLE attestations (
        code TEXT PRIMARY KEY CHECK (length(code) = 10),
        registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations(id),
        full_name TEXT NOT NULL,
        sex TEXT CHECK (sex IN ('F', 'M')),
        administration_fr TEXT NOT NULL DEFAULT '',
        administration_ar TEXT NOT NULL DEFAULT '',
        reference TEXT NOT NULL,
        title_fr TEXT NOT NULL,
        title_ar TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        hours REAL CHECK (hours IS NULL OR hours > 0),
        issued_at TEXT NOT NULL
    )""",
    """CREATE TABLE app_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
]


def seed_questionnaire(conn: sqlite3.Connection, q: dict, now: str) -> int:
    """Insert one questionnaire version and its questions; return its id. The first schema's
    seed: on today's schema, bot/storage/forms.py seed_form."""
    qn_id = conn.execute(
        "INSERT INTO questionnaires (kind, version, title_fr, title_ar, created_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id", (q["kind"], q["version"], q["title_fr"], q["title_ar"], now)).fetchone()[0]
    conn.executemany(
        "INSERT INTO questions (questionnaire_id, qid, position, type, required, label_fr, label_ar,"
        " options) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(qn_id, qid, i, kind, int(required), fr, ar, json.dumps(options, ensure_ascii=False))
         for i, (qid, kind, required, fr, ar, options) in enumerate(q["questions"], start=1)])
    return qn_id


def install(conn: sqlite3.Connection) -> None:
    """The migration step: the tables, then version 1 of both questionnaires."""
    for statement in V_EVALUATIONS:
        conn.execute(statement)
    now = conn.execute("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')").fetchone()[0]
    for q in QUESTIONNAIRES:
        seed_questionnaire(conn, q, now)
