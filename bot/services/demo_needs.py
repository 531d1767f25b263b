"""The demo's needs survey (issue 16), so that `make demo DEMO_ROLE=focal_point` shows its results
with `/needs` (the console's focal point answers for ADD, the first administration): twelve
officials of ADD answered, enough for the breakdowns to show groups of at least 5 and to hide
the smaller ones. Idempotent like the rest of the demo: a demo survey already there is left."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.storage import needs as repo
from bot.storage.users import save_profile
from bot.timeutil import to_db

ADMINISTRATION = "ADD"
FIRST_ID = 990_000_301  # demo people's range (bot/services/demo.py)
# (name, sex, lang, level, region, position, themes with levels, modality, constraints)
RESPONDENTS = [
    ("Imane Berrada", "F", "fr", "central", None, "cadre", {"DATA": 2, "IA": 1}, "hybride", ["time"]),
    ("Karim Idrissi", "M", "fr", "central", None, "cadre", {"DATA": 3, "IA": 2}, "presentiel", ["time"]),
    ("سناء العلوي", "F", "ar", "territorial", "RSK", "technicien", {"DATA": 1, "CYBER": 2},
     "distanciel", ["travel"]),
    ("Yassine Tazi", "M", "fr", "territorial", "RSK", "cadre", {"DATA": 2, "IA": 1}, "presentiel", []),
    ("Laila Bennani", "F", "fr", "central", None, "responsable", {"DATA": 4, "TRANSFO": 2}, "coaching",
     ["time", "approval"]),
    ("عبد الله الفاسي", "M", "ar", "territorial", "RSK", "technicien", {"DATA": 1, "IA": 1}, "presentiel",
     ["equipment"]),
    ("Nora Kabbaj", "F", "fr", "central", None, "cadre", {"DATA": 2, "IA": 2, "CYBER": 1}, "hybride",
     ["time"]),
    ("Omar Chami", "M", "fr", "territorial", "RSK", "cadre", {"DATA": 3}, "presentiel", ["travel"]),
    ("هند الصقلي", "F", "ar", "territorial", "RSK", "technicien", {"DATA": 2, "IA": 1}, "distanciel", []),
    ("Adil Lamrani", "M", "fr", "central", None, "cadre", {"DATA": 3, "CYBER": 2}, "presentiel", ["time"]),
    ("Rim Sebti", "F", "fr", "central", None, "cadre", {"DATA": 2, "IA": 2}, "hybride", ["language"]),
    ("Hamid Ouali", "M", "fr", "territorial", "RSK", "technicien", {"DATA": 1, "IA": 1}, "presentiel",
     ["time"]),
]


def seed(conn: sqlite3.Connection, now: datetime) -> int:
    """Write the demo survey and its answers; returns the answers added (0 when already there)."""
    if conn.execute("SELECT 1 FROM needs_surveys WHERE administration_code = ? AND launched_by IS NULL",
                    (ADMINISTRATION,)).fetchone():
        return 0
    launched = now - timedelta(days=14)
    consent = now - timedelta(days=60)
    sid = conn.execute("INSERT INTO needs_surveys (administration_code, launched_by, launched_at, recipients)"
                       " VALUES (?, NULL, ?, ?) RETURNING id",
                       (ADMINISTRATION, to_db(launched), len(RESPONDENTS))).fetchone()[0]
    for i, row in enumerate(RESPONDENTS):
        name, sex, lang, level, region, position, themes, modality, constraints = row
        uid = FIRST_ID + i
        save_profile(conn, uid, lang, dict(full_name=name, sex=sex, administration_code=ADMINISTRATION,
                                           level=level, region_code=region, position_code=position),
                     consent, now)
        answer = {"themes": list(themes), "levels": themes, "themes_done": True, "modality": modality,
                  "constraints": constraints, "constraints_done": True, "note": ""}
        repo.save(conn, sid, uid, answer, True, launched + timedelta(hours=i + 1))
    return len(RESPONDENTS)
