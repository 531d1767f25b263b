"""A cohort's waitlist moves (issue 17): when a booked member cancels one session — which ends
their whole cohort booking — or places are added to every session, the first in line is booked
on every session in the same transaction, never on a part; capacity is never exceeded; the
people are told in French and in Arabic; /mypath shows the positions as they move."""

from __future__ import annotations

import asyncio

from bot.i18n import translator
from tests.conftest import db_row, drain, make_session, onboard
from tests.test_paths import SESSION_MODULES, training_id

FIRST = 9901  # twenty people: 9901..9920


async def race(app, tag: str, person=None, capacity: int = 15):
    """Four sessions of `capacity` places, a cohort of them, twenty people racing for it (each
    with a chat open, given `person`, when the test sends what the outbox holds)."""
    paths = app.bot_data.paths
    path = await paths.create_path(f"P-{tag}", "Parcours numérique", "المسار الرقمي",
                                   [await training_id(app, c) for c in SESSION_MODULES])
    sids = [await make_session(app, f"T-{tag}-{n}", training=code, capacity=capacity,
                               starts_in_hours=24 * (10 + 7 * n))
            for n, code in enumerate(SESSION_MODULES)]
    cohort = await paths.create_cohort(path, f"C-{tag}", sids)
    people = list(range(FIRST, FIRST + 20))
    for n, uid in enumerate(people):
        await onboard(app, uid, "ar" if n % 2 else "fr", sex="F" if n % 3 else "M")
        if person is not None:
            await person(uid, "ar" if n % 2 else "fr").send("/help")
    results = await asyncio.gather(*(paths.book_cohort(uid, cohort) for uid in people))
    booked = [uid for uid, r in zip(people, results, strict=True) if r.outcome == "booked"]
    line = sorted((r.position, uid) for uid, r in zip(people, results, strict=True)
                  if r.outcome == "waitlisted")
    assert len(booked) == capacity and [p for p, _ in line] == list(range(1, 21 - capacity))
    return path, cohort, sids, booked, [uid for _, uid in line]


async def seats(app, sid: int) -> dict[int, str]:
    return dict(await app.bot_data.db.read(lambda c: c.execute(
        "SELECT user_id, status FROM registrations WHERE session_id = ?", (sid,)).fetchall()))


async def member(app, cohort: int, uid: int) -> str | None:
    row = await db_row(app, "SELECT status FROM cohort_members WHERE cohort_id = ? AND user_id = ?",
                       cohort, uid)
    return row[0] if row else None


async def assert_whole_cohorts(app, cohort: int, sids: list[int], capacity: int) -> set[int]:
    """Every session holds the same people, confirmed, the cohort's booked members, and no
    session holds more than its capacity."""
    held = [await seats(app, sid) for sid in sids]
    confirmed = [{u for u, s in h.items() if s == "confirmed"} for h in held]
    assert all(c == confirmed[0] for c in confirmed), "a part of a cohort was booked"
    members = await app.bot_data.db.read(lambda c: {r[0] for r in c.execute(
        "SELECT user_id FROM cohort_members WHERE cohort_id = ? AND status = 'booked'", (cohort,))})
    assert confirmed[0] == members
    for sid in sids:
        row = await db_row(app, "SELECT capacity, (SELECT COUNT(*) FROM registrations WHERE"
                                " session_id = ?1 AND status IN ('confirmed', 'offered',"
                                " 'attended', 'absent')) FROM sessions WHERE id = ?1", sid)
        assert row[1] <= row[0] == capacity
    return members


async def test_a_member_cancels_and_the_first_in_line_gets_every_session(app, person, fr):
    _, cohort, sids, booked, line = await race(app, "CAN")
    leaver = booked[0]
    await onboard(app, leaver, "fr", sex="M")  # reads French
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ? AND session_id = ?",
                        leaver, sids[2]))[0]
    result = await app.bot_data.registrations.cancel(leaver, reg)
    assert result.outcome == "cancelled"
    # The whole booking ended: every one of the leaver's four places, and the membership.
    assert [(await seats(app, sid))[leaver] for sid in sids] == ["cancelled"] * 4
    assert await member(app, cohort, leaver) == "cancelled"
    # The first in line holds every session; the four others still wait, with no seat at all.
    members = await assert_whole_cohorts(app, cohort, sids, 15)
    assert line[0] in members and len(members) == 15
    for uid in line[1:]:
        assert await member(app, cohort, uid) == "waitlisted"
        assert (await db_row(app, "SELECT COUNT(*) FROM registrations WHERE user_id = ?", uid))[0] == 0
    positions = [(await app.bot_data.path_catalogue.mine(uid))[0].position for uid in line[1:]]
    assert positions == [1, 2, 3, 4]
    # Told through the outbox: the promoted person once, then four confirmations.
    kinds = await app.bot_data.db.read(lambda c: [r[0] for r in c.execute(
        "SELECT kind FROM outbox WHERE user_id = ? AND kind IN ('cohort_promoted', 'confirmed')"
        " ORDER BY id", (line[0],))])
    assert kinds == ["cohort_promoted"] + ["confirmed"] * 4
    # A second cancellation of the same place changes nothing more.
    assert (await app.bot_data.registrations.cancel(leaver, reg)).outcome == "already"
    assert await assert_whole_cohorts(app, cohort, sids, 15) == members


