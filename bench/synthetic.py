"""A national-scale synthetic programme for the national benchmark: about 600,000 officials,
5,000 sessions, 1,000,000 registrations and 300,000 evaluations.

Deterministic (a seeded generator) and fast: rows come from Python generators through
`executemany` in one transaction per table, on a connection with journaling off (the file is
thrown away if generation fails), then the database is switched back to WAL and ANALYZEd.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import synthetic_evaluations
from bot.storage import refdata, schema_indicators, schema_people
from bot.storage.db import Database
from bot.storage.migrations import LATEST, migrate
from bot.text import fold
from bot.timeutil import to_db

# Bump when the generated data changes, so a cached database is rebuilt.
GENERATOR_VERSION = 4
# Sessions run from January 2024 to June 2027; "now" for the measurements is ANCHOR.
FIRST_DAY = datetime(2024, 1, 1, 8, 30, tzinfo=UTC)
DAYS = 3 * 365 + 181
ANCHOR = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NATIONAL_ID = 900_000_001  # a national coordinator
FOCAL_BASE = 900_000_100  # focal point of administration i: FOCAL_BASE + i

# Share of the officials per administration (per thousand): large ministries dominate, and one
# (MSPS) holds about 5 % — the "large administration" whose export is measured.
WEIGHTS = {"MENPS": 300, "MI": 150, "MSPS": 50, "MEF": 45, "MJ": 45, "MAPMDREF": 40, "DGCT": 40}
# (modality, share of sessions, capacity)
MODALITIES = [("presentiel", 0.40, 30), ("distanciel", 0.25, 600), ("hybride", 0.20, 80),
              ("coaching", 0.10, 12), ("voyage_etude", 0.05, 20)]
FIRST = ["Amina", "Youssef", "Fatima Zahra", "Hicham", "Salma", "Omar", "Nadia", "Karim", "Meryem",
         "Anouar", "خديجة", "رشيد", "إيمان", "سعيد", "لطيفة", "حمزة"]
LAST = ["El Idrissi", "Bennani", "Alaoui", "Berrada", "Chraibi", "Fikri", "Lahlou", "Kettani",
        "بنعلي", "التازي", "بنجلون", "الوهبي", "بناني", "الورديغي"]


def path_for(folder: Path) -> Path:
    """Where the cached database of this generator and schema version lives."""
    return folder / f"national-g{GENERATOR_VERSION}-s{LATEST}.db"


def _admin_picker(rng: random.Random) -> list[str]:
    """A list to draw administrations from with the right shares (1,000 slots)."""
    codes = [code for code, _, _ in refdata.ADMINISTRATIONS]
    rest = [c for c in codes if c not in WEIGHTS]
    left = 1000 - sum(WEIGHTS.values())
    slots = [c for c, w in WEIGHTS.items() for _ in range(w)]
    slots += [rest[i % len(rest)] for i in range(left)]
    return slots


def _users(rng: random.Random, count: int) -> Iterator[tuple]:
    admins, regions = _admin_picker(rng), [r[0] for r in refdata.REGIONS]
    positions = [p[0] for p in refdata.POSITIONS]
    for uid in range(1, count + 1):
        arabic = rng.random() < 0.4
        first, last = rng.choice(FIRST[10:] if arabic else FIRST[:10]), rng.choice(LAST)
        territorial = rng.random() < 0.7
        joined = to_db(FIRST_DAY - timedelta(days=30) + timedelta(minutes=rng.randrange(DAYS * 1440)))
        yield (uid, "ar" if arabic else "fr", f"{first} {last}", "F" if rng.random() < 0.42 else "M",
               rng.choice(admins), "territorial" if territorial else "central",
               rng.choice(regions) if territorial else None, rng.choice(positions),
               joined, joined, joined, joined)


def _trainings(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[tuple[int, str]]:
    themes = [t[0] for t in refdata.THEMES]
    out = []
    for i in range(count):
        modality = rng.choices([m for m, _, _ in MODALITIES], [w for _, w, _ in MODALITIES])[0]
        code = f"NAT-{i + 1:03d}"
        title_fr, title_ar = f"Formation nationale {i + 1}", f"تكوين وطني {i + 1}"
        row = conn.execute(
            "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, duration_hours,"
            " search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 14, ?, ?, ?) RETURNING id",
            (code, title_fr, title_ar, themes[i % len(themes)], modality,
             fold(f"{code} {title_fr} {title_ar}"), to_db(FIRST_DAY), to_db(FIRST_DAY))).fetchone()
        out.append((row[0], modality))
    return out


def _sessions(rng: random.Random, trainings: list[tuple[int, str]], count: int) -> list[tuple]:
    capacity = {m: c for m, _, c in MODALITIES}
    regions = [r[0] for r in refdata.REGIONS]
    rows = []
    for i in range(count):
        training, modality = trainings[i % len(trainings)]
        starts = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        online = modality in ("distanciel", "hybride")
        rows.append((i + 1, f"NAT-S{i + 1:05d}", training, to_db(starts), to_db(starts + timedelta(hours=7)),
                     "Centre de formation", "مركز التكوين", None if modality == "distanciel" else
                     rng.choice(regions), f"https://meet.example.ma/n{i + 1}" if online else None,
                     capacity[modality], int(rng.random() < 0.15), to_db(starts - timedelta(days=60))))
    return rows


def _registrations(rng: random.Random, sessions: list[tuple], users: int, total: int) -> Iterator[tuple]:
    """Each session draws people at random; the first `capacity` hold a seat, the rest wait.
    Past sessions: 85 % of the seated attended, 10 % were absent, 5 % cancelled."""
    demand = [s[9] * rng.uniform(0.5, 1.6) for s in sessions]
    scale = total / sum(demand)
    wanted = [max(1, round(d * scale)) for d in demand]
    wanted[-1] += total - sum(wanted)
    anchor = to_db(ANCHOR)
    reg_id = 0
    for (sid, _, _, starts, _, _, _, _, _, capacity, approval, _), k in zip(sessions, wanted, strict=True):
        past = starts < anchor
        start = datetime.fromisoformat(starts).replace(tzinfo=UTC)
        for seq, uid in enumerate(sorted(rng.sample(range(1, users + 1), k)), start=1):
            roll = rng.random()
            if seq > capacity:
                status = "waitlisted"
            elif past:
                status = "attended" if roll < 0.85 else "absent" if roll < 0.95 else "cancelled"
            else:
                status = ("cancelled" if roll < 0.07 else
                          "requested" if approval and roll < 0.12 else "confirmed")
            reg_id += 1
            created = to_db(start - timedelta(days=1 + rng.randrange(50), minutes=rng.randrange(1440)))
            yield (reg_id, sid, uid, status, seq, created, created)


def generate(path: Path, users: int = 600_000, sessions: int = 5_000, registrations: int = 1_000_000,
             evaluations: int = 300_000, trainings: int = 150, seed: int = 20261125) -> dict[str, float]:
    """Write the synthetic programme into a new database at `path` (replaced if present)."""
    started = time.perf_counter()
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)

    async def schema() -> None:
        db = await Database.open(tmp)
        await migrate(db)
        await db.close()

    asyncio.run(schema())
    rng = random.Random(seed)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    conn.execute("BEGIN")
    # The reporting facts are computed once at the end (schema_indicators.rebuild) instead of by
    # their triggers a row at a time; the triggers are put back exactly as the migration made them.
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND"
                            " (name LIKE 'registration_facts_%' OR name LIKE '%_cells_%'"
                            " OR name LIKE 'attendance_facts_%')").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany(
        "INSERT INTO users (id, language, full_name, sex, administration_code, level, region_code,"
        " position_code, consent_at, onboarded_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _users(rng, users))
    catalogue = _trainings(conn, rng, trainings)
    rows = _sessions(rng, catalogue, sessions)
    conn.executemany(
        "INSERT INTO sessions (id, reference, training_id, starts_at, ends_at, place_fr, place_ar,"
        " region_code, online_url, capacity, needs_approval, registration_deadline, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2024-01-01 00:00:00',"
        " '2024-01-01 00:00:00')", [(*r[:11], None) for r in rows])
    conn.executemany(
        "INSERT INTO registrations (id, session_id, user_id, status, seq, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", _registrations(rng, rows, users, registrations))
    _roles(conn)
    answered = synthetic_evaluations.generate(conn, rng, evaluations, ANCHOR)
    schema_indicators.rebuild(conn)
    schema_people.rebuild(conn)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    tmp.replace(path)
    return {"generate_s": time.perf_counter() - started, "evaluations": answered}


def _roles(conn: sqlite3.Connection) -> None:
    """A national coordinator and one focal point per administration, with profiles."""
    now = to_db(ANCHOR)
    people = [(NATIONAL_ID, None)] + [(FOCAL_BASE + i, code) for i, (code, _, _)
                                     in enumerate(refdata.ADMINISTRATIONS)]
    for uid, admin in people:
        conn.execute(
            "INSERT INTO users (id, language, full_name, sex, administration_code, level, position_code,"
            " consent_at, onboarded_at, created_at, updated_at) VALUES (?, 'fr', 'Coordination',"
            " 'F', ?, 'central', 'responsable', ?, ?, ?, ?)", (uid, admin or "MTNRA", now, now, now, now))
        conn.execute("INSERT INTO roles (user_id, role, administration_code, granted_at)"
                     " VALUES (?, ?, ?, ?)",
                     (uid, "focal_point" if admin else "coordinator", admin, now))


def ensure(folder: Path, **sizes: int) -> tuple[Path, bool]:
    """The cached database, generated first if missing; (path, whether it was generated)."""
    path = path_for(folder)
    if path.exists():
        return path, False
    generate(path, **sizes)
    return path, True
