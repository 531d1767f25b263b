"""Competence plans: status machine, versions, line checks, achieved figures from attendance
(equal to a count by hand, unchanged by an erasure), the common plan, reserved places."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.periods import semester
from bot.services.plan_lines import LineInvalid
from bot.services.plan_progress import PlanProgressService, Progress, progress
from bot.services.plans import PlanError, PlanService
from bot.storage.quotas import quota_allows, set_quota
from tests.plans_data import (
    MEF_FOCAL,
    MJ_FOCAL,
    NATIONAL,
    NOW,
    TRAININGS,
    attend,
    clock,
    db,
    erase,
    people,
    rows,
    session,
    trainings,
)

__all__ = ["clock", "db"]
LINE = {"theme_code": "CYBER", "target_people": 10, "target_women": 4, "target_hours": 140,
        "semester": "2027-S1", "priority": 1}


async def draft(db, clock, lines: int = 1, access=MEF_FOCAL) -> tuple[PlanService, int]:
    service = PlanService(db, clock)
    version = await service.create(access, "MEF", 2027, 2028)
    for _ in range(lines):
        await service.add_line(access, version, LINE)
    return service, version


async def test_status_machine_legal_and_illegal_steps(db, clock):
    await trainings(db)
    service, v = await draft(db, clock)
    with pytest.raises(PlanError) as e:
        await service.transition(NATIONAL, v, "validate")
    assert e.value.code == "illegal_transition"
    assert await service.transition(MEF_FOCAL, v, "submit") == "submitted"
    with pytest.raises(PlanError) as e:
        await service.add_line(MEF_FOCAL, v, LINE)
    assert e.value.code == "not_editable"
    for access, action, code in ((MEF_FOCAL, "validate", "not_allowed"), (MJ_FOCAL, "submit", "not_allowed"),
                                 (NATIONAL, "return", "reason_required"), (NATIONAL, "activate",
                                                                           "illegal_transition"),
                                 (NATIONAL, "archive", "unknown_action")):
        with pytest.raises(PlanError) as e:
            await service.transition(access, v, action)
        assert e.value.code == code, action
    assert await service.transition(NATIONAL, v, "return", "  Cibles femmes trop basses ") == "returned"
    with pytest.raises(PlanError):
        await service.transition(MEF_FOCAL, v, "submit")  # a returned version is revised, not resubmitted
    v2 = await service.new_version(MEF_FOCAL, v)
    for access, action, status in ((MEF_FOCAL, "submit", "submitted"), (NATIONAL, "validate", "validated"),
                                   (NATIONAL, "activate", "active"), (NATIONAL, "close", "closed")):
        assert await service.transition(access, v2, action) == status
    with pytest.raises(PlanError) as e:
        await service.transition(NATIONAL, v2, "close")
    assert e.value.code == "illegal_transition"
    history = await service.history(NATIONAL, v)
    assert [(h["status"], h["actor_id"], h["reason"]) for h in history] == [
        ("draft", 91, None), ("submitted", 91, None), ("returned", 90, "Cibles femmes trop basses")]
    assert (await service.version(MEF_FOCAL, v))["reason"] == "Cibles femmes trop basses"
    audit = await rows(db, "SELECT actor_id, action FROM audit WHERE action LIKE 'plan_%' ORDER BY id")
    assert audit == [(91, "plan_create"), (91, "plan_submit"), (90, "plan_return"), (91, "plan_new_version"),
                     (91, "plan_submit"), (90, "plan_validate"), (90, "plan_activate"), (90, "plan_close")]
    with pytest.raises(PlanError) as e:
        await service.create(MEF_FOCAL, "MEF", 2027, 2028)
    assert e.value.code == "plan_exists"
    with pytest.raises(PlanError) as e:
        await service.create(MEF_FOCAL, "MJ", 2029, 2030)
    assert e.value.code == "not_allowed"
    with pytest.raises(PlanError) as e:
        await service.transition(MEF_FOCAL, await service.create(MEF_FOCAL, "MEF", 2029, 2029), "submit")
    assert e.value.code == "no_lines"


async def test_a_new_version_copies_lines_and_the_old_one_stays(db, clock):
    ids = await trainings(db)
    service, v1 = await draft(db, clock, lines=2)
    sid = await session(db, "V-1", ids["P-CYB"], datetime(2027, 2, 1, 9, tzinfo=UTC))
    for action, access in (("submit", MEF_FOCAL), ("validate", NATIONAL), ("activate", NATIONAL)):
        await service.transition(access, v1, action)
    old_lines = await service.lines(NATIONAL, v1)
    await service.link(NATIONAL, old_lines[0]["id"], sid)
    v2 = await service.new_version(MEF_FOCAL, v1)
    with pytest.raises(PlanError):
        await service.new_version(MEF_FOCAL, v1)  # only the latest version is revised
    new_lines = await service.lines(MEF_FOCAL, v2)
    assert [(r["theme_code"], r["target_people"]) for r in new_lines] == [("CYBER", 10), ("CYBER", 10)]
    assert await rows(db, "SELECT session_id FROM plan_line_sessions WHERE line_id = ?",
                      new_lines[0]["id"]) == [(sid,)]
    await service.update_line(MEF_FOCAL, new_lines[0]["id"], {**LINE, "target_people": 25})
    await service.delete_line(MEF_FOCAL, new_lines[1]["id"])
    assert [r["target_people"] for r in await service.lines(NATIONAL, v1)] == [10, 10]
    assert (await service.version(NATIONAL, v1))["status"] == "active"
    await service.transition(MEF_FOCAL, v2, "submit")
    await service.transition(NATIONAL, v2, "validate")
    assert (await service.version(NATIONAL, v1))["status"] == "superseded"
    assert [r["target_people"] for r in await service.lines(NATIONAL, v2)] == [25]
    assert [(p["number"], p["status"]) for p in await service.plans(MEF_FOCAL)] == [(2, "validated")]
    assert await service.plans(MJ_FOCAL) == []


async def test_line_checks_report_every_problem_with_a_code(db, clock):
    ids = await trainings(db)
    service, v = await draft(db, clock, lines=0)
    bad = {"theme_code": "DATA", "training_id": ids["P-CYB"], "track": "tactique", "position_code": "chef",
           "level": "central", "region_code": "RSK", "target_people": "١٠", "target_women": 3,
           "target_hours": -1, "semester": "2030-S1", "priority": 4}
    with pytest.raises(LineInvalid) as e:
        await service.add_line(MEF_FOCAL, v, bad)
    assert e.value.codes == {"training_not_in_theme", "track_invalid", "position_unknown",
                             "region_with_central_level", "people_invalid", "hours_invalid",
                             "semester_outside_plan", "priority_invalid"}
    with pytest.raises(LineInvalid) as e:
        await service.add_line(MEF_FOCAL, v, {"target_people": 5, "target_women": 6, "semester": "2027-S3"})
    assert e.value.codes == {"theme_or_training_required", "women_above_people", "semester_invalid"}
    line = await service.add_line(MEF_FOCAL, v, {"training_id": ids["P-IA"], "target_people": "12",
                                                 "target_women": 5.0, "semester": "2028-s2"})
    got = (await rows(db, "SELECT track, target_people, target_women, semester, priority FROM plan_lines"
                          " WHERE id = ?", line))[0]
    assert got == ("operationnel", 12, 5, "2028-S2", 2)  # the track follows the training's level
    assert await rows(db, "SELECT COUNT(*) FROM plan_lines") == [(1,)]


def test_progress_against_the_share_of_the_period_elapsed():
    assert progress(10, 10, 0.2) is Progress.REACHED
    assert progress(4, 10, 0.5) is Progress.ON_TRACK  # 40 % done, 50 % elapsed: within 10 points
    assert progress(3, 10, 0.5) is Progress.BEHIND
    assert progress(2, 10, 0.5) is Progress.LATE
    assert progress(0, 10, 0.0) is Progress.ON_TRACK
    assert (Progress.LATE.symbol, Progress.LATE.word) == ("🔴", "progress_late")


# The ten lines of the seeded plan: (fields, sessions linked: training codes to take them from).
LINES = [
    ({"theme_code": "CYBER", "semester": "2027-S1"}, "P-CYB"),
    ({"training_id": "P-DATA", "semester": "2027-S1", "position_code": "cadre"}, "P-DATA"),
    ({"theme_code": "IA", "semester": "2027-S1", "level": "territorial"}, "P-IA"),
    ({"theme_code": "BUREAU", "semester": "2027-S2", "region_code": "RSK"}, "P-BUR"),
    ({"theme_code": "CYBER", "semester": "2027-S2", "level": "central"}, "P-CYB"),
    ({"training_id": "P-CYB", "semester": "2027-S1", "position_code": "responsable"}, "P-CYB"),
    ({"theme_code": "DATA", "semester": "2027-S2"}, "P-DATA"),
    ({"theme_code": "BUREAU", "semester": "2027-S1"}, None),  # no linked session: by semester
    ({"training_id": "P-IA", "semester": "2027-S2"}, None),
    ({"theme_code": "CYBER", "semester": "2027-S2", "position_code": "cadre"}, None),
]


async def test_achieved_figures_equal_a_count_by_hand_and_survive_an_erasure(db, clock):
    ids = await trainings(db)
    info = {ids[c]: (theme, hours or 7.0) for c, theme, _, hours, _ in TRAININGS}
    rng = random.Random(1616)
    folks = {uid: (rng.choice("FM"), "MEF" if uid <= 40 else "MJ", rng.choice(["central", "territorial"]),
                   rng.choice(["responsable", "cadre", "technicien"])) for uid in range(1, 61)}
    await people(db, [(u, s, a, lv, "RSK" if lv == "territorial" and u % 2 else "ORI" if lv == "territorial"
                       else None, p) for u, (s, a, lv, p) in folks.items()])
    region = {u: ("RSK" if u % 2 else "ORI") if f[2] == "territorial" else None for u, f in folks.items()}
    sessions = {}  # id -> (training, start, cancelled)
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
    # One person attends three linked sessions of the first line.
    cyber_s1 = [s for s, (t, st, c) in sessions.items()
                if t == ids["P-CYB"] and st < semester("2027-S2").start and not c]
    await db.write(lambda conn: conn.executemany(
        "INSERT INTO registrations (session_id, user_id, status, created_at, updated_at) VALUES (?, 40, "
        "'attended', '2027-01-01 00:00:00', '2027-01-01 00:00:00')"
        " ON CONFLICT DO UPDATE SET status = 'attended'",
        [(s,) for s in cyber_s1[:3]]))

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
            chosen = [s for s, (t, st, _) in sessions.items() if t == ids[take]
                      and half.start <= st < half.end][:3]
            linked[line_ids[-1]] = chosen
            for sid in chosen:
                await service.link(NATIONAL, line_ids[-1], sid)
    await service.transition(MEF_FOCAL, v, "submit")
    await service.transition(NATIONAL, v, "validate")
    # A national session also serves another administration's plan: MJ's people stay out of MEF's.
    mj = await service.create(MJ_FOCAL, "MJ", 2027, 2027)
    mj_line = await service.add_line(MJ_FOCAL, mj, {**LINE, "semester": "2027-S1"})
    await service.link(MJ_FOCAL, mj_line, cyber_s1[0])
    assert set(linked[line_ids[0]]) >= set(cyber_s1[:3])

    attended = await rows(db, "SELECT session_id, user_id FROM registrations WHERE status = 'attended'")

    def by_hand() -> dict[int, tuple]:
        out = {}
        for line_id, (fields, _) in zip(line_ids, LINES, strict=True):
            half = semester(fields["semester"])
            training = ids.get(fields.get("training_id"))
            chosen = linked.get(line_id) or [
                s for s, (t, st, c) in sessions.items() if not c and half.start <= st < half.end
                and (t == training if training else info[t][0] == fields["theme_code"])]
            who, hours = set(), 0.0
            for sid, uid in attended:
                sex, admin, level, position = folks[uid]
                if sid in chosen and admin == "MEF" and fields.get("position_code", position) == position \
                        and fields.get("level", level) == level and fields.get("region_code", region[uid]) \
                        == region[uid]:
                    who.add(uid)
                    hours += info[sessions[sid][0]][1]
            out[line_id] = (len(who), sum(folks[u][0] == "F" for u in who), hours)
        return out

    figures = PlanProgressService(db, clock)

    async def achieved() -> dict[int, tuple]:
        return {p.line["id"]: (p.people, p.women, p.hours) for p in (await figures.of_version(v)).lines}

    expected = by_hand()
    assert await achieved() == expected
    assert len(expected) == 10 and all(e[0] > 0 for e in expected.values())  # a real test
    first = next(p for p in (await figures.of_version(v)).lines if p.line["id"] == line_ids[0])
    assert 40 in {u for s, u in attended if s in linked[line_ids[0]]} and first.sessions == 3
    # Erase two MEF people who count on lines without a position target.
    erased = sorted({u for s, u in attended if folks[u][1] == "MEF" and s in linked[line_ids[0]]})[:2]
    for uid in erased:
        await erase(db, clock, uid)
    after = await achieved()
    unpositioned = [i for i, (f, _) in zip(line_ids, LINES, strict=True) if "position_code" not in f]
    assert [after[i] for i in unpositioned] == [expected[i] for i in unpositioned]
    # Tombstones carry no position (data minimisation): a line aimed at a position loses them.
    for uid in erased:
        folks[uid] = (*folks[uid][:3], None)
    assert after == by_hand()
    # The common plan sums validated plans (MJ's is a draft), beside demand.
    await db.write(lambda conn: conn.execute(
        "INSERT INTO interests (training_id, user_id, created_at) VALUES (?, 50, '2027-01-01 00:00:00')",
        (ids["P-IA"],)))
    common = {(r.theme, r.track): r for r in await figures.common_plan(2027, 2028)}
    cyber = common[("CYBER", "operationnel")]
    assert (cyber.plans, cyber.lines, cyber.people) == (1, 4, 8 + 12 + 13 + 17)
    assert common[("IA", "operationnel")].demand == 1
    assert common[("IA", "strategique")].people == 10  # the IA theme line takes its theme's kind


async def test_reserved_places_hold_until_released(db, clock):
    ids = await trainings(db)
    await people(db, [(u, "F", "MJ", "central", None, "cadre") for u in (1, 2)])
    sid = await session(db, "Q-1", ids["P-CYB"], NOW + timedelta(days=30))
    await db.write(lambda conn: conn.execute("UPDATE sessions SET capacity = 4 WHERE id = ?", (sid,)))
    await attend(db, sid, [(1, "confirmed")])
    release = NOW + timedelta(days=10)
    await db.write(set_quota, sid, "MEF", 2, release)
    await db.write(set_quota, sid, "MJ", 2, None)  # MJ already holds one of its two places
    allows = lambda adm, at: db.read(quota_allows, sid, adm, at)  # noqa: E731
    assert await allows("MJ", NOW)  # 1 taken + 2 held for MEF < 4
    assert not await allows("HCP", NOW)  # 1 taken + 2 (MEF) + 1 (MJ) = 4
    assert await allows("HCP", release + timedelta(seconds=1))  # MEF's places released
    assert await allows("MEF", NOW)


async def test_administrations_have_an_optional_parent(db):
    await db.write(lambda conn: conn.execute(
        "UPDATE administrations SET parent_code = 'MEF' WHERE code = 'HCP'"))
    assert await rows(db, "SELECT parent_code FROM administrations WHERE code IN ('HCP', 'MJ')"
                          " ORDER BY code") == [("MEF",), (None,)]
    with pytest.raises(Exception, match="FOREIGN KEY"):
        await db.write(lambda conn: conn.execute("UPDATE administrations SET parent_code = 'NOPE'"))