async def test_cancelling_from_the_chat_releases_the_cohort_and_tells_both_in_their_language(
        app, person, fr):
    _, cohort, sids, booked, line = await race(app, "CHAT", person)
    leaver = booked[0]
    await onboard(app, leaver, "fr", sex="M")
    await onboard(app, line[0], "ar", sex="F")
    promoted_chat = person(line[0], "ar")
    await promoted_chat.send("/mypath")
    she = translator("ar", "F")
    assert she.to_person("⏳ You are on the cohort's waitlist, in position {position}.",
                         position=she.number(1)) in promoted_chat.last_message.text
    # Asked first, in Arabic: the question says the whole cohort goes; she keeps it.
    keeper = booked[1]
    await onboard(app, keeper, "ar", sex="F")
    k = person(keeper, "ar")
    await k.start(f"s_{sids[0]}")
    await k.click(she._("❌ Cancel my registration"))
    assert she.nto_person(
        "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
        "cancels your place in its {n} session.",
        "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
        "cancels your places in all of its {n} sessions.", 4, code=she.iso("C-CHAT"),
        path="المسار الرقمي") in k.last_message.text
    await k.click(she._("No, keep it"))
    assert await member(app, cohort, keeper) == "booked"
    c = person(leaver, "fr")
    await c.start(f"s_{sids[1]}")
    await c.click(fr._("❌ Cancel my registration"))
    assert fr.nto_person(
        "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
        "cancels your place in its {n} session.",
        "This session belongs to your cohort {code} ({path}), booked whole: cancelling it "
        "cancels your places in all of its {n} sessions.", 4, code="C-CHAT",
        path="Parcours numérique") in c.last_message.text
    await c.click(fr._("Yes, cancel"))
    await drain(app)
    names = dict(code="C-CHAT", path="Parcours numérique")
    told = [m.text for m in c.messages]
    assert any(fr.to_person("Your registration for cohort {code} of the path {path} is cancelled: "
                            "a cohort is followed whole, so cancelling one of its sessions "
                            "releases all of them.", **names) in text for text in told)
    assert any(fr.ngettext("{n} other session was cancelled with it.",
                           "{n} other sessions were cancelled with it.", 3) in text for text in told)
    got = [m.text for m in promoted_chat.messages]
    expected = she.nto_person(
        "🎉 A place opened in cohort {code} of the path {path}: you are now registered for its "
        "{n} session. Your confirmation and calendar file follow; /mypath shows your path.",
        "🎉 Places opened in cohort {code} of the path {path}: you are now registered for all "
        "of its {n} sessions. Your confirmations and calendar files follow; /mypath shows your path.",
        4, code=she.iso("C-CHAT"), path="المسار الرقمي")
    assert expected in got and "مسجَّلة" in expected  # translated, and addressed to a woman
    await promoted_chat.send("/mypath")
    assert "0/4 ✅" in promoted_chat.last_message.text
    await assert_whole_cohorts(app, cohort, sids, 15)


async def test_places_added_to_every_session_book_the_first_in_line_whole(app, person):
    _, cohort, sids, _, line = await race(app, "CAP", person)
    sessions = app.bot_data.sessions
    for sid in sids[:3]:  # a place more in three sessions of four: nobody can have all four
        assert await sessions.set_capacity(None, sid, 17) == "changed"
        assert await member(app, cohort, line[0]) == "waitlisted"
    assert await assert_whole_cohorts(app, cohort, sids[:1], 17) == set(
        await assert_whole_cohorts(app, cohort, sids[1:3], 17))
    assert await sessions.set_capacity(None, sids[3], 17) == "changed"
    members = await assert_whole_cohorts(app, cohort, sids[:3], 17)
    assert {line[0], line[1]} <= members and len(members) == 17
    assert [await member(app, cohort, uid) for uid in line[2:]] == ["waitlisted"] * 3
    await drain(app)
    fr_reader = person(line[0], "fr" if (line[0] - FIRST) % 2 == 0 else "ar")
    assert any("🎉" in m.text and "C-CAP" in m.text for m in fr_reader.messages)


async def test_a_session_waiting_on_its_own_keeps_its_turn(app):
    """A seat freed in a session whose own waitlist is not empty goes to that line first: the
    cohort's line is not promoted past it (the seat rule of a single registration)."""
    _, cohort, sids, booked, line = await race(app, "OWN")
    await onboard(app, 9950, "fr")
    joined = await app.bot_data.registrations.join(9950, sids[0])
    assert joined.outcome == "waitlisted"
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ? AND session_id = ?",
                        booked[0], sids[0]))[0]
    await app.bot_data.registrations.cancel(booked[0], reg)
    assert (await seats(app, sids[0]))[9950] == "offered"
    assert await member(app, cohort, line[0]) == "waitlisted"
    for sid in sids:
        row = await db_row(app, "SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status"
                                " IN ('confirmed', 'offered', 'attended', 'absent')", sid)
        assert row[0] == 15 if sid == sids[0] else row[0] == 14
