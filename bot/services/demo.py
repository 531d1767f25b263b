"""A realistic bilingual demo programme, placed relative to `now`.

Used to show the bot, by the tests and by the benchmarks, so it is deterministic (no randomness)
and idempotent: trainings and sessions are upserted by code / reference, people by id, and
registrations are `INSERT OR IGNORE`, so seeding twice leaves the same data. Run it in one
transaction: `await db.write(seed_demo, now)`.

Demo people use the id range 990_000_001… that the project reserves for demo data, so they are
easy to tell apart and to remove.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta

from bot.services import demo_forms, demo_needs, demo_paths
from bot.services.demo_learning import seed_learning
from bot.services.demo_plans import seed_plans
from bot.services.demo_selfassessment import seed as seed_selfassessment
from bot.storage.catalogue import upsert_session, upsert_training
from bot.storage.users import grant, save_profile
from bot.text import fold
from bot.timeutil import from_local, to_db, to_local

DEMO_ID_BASE = 990_000_000

# --- trainings: (code, theme, modality, level, hours, title_fr, title_ar, desc_fr, desc_ar) ----
TRAININGS = [
    ("TRF-101", "TRANSFO", "presentiel", "strategique", 14,
     "Conduite du changement dans la transformation digitale",
     "قيادة التغيير في مسار التحول الرقمي",
     "Comprendre les résistances, mobiliser les équipes et piloter l'adoption des nouveaux "
     "outils dans un projet de transformation digitale.",
     "فهم أشكال مقاومة التغيير، وتعبئة الفرق، وقيادة تبني الأدوات الجديدة في مشاريع التحول "
     "الرقمي."),
    ("TRF-102", "TRANSFO", "coaching", "strategique", 7,
     "Leadership à l'ère du numérique",
     "القيادة في العصر الرقمي",
     "Accompagnement individuel des responsables : vision numérique, décision fondée sur les "
     "données et animation d'équipes hybrides.",
     "مواكبة فردية للمسؤولين: الرؤية الرقمية، واتخاذ القرار المبني على المعطيات، وتنشيط الفرق "
     "في بيئة عمل هجينة."),
    ("DAT-101", "DATA", "hybride", "strategique", 14,
     "Gouvernance des données publiques",
     "حكامة المعطيات العمومية",
     "Rôles et responsabilités, qualité, référentiels et partage des données entre "
     "administrations.",
     "الأدوار والمسؤوليات، وجودة المعطيات، والمرجعيات، وتقاسم المعطيات بين الإدارات."),
    ("DAT-201", "DATA", "presentiel", "operationnel", 21,
     "Power BI pour le pilotage",
     "برنامج Power BI لقيادة الأداء",
     "Importer et préparer des données, construire des tableaux de bord interactifs et suivre "
     "les indicateurs d'une direction.",
     "استيراد المعطيات وإعدادها، وبناء لوحات قيادة تفاعلية، وتتبع مؤشرات أداء المديرية."),
    ("DAT-202", "DATA", "distanciel", "tous", 7,
     "Open data : publier et réutiliser les données publiques",
     "البيانات المفتوحة: نشر المعطيات العمومية وإعادة استعمالها",
     "Cadre marocain de l'open data, préparation des jeux de données et publication sur le "
     "portail national data.gov.ma.",
     "الإطار المغربي للبيانات المفتوحة، وإعداد مجموعات البيانات ونشرها على البوابة الوطنية "
     "data.gov.ma."),
    ("EGV-101", "EGOV", "presentiel", "tous", 14,
     "Dématérialisation des procédures administratives",
     "رقمنة المساطر الإدارية",
     "Cartographier une procédure, la simplifier conformément à la loi 55-19 et la mettre en "
     "ligne de bout en bout.",
     "رسم خريطة المسطرة الإدارية وتبسيطها وفقا للقانون رقم 55.19 ورقمنتها من البداية إلى النهاية."),
    ("EGV-102", "EGOV", "hybride", "operationnel", 21,
     "Concevoir des services publics en ligne centrés sur l'usager",
     "تصميم خدمات عمومية رقمية تتمحور حول المرتفق",
     "Parcours usager, design de services, accessibilité et mesure de la satisfaction des "
     "services en ligne.",
     "مسار المرتفق، وتصميم الخدمات، وولوجيتها، وقياس رضا المرتفقين عن الخدمات الإلكترونية."),
    ("EGV-301", "EGOV", "voyage_etude", "strategique", 35,
     "Voyage d'étude : l'e-gouvernement en Estonie",
     "زيارة دراسية: الحكومة الإلكترونية في إستونيا",
     "Une semaine à Tallinn pour découvrir l'identité numérique, l'interopérabilité X-Road et "
     "l'organisation de l'État numérique estonien.",
     "أسبوع في تالين للاطلاع على الهوية الرقمية ومنصة الربط البيني X-Road وتنظيم الدولة الرقمية "
     "في إستونيا."),
    ("IA-101", "IA", "hybride", "tous", 14,
     "IA générative pour l'administration",
     "الذكاء الاصطناعي التوليدي في خدمة الإدارة",
     "Usages concrets des assistants conversationnels (rédaction, synthèse, traduction), "
     "rédaction des requêtes et règles d'un usage responsable.",
     "استعمالات عملية للمساعدات المحادثية (التحرير والتلخيص والترجمة)، وصياغة الأوامر، وقواعد "
     "الاستعمال المسؤول."),
    ("IA-102", "IA", "presentiel", "strategique", 7,
     "Intelligence artificielle : enjeux et gouvernance pour les décideurs",
     "الذكاء الاصطناعي: الرهانات والحكامة لفائدة صناع القرار",
     "Opportunités, risques et cadre éthique de l'IA dans le secteur public ; comment lancer et "
     "encadrer un premier projet.",
     "فرص الذكاء الاصطناعي ومخاطره وإطاره الأخلاقي في القطاع العام، وكيفية إطلاق مشروع أول "
     "وتأطيره."),
    ("CYB-101", "CYBER", "distanciel", "tous", 6,
     "Cybersécurité : les bons réflexes au quotidien",
     "الأمن السيبراني: الممارسات السليمة في العمل اليومي",
     "Mots de passe, hameçonnage, messagerie et appareils mobiles : les gestes simples qui "
     "protègent l'administration, conformément à la DNSSI.",
     "كلمات المرور، والتصيد الاحتيالي، والبريد الإلكتروني، والأجهزة المحمولة: ممارسات بسيطة تحمي "
     "الإدارة، وفقا للتوجيه الوطني لأمن نظم المعلومات."),
    ("CYB-102", "CYBER", "presentiel", "operationnel", 7,
     "Protection des données personnelles (loi 09-08)",
     "حماية المعطيات ذات الطابع الشخصي (القانون رقم 09.08)",
     "Principes de la loi 09-08, déclarations et autorisations auprès de la CNDP, droits des "
     "personnes et sécurité des traitements.",
     "مبادئ القانون رقم 09.08، والتصريحات والأذونات لدى اللجنة الوطنية لمراقبة حماية المعطيات ذات "
     "الطابع الشخصي، وحقوق الأشخاص، وأمن المعالجات."),
    ("BUR-101", "BUREAU", "presentiel", "operationnel", 14,
     "Excel avancé : tableaux croisés dynamiques et automatisation",
     "إكسل المتقدم: الجداول المحورية والأتمتة",
     "Formules avancées, tableaux croisés dynamiques, mise en forme conditionnelle et premières "
     "macros pour les tâches répétitives.",
     "الصيغ المتقدمة، والجداول المحورية، والتنسيق الشرطي، وأولى وحدات الماكرو لأتمتة المهام "
     "المتكررة."),
    ("BUR-102", "BUREAU", "distanciel", "tous", 7,
     "Travail collaboratif : messagerie, agenda et documents partagés",
     "العمل التشاركي: البريد الإلكتروني والأجندة والوثائق المشتركة",
     "Organiser des réunions en ligne, co-éditer des documents et partager des dossiers en "
     "respectant les règles de sécurité.",
     "تنظيم الاجتماعات عن بعد، والتحرير المشترك للوثائق، وتقاسم الملفات مع احترام قواعد الأمن."),
    ("PRJ-101", "PROJET", "hybride", "operationnel", 21,
     "Gestion de projets agiles (Scrum)",
     "تدبير المشاريع بالمنهجية الرشيقة (سكرم)",
     "Rôles, cérémonies et artefacts Scrum appliqués à un projet numérique public, du backlog à "
     "la démonstration.",
     "أدوار منهجية سكرم ومحطاتها وأدواتها مطبقة على مشروع رقمي عمومي، من سجل المتطلبات إلى العرض "
     "التوضيحي."),
    ("PRJ-102", "PROJET", "coaching", "operationnel", 7,
     "Coaching : piloter un projet de transformation digitale",
     "مواكبة: قيادة مشروع للتحول الرقمي",
     "Séances en petit groupe sur le projet réel de chaque participant : cadrage, planning, "
     "risques et indicateurs.",
     "حصص في مجموعات صغيرة حول المشروع الفعلي لكل مشارك: التأطير، والتخطيط، والمخاطر، والمؤشرات."),
]

# --- places: key -> (French, Arabic, region); online and abroad places have no region ----------
PLACES = {
    "INA": ("Institut national de l'administration, Rabat", "المعهد الوطني للإدارة، الرباط", "RSK"),
    "MTN": ("Ministère de la Transition numérique, Hay Riad, Rabat",
            "وزارة الانتقال الرقمي، حي الرياض، الرباط", "RSK"),
    "CAS": ("Centre régional d'investissement, Casablanca",
            "المركز الجهوي للاستثمار، الدار البيضاء", "CST"),
    "FES": ("Wilaya de la région Fès-Meknès, Fès", "ولاية جهة فاس مكناس، فاس", "FME"),
    "MRK": ("Conseil de la région Marrakech-Safi, Marrakech", "مجلس جهة مراكش آسفي، مراكش", "MSA"),
    "TNG": ("Wilaya de la région Tanger-Tétouan-Al Hoceïma, Tanger",
            "ولاية جهة طنجة تطوان الحسيمة، طنجة", "TTA"),
    "OUJ": ("Université Mohammed Premier, Oujda", "جامعة محمد الأول، وجدة", "ORI"),
    "AGA": ("Conseil de la région Souss-Massa, Agadir", "مجلس جهة سوس ماسة، أكادير", "SMA"),
    "LAA": ("Centre régional d'investissement, Laâyoune", "المركز الجهوي للاستثمار، العيون", "LSH"),
    "TLL": ("Tallinn, Estonie", "تالين، إستونيا", None),
    "WEB": ("En ligne (visioconférence)", "عن بعد (عبر تقنية التناظر المرئي)", None),
}

# Daily slots, Moroccan wall-clock time: full day, morning, afternoon.
SLOTS = {"J": (time(9), time(16, 30)), "M": (time(9), time(12, 30)), "A": (time(14), time(17))}

# --- trainers (ids 990_000_001…): (name, sex, language, administration, position) --------------
TRAINERS = [
    ("Laila Benmoussa", "F", "fr", "ADD", "cadre"),
    ("Adil Cherkaoui", "M", "fr", "MTNRA", "responsable"),
    ("Nawal El Khattabi", "F", "fr", "MEF", "cadre"),
    ("طارق بنكيران", "M", "ar", "MTNRA", "cadre"),
]
TRAINER_IDS = T1, T2, T3, T4 = tuple(DEMO_ID_BASE + 1 + i for i in range(len(TRAINERS)))

# --- sessions: (reference, day offset, slot, days, place, capacity, language, approval,
#     deadline in days before the start or None, trainer). The training is the reference
#     minus its "-NN" suffix. Days are shifted to working days (see _workday). -----------------
SESSIONS = [
    ("TRF-101-01", -24, "J", 2, "INA", 25, "fr", True, None, T1),  # past
    ("TRF-101-02", 16, "J", 2, "INA", 25, "fr", True, 7, T1),
    ("TRF-101-03", 58, "J", 2, "FES", 20, "fr+ar", True, 10, T1),
    ("TRF-102-01", 9, "M", 2, "MTN", 10, "fr", True, 4, T2),
    ("TRF-102-02", 44, "M", 2, "CAS", 10, "ar", True, None, T2),
    ("DAT-101-01", 22, "J", 2, "INA", 30, "fr", True, 10, T3),
    ("DAT-101-02", 79, "J", 2, "TNG", 25, "fr+ar", False, None, T3),
    ("DAT-201-01", -17, "J", 3, "CAS", 15, "fr", False, None, T3),  # past
    ("DAT-201-02", 12, "J", 3, "INA", 15, "fr", False, 5, T3),
    ("DAT-201-03", 40, "J", 3, "MRK", 15, "fr", False, 7, T3),
    ("DAT-201-04", 96, "J", 3, "OUJ", 15, "fr+ar", False, None, None),
    ("DAT-202-01", 6, "M", 2, "WEB", 30, "fr", False, None, T4),
    ("DAT-202-02", 63, "M", 2, "WEB", 30, "ar", False, None, T4),
    ("EGV-101-01", 19, "J", 2, "AGA", 20, "fr+ar", False, 7, T2),
    ("EGV-101-02", 33, "J", 2, "LAA", 20, "ar", False, None, T2),  # cancelled
    ("EGV-101-03", 71, "J", 2, "FES", 20, "fr", False, 7, T2),
    ("EGV-102-01", 27, "J", 3, "MTN", 20, "fr", False, 10, T4),
    ("EGV-102-02", 86, "J", 3, "CAS", 20, "fr+ar", False, None, T4),
    ("EGV-301-01", 51, "J", 5, "TLL", 12, "fr", True, 21, None),
    ("EGV-301-02", 115, "J", 5, "TLL", 12, "fr", True, 30, None),
    ("IA-101-01", -12, "J", 2, "INA", 30, "fr", False, None, T1),  # past
    ("IA-101-02", 8, "J", 2, "MTN", 30, "fr", False, 3, T1),
    ("IA-101-03", 37, "J", 2, "CAS", 30, "ar", False, 7, T1),
    ("IA-101-04", 101, "J", 2, "TNG", 30, "fr+ar", False, None, T1),
    ("IA-102-01", 30, "J", 1, "INA", 20, "fr", True, 10, T2),
    ("IA-102-02", 92, "J", 1, "MRK", 20, "fr+ar", True, 14, T2),
    ("CYB-101-01", 4, "A", 2, "WEB", 30, "fr", False, None, T4),
    ("CYB-101-02", 25, "A", 2, "WEB", 30, "ar", False, None, T4),
    ("CYB-101-03", 53, "A", 2, "WEB", 30, "fr", False, None, T4),
    ("CYB-101-04", 110, "A", 2, "WEB", 30, "fr+ar", False, None, None),
    ("CYB-102-01", -31, "J", 1, "INA", 20, "fr", False, None, T4),  # past
    ("CYB-102-02", 14, "J", 1, "CAS", 20, "fr+ar", False, 5, T4),
    ("CYB-102-03", 47, "J", 1, "OUJ", 20, "ar", False, 7, T4),
    ("CYB-102-04", 82, "J", 1, "AGA", 20, "fr", False, None, T3),
    ("BUR-101-01", 11, "J", 2, "FES", 12, "ar", False, None, T3),
    ("BUR-101-02", 65, "J", 2, "LAA", 12, "fr+ar", False, 7, T3),
    ("BUR-102-01", 20, "M", 2, "WEB", 25, "fr", False, None, None),
    ("BUR-102-02", 75, "M", 2, "WEB", 25, "ar", False, None, None),
    ("PRJ-101-01", 35, "J", 3, "MTN", 18, "fr", False, 10, T3),
    ("PRJ-101-02", 99, "J", 3, "MRK", 18, "fr+ar", False, None, T3),
    ("PRJ-102-01", 17, "M", 2, "CAS", 10, "fr", True, None, T2),
    ("PRJ-102-02", 68, "M", 2, "TNG", 10, "ar", True, None, T2),
]
CANCELLED = {"EGV-101-02"}

# Seats taken by demo officials, so the catalogue shows every case: past sessions with their
# attendance, exactly full (BUR-101-01, EGV-301-01), one seat left (TRF-102-01, DAT-201-02,
# CYB-102-02), partly filled, and a cancelled session whose registrations were cancelled.
FILLS = {
    "TRF-101-01": 22, "DAT-201-01": 14, "IA-101-01": 24, "CYB-102-01": 18,
    "BUR-101-01": 12, "EGV-301-01": 12,
    "TRF-102-01": 9, "DAT-201-02": 14, "CYB-102-02": 19,
    "TRF-101-02": 8, "IA-101-02": 17, "CYB-101-01": 11, "EGV-101-01": 5, "DAT-101-01": 6,
    "EGV-101-02": 4,
}

# --- officials (ids 990_000_101…): (name, sex, language, administration, level, region, position).
# Arabic-speaking people typed their name in Arabic, as they would in the bot.
OFFICIALS = [
    ("Fatima Zahra El Idrissi", "F", "fr", "MTNRA", "central", None, "cadre"),
    ("Youssef El Mansouri", "M", "fr", "MEF", "central", None, "responsable"),
    ("خديجة بنعلي", "F", "ar", "MI", "territorial", "FME", "cadre"),
    ("Hicham Aït Lahcen", "M", "fr", "DGCT", "territorial", "SMA", "technicien"),
    ("Salma Berrada", "F", "fr", "ADD", "central", None, "cadre"),
    ("رشيد بوطالب", "M", "ar", "MJ", "territorial", "ORI", "responsable"),
    ("Nadia Ouazzani", "F", "fr", "MSPS", "territorial", "CST", "responsable"),
    ("Omar Sqalli", "M", "fr", "HCP", "central", None, "technicien"),
    ("إيمان التازي", "F", "ar", "MENPS", "territorial", "TTA", "cadre"),
    ("Abdelilah Naciri", "M", "fr", "MEE", "territorial", "MSA", "cadre"),
    ("Houda El Amrani", "F", "fr", "MAPMDREF", "territorial", "BMK", "technicien"),
    ("كريم بنجلون", "M", "ar", "MI", "territorial", "RSK", "responsable"),
    ("Meryem Alaoui", "F", "fr", "MIC", "central", None, "cadre"),
    ("سعيد الوهبي", "M", "ar", "MHAI", "central", None, "technicien"),
    ("Sanaa Chraibi", "F", "fr", "MTL", "central", None, "responsable"),
    ("Mehdi Fikri", "M", "fr", "MTNRA", "central", None, "technicien"),
    ("لطيفة بناني", "F", "ar", "MSISF", "territorial", "DTA", "cadre"),
    ("Anouar Zouiten", "M", "fr", "MEF", "territorial", "CST", "cadre"),
    ("Asmae El Fassi", "F", "fr", "MJCC", "central", None, "technicien"),
    ("حمزة الورديغي", "M", "ar", "DGCT", "territorial", "LSH", "cadre"),
    ("Ghizlane Lahlou", "F", "fr", "MESRSI", "territorial", "FME", "responsable"),
    ("إبراهيم آيت باها", "M", "ar", "MATNUHPV", "territorial", "GON", "technicien"),
    ("Zineb Kettani", "F", "fr", "MAECAMRE", "central", None, "cadre"),
    ("Mohammed Amine Bennis", "M", "fr", "MTEDD", "territorial", "DOD", "responsable"),
]
OFFICIAL_IDS = [DEMO_ID_BASE + 101 + i for i in range(len(OFFICIALS))]


def _workday(day: date, days: int) -> date:
    """The first day from `day` on where the whole session fits in one Monday–Friday week."""
    while day.weekday() + days > 5:
        day += timedelta(days=1)
    return day


def _people(conn: sqlite3.Connection, now: datetime) -> int:
    consent = now - timedelta(days=60)  # everyone joined a while before the demo "now"
    for uid, (name, sex, lang, admin, position) in zip(TRAINER_IDS, TRAINERS, strict=True):
        fields = dict(full_name=name, sex=sex, administration_code=admin, level="central",
                      position_code=position)
        save_profile(conn, uid, lang, fields, consent, now)
        grant(conn, uid, "trainer", None, None, now)
    for uid, (name, sex, lang, admin, level, region, pos) in zip(OFFICIAL_IDS, OFFICIALS,
                                                                 strict=True):
        profile: dict[str, str | None] = dict(
            full_name=name, sex=sex, administration_code=admin, level=level, region_code=region,
            position_code=pos)  # an official's region may be unknown (None)
        save_profile(conn, uid, lang, profile, consent, now)
    return len(TRAINERS) + len(OFFICIALS)


def _register(conn, index: int, session_id: int, fill: int, starts: datetime, ends: datetime,
              cancelled: bool, now: datetime) -> int:
    """Give `fill` officials a seat, a different rotation per session so people vary."""
    past = ends < now
    for k in range(fill):
        uid = OFFICIAL_IDS[(index * 5 + k) % len(OFFICIAL_IDS)]
        created = min(now, starts) - timedelta(days=3 + k % 10)
        status, updated = "confirmed", created
        if cancelled:
            status = "cancelled"
        elif past:  # about one in six did not come
            status, updated = ("absent" if k % 6 == 5 else "attended"), ends
        conn.execute(
            "INSERT OR IGNORE INTO registrations (session_id, user_id, status, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?)",
            (session_id, uid, status, to_db(created), to_db(updated)),
        )
    return fill


def seed_demo(conn: sqlite3.Connection, now: datetime) -> dict[str, int]:
    """Write the demo programme around `now`; return how many of each thing it holds."""
    users = _people(conn, now)
    training_ids, modality = {}, {}
    for code, theme, mod, level, hours, t_fr, t_ar, d_fr, d_ar in TRAININGS:
        training_ids[code] = upsert_training(
            conn, code=code, title_fr=t_fr, title_ar=t_ar, description_fr=d_fr,
            description_ar=d_ar, theme_code=theme, modality=mod, duration_hours=hours, level=level,
            search_text=fold(f"{code} {t_fr} {t_ar} {d_fr} {d_ar}"), now=now,
        )
        modality[code] = mod
    today = to_local(now).date()
    registrations = 0
    for index, (ref, offset, slot, days, place, capacity, lang, approval, deadline,
                trainer) in enumerate(SESSIONS):
        code = ref.rsplit("-", 1)[0]
        first = _workday(today + timedelta(days=offset), days)
        start_t, end_t = SLOTS[slot]
        starts = from_local(datetime.combine(first, start_t))
        ends = from_local(datetime.combine(first + timedelta(days=days - 1), end_t))
        place_fr, place_ar, region = PLACES[place]
        online = modality[code] in ("distanciel", "hybride")
        session_id = upsert_session(
            conn, reference=ref, training_id=training_ids[code], starts_at=starts, ends_at=ends,
            place_fr=place_fr, place_ar=place_ar, region_code=region,
            online_url=f"https://meet.example.ma/{ref.lower()}" if online else None,
            capacity=capacity, trainer_id=trainer,
            registration_deadline=starts - timedelta(days=deadline) if deadline else None,
            needs_approval=approval, language=lang,
            status="cancelled" if ref in CANCELLED else "published", now=now,
        )
        registrations += _register(conn, index, session_id, FILLS.get(ref, 0), starts, ends,
                                   ref in CANCELLED, now)
    seed_plans(conn, now)  # competence plans on these sessions (bot/services/demo_plans.py)
    demo_paths.seed(conn, now)  # a path with its cohort, a session in days (issue 17)
    seed_learning(conn, now)  # a knowledge test and digital profiles (bot/services/demo_learning.py)
    demo_needs.seed(conn, now)  # a needs survey of ADD with its answers (issue 16)
    seed_selfassessment(conn, now)  # two profiles with an earlier one to compare with
    demo_forms.seed(conn, now)  # CYB-102's own hot form; a participant with 🏅 (issue 17)
    return {"trainings": len(TRAININGS), "sessions": len(SESSIONS), "users": users,
            "trainers": len(TRAINERS), "registrations": registrations}
