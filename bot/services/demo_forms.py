"""The demo's questionnaire forms (issue 17): CYB-102 (personal data protection) has its own hot
evaluation (a workbook's worth of questions, as a coordinator would upload with /questionnaires),
and one of its past
participants passed its final test (bot/services/demo_learning.py), so that
`etamkeen console --user <that id>` shows 🏅 in /attestation, and the hot questionnaire the
réussite waits for is the training's own. Idempotent: seeding twice changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage import forms
from bot.storage.questionnaire_data import YES_NO
from bot.timeutil import to_db

TRAINING = "CYB-102"
HOT_FORM = "demo-chaud-cyber"
SCALE = [[str(i), fr, ar] for i, fr, ar in (
    (1, "Pas du tout d'accord", "غير موافق إطلاقا"), (2, "Pas d'accord", "غير موافق"),
    (3, "Sans avis", "محايد"), (4, "D'accord", "موافق"), (5, "Tout à fait d'accord", "موافق تماما"))]


def _q(qid, type_, fr, ar, options, required=True, relevant=None):
    return {"qid": qid, "type": type_, "required": required, "label_fr": fr, "label_ar": ar,
            "options": options, "relevant": relevant, "correct": None, "points": None, "area": None}


HOT = {
    "form": HOT_FORM, "kind": "hot", "version": 1, "pass_mark": None, "training": TRAINING,
    "title_fr": "Évaluation à chaud : protection des données",
    "title_ar": "التقييم الفوري: حماية المعطيات الشخصية",
    "questions": [
        _q("cases", "scale", "Les cas pratiques sur la loi 09-08 m'ont été utiles.",
           "كانت الحالات التطبيقية حول القانون 09.08 مفيدة لي.", SCALE),
        _q("part", "choice", "La partie la plus utile :", "الجزء الأكثر فائدة:",
           [["principles", "Les principes de la loi", "مبادئ القانون"],
            ["rights", "Les droits des personnes", "حقوق الأشخاص"],
            ["security", "La sécurité des données", "أمن المعطيات"]]),
        _q("recommend", "choice", "Recommanderiez-vous cette formation à un collègue ?",
           "هل توصي زميلا بهذا التكوين؟", [list(o) for o in YES_NO]),
        _q("why_not", "text", "Pourquoi pas ?", "لماذا لا؟", [], required=False,
           relevant="${recommend} = 'no'"),
    ],
}


def _passed(conn: sqlite3.Connection) -> int | None:
    """A participant of the training's past session who attended and passed its final test."""
    row = conn.execute(
        """SELECT g.user_id FROM registrations g JOIN sessions s ON s.id = g.session_id
             JOIN trainings t ON t.id = s.training_id JOIN test_passes p ON p.registration_id = g.id
            WHERE t.code = ? AND g.status = 'attended' ORDER BY g.user_id LIMIT 1""",
        (TRAINING,)).fetchone()
    return row[0] if row else None


def seed(conn: sqlite3.Connection, now: datetime) -> dict[str, int | None]:
    """CYB-102's own hot form; the id of a participant who passed (None: the test is not seeded)."""
    made = 0
    if forms.newest(conn, HOT_FORM) is None:
        forms.seed_form(conn, HOT, to_db(now))
        made = 1
    training_id = conn.execute("SELECT id FROM trainings WHERE code = ?", (TRAINING,)).fetchone()[0]
    forms.link_training(conn, training_id, "hot", HOT_FORM)
    return {"forms": made, "passed_user": _passed(conn)}
