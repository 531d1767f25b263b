"""The demo's learning measurement: a knowledge test for CYB-102 (its past session's attendees
took the pre- and the final test, its next session offers the pre-test) and the digital profile
of a few officials. Idempotent like the rest of the demo: seeding twice changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.services import test_scoring as scoring
from bot.storage import forms
from bot.storage import knowledge_tests as tests_repo
from bot.storage import self_assessment as assessments
from bot.timeutil import to_db

TRAINING = "CYB-102"
QUIZ_FORM = "demo-quiz-cyber"  # QUIZ["form"], typed (QUIZ mixes value types)
YES_NO = [["yes", "Oui", "نعم"], ["no", "Non", "لا"]]


def _q(qid, type_, fr, ar, options, correct):
    return {"qid": qid, "type": type_, "required": True, "label_fr": fr, "label_ar": ar,
            "options": options, "relevant": None, "correct": correct, "points": 1.0, "area": None}


QUIZ = {
    "form": QUIZ_FORM, "kind": "test", "version": 1, "pass_mark": 3.0,
    "title_fr": "Quiz : les bons réflexes cyber", "title_ar": "اختبار: الممارسات السليمة في الأمن السيبراني",
    "questions": [
        _q("phishing", "choice", "Un courriel demande vos identifiants « en urgence ». Que faire ?",
           "رسالة إلكترونية تطلب بياناتك «على وجه السرعة». ماذا تفعل؟",
           [["click", "Répondre vite", "الرد بسرعة"], ["report", "Le signaler", "الإبلاغ عنها"],
            ["forward", "Le transférer", "إعادة توجيهها"]], "report"),
        _q("usb", "choice", "Brancher une clé USB trouvée dans le couloir est sans risque.",
           "توصيل مفتاح USB عُثر عليه في الممر لا يشكّل أي خطر.", YES_NO, "no"),
        _q("mfa", "choice", "La double authentification protège même si le mot de passe fuit.",
           "تحمي المصادقة الثنائية الحساب حتى لو تسرّبت كلمة المرور.", YES_NO, "yes"),
        _q("length", "number", "Combien de caractères au minimum pour un mot de passe solide ?",
           "كم عدد الأحرف الأدنى لكلمة مرور قوية؟", [], "12"),
    ],
}
# (pre, post) answers by attendee, in turn: most learn, one already knew, one did not pass.
ANSWERS = [({"phishing": "click", "usb": "yes", "mfa": "yes", "length": "8"},
            {"phishing": "report", "usb": "no", "mfa": "yes", "length": "12"}),
           ({"phishing": "report", "usb": "yes", "mfa": "no", "length": "6"},
            {"phishing": "click", "usb": "no", "mfa": "no", "length": "10"}),
           ({"phishing": "report", "usb": "no", "mfa": "yes", "length": "12"},
            {"phishing": "report", "usb": "no", "mfa": "yes", "length": "12"}),
           ({"phishing": "forward", "usb": "no", "mfa": "no", "length": "8"},
            {"phishing": "report", "usb": "yes", "mfa": "yes", "length": "12"})]
PROFILES = 6  # officials with a digital profile


def _tests(conn: sqlite3.Connection, now: datetime) -> int:
    if forms.newest(conn, QUIZ_FORM) is None:
        forms.seed_form(conn, QUIZ, to_db(now))
    training_id = conn.execute("SELECT id FROM trainings WHERE code = ?", (TRAINING,)).fetchone()[0]
    forms.link_training(conn, training_id, "test", QUIZ_FORM)
    quiz = tests_repo.test_of_training(conn, training_id)
    assert quiz is not None  # linked just above, to a form seeded if it was missing
    attendees = [r[0] for r in conn.execute(
        """SELECT g.id FROM registrations g JOIN sessions s ON s.id = g.session_id
            WHERE s.training_id = ? AND g.status = 'attended' ORDER BY g.id""", (training_id,))]
    taken = 0
    for k, reg_id in enumerate(attendees):
        if tests_repo.attempt(conn, reg_id, "pre") is not None:
            continue
        for phase, values in zip(("pre", "post"), ANSWERS[k % len(ANSWERS)], strict=True):
            a = tests_repo.record(conn, reg_id, quiz.id, phase, scoring.score(quiz, values),
                                  scoring.max_score(quiz), now - timedelta(days=30))
            if phase == "post" and scoring.passes(quiz, a.score):
                tests_repo.mark_passed(conn, a, now)
        taken += 1
    return taken


def _profiles(conn: sqlite3.Connection, now: datetime) -> int:
    framework = assessments.framework(conn)
    people = [r[0] for r in conn.execute(
        "SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM roles) ORDER BY id LIMIT ?",
        (PROFILES,))]
    made = 0
    for n, uid in enumerate(people):
        if assessments.history(conn, uid):
            continue
        ratings = {q.qid: 1 + (n + i) % 5 for i, q in enumerate(framework.questions)}
        assessments.record(conn, uid, framework, ratings, now - timedelta(days=20))
        made += 1
    return made


def seed_learning(conn: sqlite3.Connection, now: datetime) -> dict[str, int]:
    return {"test_pairs": _tests(conn, now), "profiles": _profiles(conn, now)}
