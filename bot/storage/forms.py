"""Questionnaire forms: versions written from a workbook (or seeded), read back as the same
plain records, and the link from a training to its own forms. A form is a dict:
{form, kind, version, title_fr, title_ar, pass_mark, training, questions: [{qid, type, required,
label_fr, label_ar, options, relevant, correct, points, area}]} — JSON-able, so the workbook
worker can hand it over as is."""

from __future__ import annotations

import json
import sqlite3

QUESTION_FIELDS = ("qid", "type", "required", "label_fr", "label_ar", "options", "relevant",
                   "correct", "points", "area")


def seed_form(conn: sqlite3.Connection, form: dict, now: str) -> int:
    """Insert one version and its questions; return its id. Versions are never edited."""
    qn_id = conn.execute(
        "INSERT INTO questionnaires (kind, form, version, title_fr, title_ar, pass_mark, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (form["kind"], form["form"], form["version"], form["title_fr"], form["title_ar"],
         form.get("pass_mark"), now)).fetchone()[0]
    conn.executemany(
        "INSERT INTO questions (questionnaire_id, qid, position, type, required, label_fr, label_ar,"
        " options, relevant, correct, points, area) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(qn_id, q["qid"], i, q["type"], int(q["required"]), q["label_fr"], q["label_ar"],
          json.dumps([list(o) for o in q["options"]], ensure_ascii=False), q.get("relevant"),
          q.get("correct"), q.get("points"), q.get("area"))
         for i, q in enumerate(form["questions"], start=1)])
    return qn_id


def newest(conn: sqlite3.Connection, form_id: str) -> dict | None:
    """The newest version of a form as a record (None: no such form)."""
    head = conn.execute("SELECT * FROM questionnaires WHERE form = ? ORDER BY version DESC LIMIT 1",
                        (form_id,)).fetchone()
    if head is None:
        return None
    questions = []
    for r in conn.execute("SELECT * FROM questions WHERE questionnaire_id = ? ORDER BY position",
                          (head["id"],)):
        q = {k: r[k] for k in QUESTION_FIELDS if k not in ("required", "options")}
        questions.append({**q, "required": bool(r["required"]),
                          "options": [list(o) for o in json.loads(r["options"])]})
    trainings = linked_trainings(conn, form_id)
    return {"id": head["id"], "form": form_id, "kind": head["kind"], "version": head["version"],
            "title_fr": head["title_fr"], "title_ar": head["title_ar"], "pass_mark": head["pass_mark"],
            "training": trainings[0] if trainings else None, "questions": questions}


def link_training(conn: sqlite3.Connection, training_id: int, kind: str, form_id: str) -> None:
    """The training uses this form (its newest version) for this kind from now on."""
    conn.execute("INSERT INTO training_questionnaires (training_id, kind, form) VALUES (?, ?, ?)"
                 " ON CONFLICT (training_id, kind) DO UPDATE SET form = excluded.form",
                 (training_id, kind, form_id))


def linked_trainings(conn: sqlite3.Connection, form_id: str) -> list[str]:
    """The codes of the trainings that use this form (for its kind), by code."""
    return [r[0] for r in conn.execute(
        "SELECT t.code FROM training_questionnaires l JOIN trainings t ON t.id = l.training_id"
        " WHERE l.form = ? ORDER BY t.code", (form_id,))]


def unlink_others(conn: sqlite3.Connection, form_id: str, keep_training_id: int | None) -> None:
    """Only the training a new version names keeps this form (none: every link goes); the others
    go back to the default questionnaire of the kind."""
    conn.execute("DELETE FROM training_questionnaires WHERE form = ? AND training_id IS NOT ?",
                 (form_id, keep_training_id))


def training_form(conn: sqlite3.Connection, training_id: int, kind: str) -> str | None:
    row = conn.execute("SELECT form FROM training_questionnaires WHERE training_id = ? AND kind = ?",
                       (training_id, kind)).fetchone()
    return row[0] if row else None


def area_codes(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT code FROM digital_areas ORDER BY sort")]


def listing(conn: sqlite3.Connection) -> list[tuple[str, str, int, str, str, str]]:
    """Every form at its newest version: (form, kind, version, title fr, title ar, the codes of
    the trainings that use it, comma-separated), by kind then form."""
    return [tuple(r) for r in conn.execute(
        """SELECT q.form, q.kind, q.version, q.title_fr, q.title_ar,
                  COALESCE((SELECT GROUP_CONCAT(t.code, ',') FROM training_questionnaires l
                              JOIN trainings t ON t.id = l.training_id WHERE l.form = q.form), '')
             FROM questionnaires q
            WHERE q.version = (SELECT MAX(version) FROM questionnaires WHERE form = q.form)
            ORDER BY q.kind, q.form""")]
