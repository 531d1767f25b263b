"""The digital-skills framework (DESIGN 5.7) as data: five DigComp-style areas, twenty
statements in French and Arabic rated on five levels, and which catalogue themes strengthen which
areas. Seeded by a migration as version 1 of the `digcomp` form (kind self_assessment); a new
version is authored as a workbook like any questionnaire, never an edit of this one.
"""

from __future__ import annotations

# (code, French, Arabic), in the order a profile lists them.
AREAS = [
    ("info", "Information et données", "المعلومات والبيانات"),
    ("communication", "Communication et collaboration", "التواصل والتعاون"),
    ("content", "Création de contenus numériques", "إنشاء المحتوى الرقمي"),
    ("safety", "Sécurité", "الأمن الرقمي"),
    ("problem", "Résolution de problèmes", "حل المشكلات"),
]

# From "I cannot do this" to "I can guide others": the rating stored is the code.
LEVELS = [
    ["1", "Je ne sais pas le faire", "لا أستطيع القيام بذلك"],
    ["2", "Je le fais avec de l'aide", "أقوم بذلك بمساعدة"],
    ["3", "Je le fais seul(e) dans les cas simples", "أقوم بذلك بمفردي في الحالات البسيطة"],
    ["4", "Je le fais avec aisance, même dans les cas complexes",
     "أقوم بذلك بسهولة حتى في الحالات المعقدة"],
    ["5", "Je peux guider les autres", "أستطيع توجيه الآخرين"],
]

# (question id, area, French, Arabic)
STATEMENTS = [
    ("info_search", "info",
     "Je trouve rapidement une information fiable en ligne (moteurs de recherche, portails officiels).",
     "أجد بسرعة معلومة موثوقة على الإنترنت (محركات البحث، البوابات الرسمية)."),
    ("info_evaluate", "info",
     "Je vérifie la source et la fiabilité d'une information avant de l'utiliser.",
     "أتحقق من مصدر المعلومة ومن موثوقيتها قبل استعمالها."),
    ("info_organise", "info",
     "Je classe et retrouve mes fichiers de façon organisée (dossiers, nommage, espace partagé).",
     "أرتب ملفاتي وأسترجعها بطريقة منظمة (مجلدات، تسمية، فضاء مشترك)."),
    ("info_data", "info",
     "J'analyse des données dans un tableur (tris, filtres, tableaux croisés dynamiques).",
     "أحلل البيانات في جدول بيانات (فرز، تصفية، جداول محورية)."),
    ("comm_messaging", "communication",
     "J'utilise la messagerie professionnelle avec méthode (destinataires, objet, pièces jointes).",
     "أستعمل البريد الإلكتروني المهني بمنهجية (المرسل إليهم، الموضوع، المرفقات)."),
    ("comm_meetings", "communication",
     "J'organise et j'anime une réunion en visioconférence.",
     "أنظم اجتماعا عن بعد عبر الفيديو وأسيّره."),
    ("comm_coedit", "communication",
     "Je travaille à plusieurs sur un même document en ligne (coédition, commentaires, versions).",
     "أشتغل مع زملائي على الوثيقة نفسها عبر الإنترنت (تحرير مشترك، تعليقات، نسخ)."),
    ("comm_eservices", "communication",
     "J'accompagne un usager dans une démarche administrative en ligne.",
     "أرافق المرتفق في إنجاز إجراء إداري عبر الإنترنت."),
    ("content_docs", "content",
     "Je produis des documents bien structurés (styles, sommaire, mise en page).",
     "أنجز وثائق جيدة التنظيم (أنماط، فهرس، تنسيق الصفحات)."),
    ("content_slides", "content",
     "Je crée une présentation claire avec des visuels adaptés.",
     "أصمم عرضا تقديميا واضحا بصور ورسوم ملائمة."),
    ("content_edit", "content",
     "J'améliore un contenu existant (texte, image, tableau) sans en changer le sens.",
     "أحسّن محتوى موجودا (نص، صورة، جدول) دون تغيير معناه."),
    ("content_rights", "content",
     "Je respecte les droits d'auteur et les licences des contenus que je réutilise.",
     "أحترم حقوق المؤلف والتراخيص عند إعادة استعمال أي محتوى."),
    ("safety_passwords", "safety",
     "J'utilise des mots de passe robustes et différents, et la double authentification.",
     "أستعمل كلمات مرور قوية ومختلفة، والتحقق بخطوتين."),
    ("safety_phishing", "safety",
     "Je reconnais un courriel d'hameçonnage et je sais comment le signaler.",
     "أتعرف على رسائل التصيد الاحتيالي وأعرف كيف أبلغ عنها."),
    ("safety_personal", "safety",
     "Je protège les données personnelles des usagers que je traite (loi 09-08).",
     "أحمي المعطيات الشخصية للمرتفقين التي أعالجها (القانون 09.08)."),
    ("safety_devices", "safety",
     "Je tiens mes appareils à jour et je sauvegarde régulièrement mes données.",
     "أحرص على تحديث أجهزتي وأحفظ نسخا احتياطية من بياناتي بانتظام."),
    ("problem_solve", "problem",
     "Je résous seul(e) les problèmes techniques courants (connexion, imprimante, logiciel).",
     "أحل بنفسي المشاكل التقنية الشائعة (الاتصال، الطابعة، البرامج)."),
    ("problem_tools", "problem",
     "Je choisis l'outil numérique adapté à une tâche de mon service.",
     "أختار الأداة الرقمية الملائمة لمهمة في مصلحتي."),
    ("problem_improve", "problem",
     "Je propose de dématérialiser ou d'automatiser une tâche répétitive.",
     "أقترح رقمنة مهمة متكررة أو أتمتتها."),
    ("problem_learn", "problem",
     "Je repère mes lacunes numériques et je me forme pour les combler.",
     "أحدد نقائصي في المجال الرقمي وأتكوّن لتداركها."),
]

DIGCOMP_V1 = {
    "form": "digcomp", "kind": "self_assessment", "version": 1,
    "title_fr": "Mon profil numérique", "title_ar": "ملفي الرقمي",
    "questions": [{"qid": qid, "type": "scale", "required": True, "label_fr": fr, "label_ar": ar,
                   "options": LEVELS, "area": area} for qid, area, fr, ar in STATEMENTS],
}

# Catalogue themes (bot/storage/refdata.py) → the areas their trainings strengthen.
THEME_AREAS = {
    "TRANSFO": ("problem",),
    "DATA": ("info",),
    "EGOV": ("communication",),
    "IA": ("problem", "info"),
    "CYBER": ("safety",),
    "BUREAU": ("content", "communication"),
    "PROJET": ("communication", "problem"),
}
