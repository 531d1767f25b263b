"""Schema of learning measurement (issue 17, DESIGN 5.7): questionnaires of every kind authored
as workbooks, per-training questionnaires, knowledge tests (pre/post attempts, passes) and the
digital-skills self-assessment (areas, themes mapped to areas, assessments and their ratings).

The first schema fixed `questionnaires.kind` to hot/cold, `questions.type` to four types and a
version to be unique per kind (so a training's own hot questionnaire could not have a version 1
beside the default's). SQLite cannot alter a CHECK or drop a UNIQUE: both tables are rebuilt,
ids kept, inside the migration's transaction. Responses and answers reference them, and foreign
keys cannot be switched off inside a transaction, so they are deferred: dropping the old tables
counts the orphaned children, inserting the same ids into the new tables counts them back, and
the commit checks the count is zero (a lost row would fail the migration, not corrupt answers).
"""

from __future__ import annotations

import sqlite3

from bot.storage.learning_data import AREAS, DIGCOMP_V1, THEME_AREAS

QUESTIONNAIRES = """CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('hot', 'cold', 'test', 'survey', 'self_assessment')),
    form TEXT NOT NULL CHECK (length(form) BETWEEN 1 AND 40),  -- versions count per form
    version INTEGER NOT NULL CHECK (version > 0),
    title_fr TEXT NOT NULL,
    title_ar TEXT NOT NULL,
    pass_mark REAL CHECK (pass_mark IS NULL OR pass_mark > 0),  -- tests: points to pass
    created_at TEXT NOT NULL,
    UNIQUE (form, version),
    UNIQUE (id, kind)
)"""

QUESTIONS = """CREATE TABLE questions (
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    qid TEXT NOT NULL CHECK (length(qid) BETWEEN 1 AND 20),
    position INTEGER NOT NULL CHECK (position > 0),
    type TEXT NOT NULL CHECK (type IN ('scale', 'choice', 'multi', 'text', 'number')),
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    label_fr TEXT NOT NULL,
    label_ar TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',     -- JSON [[code, fr, ar], ...]
    relevant TEXT,                          -- a skip condition: ${q} = 'code' or ${q} >= n
    correct TEXT,                           -- tests: the right code(s) joined by ',', or a number
    points REAL CHECK (points IS NULL OR points > 0),
    area TEXT REFERENCES digital_areas(code),  -- self-assessment: the area a statement rates
    PRIMARY KEY (questionnaire_id, qid),
    UNIQUE (questionnaire_id, position)
)"""

