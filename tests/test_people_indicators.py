"""Indicators that count people: distinct people, women, person-hours, by dimension and period,
in step with the source tables, erased people still counting."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.people_indicators import PeopleIndicatorsService
from bot.services.periods import PeriodError, days, semester, semester_of
from bot.storage import schema_people
from bot.storage import users as users_repo
from tests.plans_data import NOW, TRAININGS, attend, clock, db, erase, people, rows, session, trainings

__all__ = ["clock", "db"]
_LIVE = """SELECT g.session_id, g.id, g.user_id, u.sex, u.administration_code, u.level, u.region_code,
                  u.position_code FROM registrations g JOIN users u ON u.id = g.user_id
            WHERE g.status = 'attended' ORDER BY 1, 2"""
_FACTS = "SELECT * FROM attendance_facts ORDER BY 1, 2"


async def assert_in_step(db) -> None:
    kept = await rows(db, _FACTS)
    assert kept == await rows(db, _LIVE)

    def rebuilt(conn):
        conn.execute("SAVEPOINT again")
        schema_people.rebuild(conn)
        out = [tuple(r) for r in conn.execute(_FACTS)]
        conn.execute("ROLLBACK TO again")
        conn.execute("RELEASE again")
        return out

    assert await db.write(rebuilt) == kept


async def test_a_person_attending_three_sessions_counts_once(db):
    ids = await trainings(db)
    await people(db, [(1, "F", "MEF", "central", None, "cadre"), (2, "M", "MEF", "central", None, "cadre")])
    for i in range(3):
        sid = await session(db, f"S{i}", ids["P-CYB"], datetime(2027, 2, 1 + i, 9, tzinfo=UTC))
        await attend(db, sid, [(1, "attended"), (2, "absent" if i else "attended")])
    total = await PeopleIndicatorsService(db).total(semester("2027-S1"))
    assert (total.people, total.women, total.attendances, total.hours) == (2, 1, 4, 4 * 14.0)
    by_sex = {g.key: g for g in await PeopleIndicatorsService(db).breakdown(semester("2027-S1"), "sex")}
    assert (by_sex["F"].people, by_sex["F"].hours, by_sex["M"].people) == (1, 42.0, 1)


async def test_hours_come_from_the_training_or_the_sessions_length(db):
    ids = await trainings(db)  # P-IA has no duration
    await people(db, [(1, "F", "MEF", "central", None, "cadre")])
    one_day = await session(db, "D1", ids["P-IA"], datetime(2027, 3, 1, 9, tzinfo=UTC), hours=6)
    two_days = await session(db, "D2", ids["P-IA"], datetime(2027, 3, 8, 9, tzinfo=UTC), hours=32)
    await attend(db, one_day, [(1, "attended")])
    await attend(db, two_days, [(1, "attended")])
    # 6 hours, then a session from 9:00 to 17:00 the next day: two days, at most 8 hours each.
    assert (await PeopleIndicatorsService(db).total(semester("2027-S1"))).hours == 6 + 16


async def test_semesters_follow_moroccan_midnights():
    # Morocco was UTC+1 until September 2026, UTC+0 since.
    assert semester("2026-S1").start == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert semester("2026-S2").start == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert semester("2026-S2").end == semester("2027-S1").start == datetime(2027, 1, 1, tzinfo=UTC)
    assert semester_of(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == "2026-S1"
    assert semester_of(datetime(2026, 6, 30, 22, 59, tzinfo=UTC)) == "2026-S1"
    assert semester_of(datetime(2026, 6, 30, 23, 0, tzinfo=UTC)) == "2026-S2"
    assert semester_of(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "2026-S2"
    for bad in ("2027-S3", "2027S1", "", "27-S1", "٢٠٢٧-S1", "2027-S1\n"):
        with pytest.raises(PeriodError):
            semester(bad)
    with pytest.raises(PeriodError):
        days(date(2027, 2, 1), date(2027, 1, 1))


async def test_a_session_just_after_moroccan_midnight_counts_in_the_new_semester(db):
    ids = await trainings(db)
    await people(db, [(1, "F", "MEF", "central", None, "cadre"), (2, "M", "MJ", "central", None, "cadre")])
    new_year = await session(db, "NY", ids["P-DATA"], datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    await attend(db, new_year, [(1, "attended")])
    july = await session(db, "JL", ids["P-DATA"], datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    await attend(db, july, [(2, "attended")])
    service = PeopleIndicatorsService(db)
    assert (await service.total(semester("2025-S2"))).people == 0
    assert [g.key for g in await service.breakdown(semester("2026-S1"), "administration")] == ["MEF"]
    assert [g.key for g in await service.breakdown(semester("2026-S2"), "administration")] == ["MJ"]
    assert (await service.total(days(date(2026, 1, 1), date(2026, 6, 30)))).people == 1


async def test_breakdowns_equal_a_count_by_hand_and_erased_people_keep_counting(db, clock):
    ids = await trainings(db)
    rng = random.Random(16)
    admins, positions = ["MEF", "MJ", "HCP"], ["responsable", "cadre", "technicien"]
    folks = [(uid, rng.choice("FM"), rng.choice(admins), "territorial", rng.choice(["RSK", "ORI"]),
              rng.choice(positions)) for uid in range(1, 41)]
    await people(db, folks)
    person = {f[0]: f for f in folks}
    theme = {ids[c]: (t, m, h if h else 7.0, "operationnel" if lv == "operationnel" else
                      {"CYBER": "operationnel", "BUREAU": "operationnel"}.get(t, "strategique"))
             for c, t, m, h, lv in TRAININGS}
    attended = []  # (user, training) of every attendance in 2027-S1
    for i in range(12):
        training = rng.choice(list(ids.values()))
        starts = datetime(2027, 1, 5, 9, tzinfo=UTC) + timedelta(days=14 * i)  # up to mid-June
        sid = await session(db, f"R{i}", training, starts)
        chosen = rng.sample(range(1, 41), 12)
        statuses = [(u, rng.choice(["attended", "attended", "absent", "cancelled"])) for u in chosen]
        await attend(db, sid, statuses)
        attended += [(u, training) for u, s in statuses if s == "attended"]
    outside = await session(db, "OUT", ids["P-CYB"], datetime(2027, 7, 2, 9, tzinfo=UTC))
    await attend(db, outside, [(1, "attended")])

    def by_hand(key) -> dict:
        groups = defaultdict(lambda: [set(), set(), 0.0])
        for u, training in attended:
            g = groups[key(person[u], theme[training])]
            g[0].add(u)
            if person[u][1] == "F":
                g[1].add(u)
            g[2] += theme[training][2]
        return {k: (len(v[0]), len(v[1]), v[2]) for k, v in groups.items()}

    keys = {"administration": lambda p, t: p[2], "position": lambda p, t: p[5],
            "region": lambda p, t: p[4], "theme": lambda p, t: t[0], "modality": lambda p, t: t[1],
            "track": lambda p, t: t[3], "total": lambda p, t: ""}
    service, s1 = PeopleIndicatorsService(db), semester("2027-S1")

    async def figures(dimension):
        return {g.key: (g.people, g.women, g.hours) for g in await service.breakdown(s1, dimension)}

    for dimension, key in keys.items():
        assert await figures(dimension) == by_hand(key), dimension
    await assert_in_step(db)

    # Erase three people who attended: every figure stays, except that their position is unknown.
    erased = sorted({u for u, _ in attended})[:3]
    before = {d: await figures(d) for d in keys}
    for uid in erased:
        await erase(db, clock, uid)
    assert (await rows(db, "SELECT COUNT(*) FROM users WHERE id < 0"))[0][0] == 3
    for dimension in keys:
        if dimension != "position":
            assert await figures(dimension) == before[dimension], dimension
    for uid in erased:
        person[uid] = (*person[uid][:5], None)
    assert await figures("position") == by_hand(keys["position"])
    assert None in await figures("position")
    await assert_in_step(db)


async def test_the_facts_follow_attendance_profiles_and_moves(db):
    ids = await trainings(db)
    await people(db, [(1, "F", "MEF", "central", None, "cadre"), (2, "M", "MJ", "central", None, "cadre")])
    a = await session(db, "A", ids["P-CYB"], NOW - timedelta(days=3))
    b = await session(db, "B", ids["P-CYB"], NOW - timedelta(days=2))
    await attend(db, a, [(1, "confirmed"), (2, "attended")])
    await assert_in_step(db)

    def changes(conn):
        conn.execute("UPDATE registrations SET status = 'attended' WHERE user_id = 1")
        conn.execute("UPDATE registrations SET status = 'absent' WHERE user_id = 2")
        conn.execute("UPDATE registrations SET session_id = ?, status = 'attended' WHERE user_id = 2", (b,))
        users_repo.update_fields(conn, 1, {"position_code": "responsable", "administration_code": "HCP"}, NOW)

    await db.write(changes)
    await assert_in_step(db)
    assert await rows(db, "SELECT user_id, session_id, administration_code, position_code"
                          " FROM attendance_facts ORDER BY 1") == [(1, a, "HCP", "responsable"),
                                                                   (2, b, "MJ", "cadre")]
    await db.write(lambda conn: conn.execute("DELETE FROM registrations WHERE user_id = 1"))
    await assert_in_step(db)
