"""The evaluation questionnaires (DESIGN 5.3) as data: question ids, types, French and Arabic
labels, options. They are seeded into the `questionnaires` and `questions` tables by a migration;
a new version is a new entry here and a new migration step, never an edit of a shipped one, so
answers (stored by question id and questionnaire version) keep their meaning.
"""

from __future__ import annotations

# Option lists: (code, French, Arabic). Scales store their code as the score 1-5.
AGREE = [
    ("1", "Pas du tout d'accord", "غير موافق إطلاقا"),
    ("2", "Plutôt pas d'accord", "غير موافق"),
    ("3", "Moyennement d'accord", "موافق نسبيا"),
    ("4", "Plutôt d'accord", "موافق"),
    ("5", "Tout à fait d'accord", "موافق تماما"),
]
LEVEL = [
    ("1", "Débutant", "مبتدئ"),
    ("2", "Notions", "معرفة أولية"),
    ("3", "Intermédiaire", "متوسط"),
    ("4", "Avancé", "متقدم"),
    ("5", "Expert", "خبير"),
]
SATISFACTION = [
    ("1", "Pas du tout satisfait(e)", "غير راض إطلاقا"),
    ("2", "Peu satisfait(e)", "غير راض"),
    ("3", "Moyennement satisfait(e)", "راض نسبيا"),
    ("4", "Satisfait(e)", "راض"),
    ("5", "Très satisfait(e)", "راض جدا"),
]
CHANGE = [
    ("1", "Aucun changement", "لا تغيير"),
    ("2", "Un peu", "تغيير طفيف"),
    ("3", "Moyennement", "تغيير متوسط"),
    ("4", "Beaucoup", "تغيير كبير"),
    ("5", "Énormément", "تغيير كبير جدا"),
]
SUPPORT = [
    ("1", "Aucun soutien", "لا دعم"),
    ("2", "Peu de soutien", "دعم ضعيف"),
    ("3", "Un soutien moyen", "دعم متوسط"),
    ("4", "Un bon soutien", "دعم جيد"),
    ("5", "Un très bon soutien", "دعم قوي"),
]
YES_PARTLY_NO = [("yes", "Oui", "نعم"), ("partly", "En partie", "جزئيا"), ("no", "Non", "لا")]
YES_NO = [("yes", "Oui", "نعم"), ("no", "Non", "لا")]
DURATION = [("short", "Trop courte", "قصيرة جدا"), ("right", "Adaptée", "مناسبة"),
            ("long", "Trop longue", "طويلة جدا")]
APPLIED = [("never", "Jamais", "أبدا"), ("sometimes", "Parfois", "أحيانا"),
           ("regularly", "Régulièrement", "بانتظام")]
OBSTACLES = [
    ("no_tools", "Pas les outils nécessaires", "غياب الأدوات اللازمة"),
    ("no_time", "Pas le temps", "ضيق الوقت"),
    ("no_support", "Pas de soutien", "غياب الدعم"),
    ("not_relevant", "Pas adapté à mon poste", "غير ملائم لمنصبي"),
]

# (question id, type, required, French label, Arabic label, options)
HOT_V1 = {
    "kind": "hot", "version": 1,
    "title_fr": "Évaluation à chaud", "title_ar": "التقييم الفوري للتكوين",
    "questions": [
        ("objectives", "scale", True, "Les objectifs de la formation ont été atteints.",
         "تم تحقيق أهداف التكوين.", AGREE),
        ("relevance", "scale", True, "La formation est utile pour mon travail.",
         "التكوين مفيد لعملي.", AGREE),
        ("trainer_mastery", "scale", True, "Le formateur maîtrise son sujet.",
         "المكون متمكن من موضوعه.", AGREE),
        ("trainer_pedagogy", "scale", True, "Le formateur explique clairement et fait participer.",
         "المكون يشرح بوضوح ويشرك المشاركين.", AGREE),
        ("materials", "scale", True, "Les supports et les outils sont de bonne qualité.",
         "الوسائل والأدوات المستعملة ذات جودة جيدة.", AGREE),
        ("organisation", "scale", True, "L'organisation (lieu, horaires, logistique) était bonne.",
         "كان التنظيم (المكان، التوقيت، اللوجستيك) جيدا.", AGREE),
        ("duration", "choice", True, "La durée de la formation était :", "مدة التكوين كانت:", DURATION),
        ("level_before", "scale", True, "Mon niveau sur le sujet AVANT la formation :",
         "مستواي في الموضوع قبل التكوين:", LEVEL),
        ("level_after", "scale", True, "Mon niveau sur le sujet APRÈS la formation :",
         "مستواي في الموضوع بعد التكوين:", LEVEL),
        ("apply", "choice", True, "J'ai l'intention d'appliquer ce que j'ai appris.",
         "أنوي تطبيق ما تعلمته.", YES_PARTLY_NO),
        ("satisfaction", "scale", True, "Dans l'ensemble, je suis :", "بشكل عام، أنا:", SATISFACTION),
        ("recommend", "choice", True, "Je recommanderais cette formation à un(e) collègue.",
         "أنصح زملائي بهذا التكوين.", YES_NO),
        ("most_useful", "text", False, "Ce qui m'a été le plus utile :", "أكثر ما أفادني:", []),
        ("to_improve", "text", False, "Ce qui pourrait être amélioré :", "ما يمكن تحسينه:", []),
        ("further_needs", "text", False, "Mes autres besoins de formation :",
         "احتياجاتي الأخرى في التكوين:", []),
    ],
}

COLD_V1 = {
    "kind": "cold", "version": 1,
    "title_fr": "Évaluation à froid", "title_ar": "التقييم البعدي للتكوين",
    "questions": [
        ("applied", "choice", True, "Avez-vous appliqué dans votre travail ce que vous avez appris ?",
         "هل طبقت في عملك ما تعلمته؟", APPLIED),
        ("which", "text", False, "Quelles compétences avez-vous appliquées ?",
         "ما هي المهارات التي طبقتها؟", []),
        ("obstacles", "multi", True,
         "Qu'est-ce qui vous a freiné(e) ? (plusieurs réponses possibles)",
         "ما الذي أعاقك؟ (يمكن اختيار عدة أجوبة)", OBSTACLES),
        ("work_change", "scale", True, "Ce que la formation a changé dans mon travail :",
         "ما غيره التكوين في عملي:", CHANGE),
        ("manager_support", "scale", True,
         "Le soutien de mon supérieur hiérarchique pour appliquer mes acquis :",
         "دعم رئيسي المباشر لتطبيق مكتسباتي:", SUPPORT),
        ("further_needs", "text", False, "Mes autres besoins de formation :",
         "احتياجاتي الأخرى في التكوين:", []),
    ],
}

QUESTIONNAIRES = [HOT_V1, COLD_V1]


def as_form(q: dict) -> dict:
    """One of the questionnaires above as a form record (bot/storage/forms.py): the defaults are
    the forms named after their kind."""
    return {"form": q["kind"], "kind": q["kind"], "version": q["version"], "title_fr": q["title_fr"],
            "title_ar": q["title_ar"], "pass_mark": None, "training": None,
            "questions": [{"qid": qid, "type": kind, "required": required, "label_fr": fr,
                           "label_ar": ar, "options": [list(o) for o in options], "relevant": None,
                           "correct": None, "points": None, "area": None}
                          for qid, kind, required, fr, ar, options in q["questions"]]}
