"""My digital profile (issue 17): the framework is data (five areas, twenty statements in French
and Arabic, five levels), a result per area rounded half up to one decimal, two strengths and two
areas to work on, three trainings for the weakest areas with upcoming sessions first, two
assessments compared, and administration × area means hidden under 5 people."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.outcomes import RatingProblem
from bot.services.self_assessment import SelfAssessment
from bot.storage import self_assessment as repo
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import to_db

# Ratings by area, statement by statement (four each), and the means by hand.
RATINGS = {"info": [1, 2, 1, 1], "communication": [3, 3, 3, 3], "content": [4, 4, 4, 5],
           "safety": [2, 2, 2, 1], "problem": [5, 5, 4, 5]}
MEANS = {"info": 1.3, "communication": 3.0, "content": 4.3, "safety": 1.8, "problem": 4.8}  # 1.25, 4.75 ↑


@pytest.fixture
async def db(tmp_path):
    db = await Database.open(tmp_path / "profile.db")
    await migrate(db)
    yield db
    await db.close()


async def statements(db) -> dict[str, list[str]]:
    qn = await db.read(repo.framework)
    out: dict[str, list[str]] = {}
    for q in qn.questions:
        out.setdefault(q.area, []).append(q.qid)
    return out


def ratings(by_area: dict[str, list[str]], values: dict[str, list[int]]) -> dict[str, int]:
    return {qid: values[area][i] for area, qids in by_area.items() for i, qid in enumerate(qids)}


async def add_user(db, clock, uid: int, administration: str = "MEF") -> None:
    now = to_db(clock.now())
    await db.write(lambda c: c.execute(
        "INSERT INTO users (id, language, sex, administration_code, consent_at, created_at, updated_at)"
        " VALUES (?, 'fr', 'F', ?, ?, ?, ?)", (uid, administration, now, now, now)))


async def test_the_framework_is_data_in_both_languages(db):
    qn = await db.read(repo.framework)
    assert (qn.kind, qn.form, len(qn.questions)) == ("self_assessment", "digcomp", 20)
    assert [a for a, *_ in await db.read(repo.areas)] == list(RATINGS)
    assert {area: len(q) for area, q in (await statements(db)).items()} == dict.fromkeys(RATINGS, 4)
    assert all(q.label_fr and q.label_ar and q.type == "scale" for q in qn.questions)
    assert qn.questions[0].options[0][1:] == ("Je ne sais pas le faire", "لا أستطيع القيام بذلك")
    assert qn.questions[0].options[4][1:] == ("Je peux guider les autres", "أستطيع توجيه الآخرين")


async def test_a_profile_strengths_areas_to_work_on_and_progress(db, clock):
    await add_user(db, clock, 1)
    service = SelfAssessment(db, clock)
    by_area = await statements(db)
    first = await service.record(1, ratings(by_area, RATINGS))
    assert first.areas == MEANS
    assert first.strengths == ["problem", "content"] and first.to_work_on == ["info", "safety"]
    assert await service.record(1, {}) is RatingProblem.INCOMPLETE
    assert await service.record(1, {**ratings(by_area, RATINGS), "info_search": 6}) is RatingProblem.RATING
    unknown = {**ratings(by_area, RATINGS), "cooking": 3}
    assert await service.record(1, unknown) is RatingProblem.UNKNOWN_STATEMENT
    clock.advance(days=180)
    second = await service.record(1, ratings(by_area, {**RATINGS, "safety": [4, 4, 4, 4]}))
    history = await service.history(1)
    assert [p.assessment_id for p in history] == [first.assessment_id, second.assessment_id]
    assert service.compare(*history)["safety"] == (1.8, 4.0)  # "security 2 → 4"
    assert service.compare(*history)["info"] == (1.3, 1.3)


async def test_three_trainings_for_the_weakest_areas_upcoming_sessions_first(db, clock):
    await add_user(db, clock, 1)
    now = clock.now()

    def catalogue(conn):
        ids = {}
        for code, theme in (("D-1", "DATA"), ("D-2", "DATA"), ("D-3", "DATA"), ("D-4", "DATA"),
                            ("I-1", "IA"), ("C-1", "CYBER")):
            ids[code] = conn.execute(
                "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 'presentiel', ?, ?) RETURNING id",
                (code, f"Formation {code}", f"تكوين {code}", theme, to_db(now), to_db(now))).fetchone()[0]
        for ref, code, days, status in (("S-D1", "D-1", 3, "cancelled"), ("S-D2", "D-2", 30, "published"),
                                        ("S-D3", "D-3", 10, "published"), ("S-D4", "D-4", -20, "published"),
                                        ("S-I1", "I-1", 5, "published"), ("S-C1", "C-1", 2, "published"),
                                        ("S-D2-OLD", "D-2", -40, "published")):
            start = now + timedelta(days=days)
            sid = conn.execute(
                "INSERT INTO sessions (reference, training_id, starts_at, ends_at, capacity, status,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, 10, ?, ?, ?) RETURNING id",
                (ref, ids[code], to_db(start), to_db(start + timedelta(hours=7)), status, to_db(now),
                 to_db(now))).fetchone()[0]
            if ref == "S-D4":  # already followed: not recommended again
                conn.execute("INSERT INTO registrations (session_id, user_id, status, created_at, updated_at)"
                             " VALUES (?, 1, 'attended', ?, ?)", (sid, to_db(now), to_db(now)))

    await db.write(catalogue)
    service = SelfAssessment(db, clock)
    profile = await service.record(1, ratings(await statements(db), RATINGS))
    found = await service.recommend(1, profile)
    # Information (1.3) is the weakest: DATA and IA themes; I-1 in 5 days, D-3 in 10, D-2 in 30
    # (D-1's only session is cancelled, D-4 was followed). Safety's C-1 comes after them.
    assert [(r.code, r.area) for r in found] == [("I-1", "info"), ("D-3", "info"), ("D-2", "info")]
    assert found[0].next_start == now + timedelta(days=5) and found[0].title_ar == "تكوين I-1"


async def test_administration_by_area_hides_groups_under_five(db, clock):
    service = SelfAssessment(db, clock)
    by_area = await statements(db)
    for uid, level in zip(range(1, 6), (1, 2, 3, 4, 5), strict=True):
        await add_user(db, clock, uid, "MEF")
        if uid == 5:  # an older assessment does not count: the newest does
            await service.record(uid, ratings(by_area, dict.fromkeys(RATINGS, [1] * 4)))
            clock.advance(minutes=1)
        await service.record(uid, ratings(by_area, dict.fromkeys(RATINGS, [level] * 4)))
    for uid in range(11, 15):
        await add_user(db, clock, uid, "MI")
        await service.record(uid, ratings(by_area, dict.fromkeys(RATINGS, [2] * 4)))
    shown, hidden = await service.by_administration()
    assert shown == {("MEF", area): 3.0 for area in RATINGS}  # (1 + 2 + 3 + 4 + 5) / 5
    assert hidden == 5  # MI's four people, in each of the five areas