TABLES = [
    """CREATE TABLE digital_areas (
        code TEXT PRIMARY KEY,
        name_fr TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        sort INTEGER NOT NULL
    )""",
    # Which areas a theme's trainings strengthen: recommendations follow the weakest areas.
    """CREATE TABLE theme_areas (
        theme_code TEXT NOT NULL REFERENCES themes(code),
        area_code TEXT NOT NULL REFERENCES digital_areas(code),
        PRIMARY KEY (theme_code, area_code)
    )""",
    # A training's own questionnaire (the newest version of the form); none: the default.
    """CREATE TABLE training_questionnaires (
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        kind TEXT NOT NULL CHECK (kind IN ('hot', 'cold', 'test')),
        form TEXT NOT NULL,
        PRIMARY KEY (training_id, kind)
    )""",
    """CREATE TABLE test_attempts (
        id INTEGER PRIMARY KEY,
        registration_id INTEGER NOT NULL REFERENCES registrations(id),
        questionnaire_id INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'test' CHECK (kind = 'test'),
        phase TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
        score REAL NOT NULL CHECK (score >= 0),
        max_score REAL NOT NULL CHECK (max_score > 0 AND score <= max_score),
        submitted_at TEXT NOT NULL,
        UNIQUE (registration_id, phase),
        UNIQUE (id, questionnaire_id),
        FOREIGN KEY (questionnaire_id, kind) REFERENCES questionnaires(id, kind)
    )""",
    """CREATE TABLE test_answers (
        attempt_id INTEGER NOT NULL,
        questionnaire_id INTEGER NOT NULL,
        qid TEXT NOT NULL,
        value TEXT,                             -- a code, codes joined by ',', or a number
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        points REAL NOT NULL CHECK (points >= 0),
        PRIMARY KEY (attempt_id, qid),
        FOREIGN KEY (attempt_id, questionnaire_id) REFERENCES test_attempts(id, questionnaire_id)
            ON DELETE CASCADE,
        FOREIGN KEY (questionnaire_id, qid) REFERENCES questions(questionnaire_id, qid)
    )""",
    # Eligible for an attestation de réussite: read by the attestation code (the PDF comes later).
    """CREATE TABLE test_passes (
        registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
        attempt_id INTEGER NOT NULL REFERENCES test_attempts(id),
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        passed_at TEXT NOT NULL
    )""",
    """CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        questionnaire_id INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'self_assessment' CHECK (kind = 'self_assessment'),
        taken_at TEXT NOT NULL,
        UNIQUE (id, questionnaire_id),
        FOREIGN KEY (questionnaire_id, kind) REFERENCES questionnaires(id, kind)
    )""",
    "CREATE INDEX assessments_user ON assessments(user_id, taken_at)",
    """CREATE TABLE assessment_ratings (
        assessment_id INTEGER NOT NULL,
        questionnaire_id INTEGER NOT NULL,
        qid TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        PRIMARY KEY (assessment_id, qid),
        FOREIGN KEY (assessment_id, questionnaire_id) REFERENCES assessments(id, questionnaire_id)
            ON DELETE CASCADE,
        FOREIGN KEY (questionnaire_id, qid) REFERENCES questions(questionnaire_id, qid)
    )""",
]


def _rebuild(conn: sqlite3.Connection) -> None:
    """questionnaires and questions with the wider checks, same ids (see the docstring)."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # until this transaction commits
    conn.execute("CREATE TEMP TABLE old_questionnaires AS SELECT * FROM questionnaires")
    conn.execute("CREATE TEMP TABLE old_questions AS SELECT * FROM questions")
    conn.execute("DROP TABLE questions")
    conn.execute("DROP TABLE questionnaires")
    conn.execute(QUESTIONNAIRES)
    conn.execute(QUESTIONS)
    # The first two questionnaires become the default forms, named after their kind.
    conn.execute("INSERT INTO questionnaires (id, kind, form, version, title_fr, title_ar, created_at)"
                 " SELECT id, kind, kind, version, title_fr, title_ar, created_at FROM old_questionnaires")
    conn.execute("INSERT INTO questions (questionnaire_id, qid, position, type, required, label_fr,"
                 " label_ar, options) SELECT questionnaire_id, qid, position, type, required, label_fr,"
                 " label_ar, options FROM old_questions")
    conn.execute("DROP TABLE temp.old_questions")
    conn.execute("DROP TABLE temp.old_questionnaires")


def install(conn: sqlite3.Connection) -> None:
    """The migration step: the tables, the framework's areas and statements, themes → areas."""
    from bot.storage.forms import seed_form

    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'digital_areas'").fetchone():
        return  # already there: a test replaying later steps (the step is idempotent)
    for statement in TABLES[:1]:
        conn.execute(statement)  # questions.area references the areas
    _rebuild(conn)
    for statement in TABLES[1:]:
        conn.execute(statement)
    conn.executemany("INSERT INTO digital_areas (code, name_fr, name_ar, sort) VALUES (?, ?, ?, ?)",
                     [(*a, i) for i, a in enumerate(AREAS)])
    themes = {r[0] for r in conn.execute("SELECT code FROM themes")}
    conn.executemany("INSERT INTO theme_areas (theme_code, area_code) VALUES (?, ?)",
                     [(t, a) for t, areas in THEME_AREAS.items() if t in themes for a in areas])
    now = conn.execute("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')").fetchone()[0]
    seed_form(conn, DIGCOMP_V1, now)
