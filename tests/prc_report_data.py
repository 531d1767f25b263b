"""A seeded administration for the semi-annual report (issue 16): MEF's validated plan of 10
lines over 30 sessions of 2027 (the scenario of tests/test_plans.py, built with tests/plans_data.py),
hot and cold evaluations of the attendees, and the facts a test needs to count by hand."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.services.periods import semester
from bot.services.plans import PlanService
from tests.plans_data import (
    MEF_FOCAL,
    MJ_FOCAL,
    NATIONAL,
    TRAININGS,
    attend,
    people,
    rows,
    session,
    trainings,
)
from tests.test_plans import LINES

STAMP = "2027-01-01 00:00:00"


@dataclass
class Seeded:
    ids: dict[str, int]  # training code -> id
    folks: dict[int, tuple]  # user -> (sex, administration, level, position)
    region: dict[int, str | None]
    sessions: dict[int, tuple]  # id -> (training, start, cancelled)
    line_ids: list[int]
    linked: dict[int, list[int]]
    version: int
    hours: dict[int, float]  # training id -> hours an attendance is worth


async def evaluations(db, rng: random.Random) -> None:
    """A submitted hot evaluation (satisfaction 1-5) for most attendances, a cold one (applied
    or not) for about half."""
    attended = await rows(db, "SELECT id FROM registrations WHERE status = 'attended' ORDER BY id")

    def tx(conn):
        for (rid,) in attended:
            for kind, qn, qid, chance in (("hot", 1, "satisfaction", 0.8), ("cold", 2, "applied", 0.5)):
                if rng.random() > chance:
                    continue
                response = conn.execute(
                    "INSERT INTO responses (registration_id, questionnaire_id, kind, started_at, updated_at,"
                    " submitted_at) VALUES (?, ?, ?, ?, ?, NULL) RETURNING id",
                    (rid, qn, kind, STAMP, STAMP)).fetchone()[0]
                score = rng.randint(1, 5) if kind == "hot" else None
                choice = rng.choice(["never", "sometimes", "regularly"]) if kind == "cold" else None
                conn.execute("INSERT INTO answers (response_id, questionnaire_id, qid, score, choice,"
                             " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (response, qn, qid, score, choice, STAMP))
                conn.execute("UPDATE responses SET submitted_at = ? WHERE id = ?", (STAMP, response))

    await db.write(tx)


async def seed(db, clock) -> Seeded:
    ids = await trainings(db)
    rng = random.Random(1616)
    folks = {uid: (rng.choice("FM"), "MEF" if uid <= 40 else "MJ", rng.choice(["central", "territorial"]),
                   rng.choice(["responsable", "cadre", "technicien"])) for uid in range(1, 61)}
    region = {u: ("RSK" if u % 2 else "ORI") if f[2] == "territorial" else None for u, f in folks.items()}
    await people(db, [(u, s, a, lv, region[u], p) for u, (s, a, lv, p) in folks.items()])
    sessions = {}
    codes = [c for c, *_ in TRAININGS]
    for i in range(30):
        training = ids[codes[i % 4]]
        starts = datetime(2027, 1, 8, 9, tzinfo=UTC) + timedelta(days=12 * i)
        cancelled = i == 5
        sid = await session(db, f"PRC-{i:02d}", training, starts,
                            status="cancelled" if cancelled else "published")
        sessions[sid] = (training, starts, cancelled)
        if not cancelled:
            await attend(db, sid, [(u, rng.choice(["attended", "attended", "absent"]))
                                   for u in rng.sample(range(1, 61), 15)])
    # One person attends three sessions of the first line: they count once.
    cyber_s1 = [s for s, (t, st, c) in sessions.items()
                if t == ids["P-CYB"] and st < semester("2027-S2").start and not c]
    await db.write(lambda conn: conn.executemany(
        "INSERT INTO registrations (session_id, user_id, status, created_at, updated_at) VALUES (?, 40,"
        f" 'attended', '{STAMP}', '{STAMP}') ON CONFLICT DO UPDATE SET status = 'attended'",
        [(s,) for s in cyber_s1[:3]]))
    await evaluations(db, rng)
    service = PlanService(db, clock)
    v = await service.create(MEF_FOCAL, "MEF", 2027, 2028)
    line_ids, linked = [], {}
    for i, (fields, take) in enumerate(LINES):
        raw = {**fields, "target_people": 8 + i, "target_women": 3, "target_hours": 50, "priority": 1 + i % 3}
        if "training_id" in raw:
            raw["training_id"] = ids[raw["training_id"]]
        line_ids.append(await service.add_line(MEF_FOCAL, v, raw))
        if take:
            half = semester(fields["semester"])
            chosen = [s for s, (t, st, _) in sessions.items()
                      if t == ids[take] and half.start <= st < half.end][:3]
            linked[line_ids[-1]] = chosen
            for sid in chosen:
                await service.link(NATIONAL, line_ids[-1], sid)
    await service.transition(MEF_FOCAL, v, "submit")
    await service.transition(NATIONAL, v, "validate")
    mj = await service.create(MJ_FOCAL, "MJ", 2027, 2027)  # another administration's plan
    await service.add_line(MJ_FOCAL, mj, {"theme_code": "CYBER", "target_people": 10, "target_women": 4,
                                          "target_hours": 140, "semester": "2027-S1"})
    await service.transition(MJ_FOCAL, mj, "submit")
    await service.transition(NATIONAL, mj, "validate")
    hours = {ids[c]: h or 7.0 for c, _, _, h, _ in TRAININGS}
    return Seeded(ids, folks, region, sessions, line_ids, linked, v, hours)
