"""Places reserved per administration, enforced by the one seat rule: others are queued and told
why (French and Arabic), the reserved administration's officials pass them, the release date
offers the places down the line, concurrent taps exceed neither the capacity nor a quota, and a
national coordinator sets them from *Manage this session*."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.i18n import translator
from bot.storage.quotas import set_quota
from handlers.registration_view import reserved_line
from tests.conftest import coordinator_managing, drain, grant, make_session, onboard
from tgsandbox.client import BotClient


async def statuses(app, session_id: int) -> dict[int, str]:
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT user_id, status FROM registrations WHERE session_id = ?", (session_id,)).fetchall())
    return {r[0]: r[1] for r in rows}


async def reserve(app, sid: int, code: str, places: int, release=None) -> None:
    await app.bot_data.db.write(set_quota, sid, code, places, release)


async def join(person, uid: int, lang: str, sid: int, administration: str, app):
    await onboard(app, uid, lang, administration_code=administration)
    c = person(uid, lang)
    await c.start(f"s_{sid}")
    seats = translator(lang)._("✅ Register")
    if seats in c.last_message.flat_buttons:
        await c.click(seats)
    else:  # a full card offers the waitlist: the same action
        await c.click(translator(lang)._("⏳ Join the waitlist"))
    return c


async def test_reserved_places_queue_the_others_and_say_why(app, person, fr, ar, clock):
    """Capacity 3, 2 held for MJ for two days: a second MEF official is queued although seats
    are left, told why and until when (an alert, in her language); an MJ official then passes
    her; at the release date the place left is offered to her."""
    sid = await make_session(app, "T-QUOTA", capacity=3)
    release = clock.now() + timedelta(days=2)
    await reserve(app, sid, "MJ", 2, release)
    await join(person, 9401, "fr", sid, "MEF", app)
    queued = await join(person, 9402, "ar", sid, "MEF", app)
    assert queued.last_answer["text"] == reserved_line(ar, 1, release)
    assert queued.last_answer["show_alert"]
    assert ar.datetime(release) in queued.last_answer["text"]
    late = await join(person, 9403, "fr", sid, "MEF", app)
    assert late.last_answer["text"] == reserved_line(fr, 2, release)
    assert fr.datetime(release) in late.last_answer["text"]
    await join(person, 9404, "fr", sid, "MJ", app)  # a reserved place: no queue for MJ
    assert await statuses(app, sid) == {9401: "confirmed", 9402: "waitlisted", 9403: "waitlisted",
                                        9404: "confirmed"}
    # Her card, opened again, says why she waits beside a seat left.
    await queued.start(f"s_{sid}")
    assert ar.ngettext("🪑 {n} seat left out of {capacity}", "🪑 {n} seats left out of {capacity}", 1,
                       capacity=ar.number(3)) in queued.last_message.text
    assert ar.to_person("🎟 The places left are reserved for other administrations: one will be "
                        "offered to you if they are released.") in queued.last_message.text
    await app.bot_data.registrations.expire_due()  # before the release: nothing moves
    assert (await statuses(app, sid))[9402] == "waitlisted"
    clock.set(release + timedelta(minutes=1))
    await app.bot_data.registrations.expire_due()
    assert await statuses(app, sid) == {9401: "confirmed", 9402: "offered", 9403: "waitlisted",
                                        9404: "confirmed"}
    await drain(app)
    assert ar._("🎟 A place has freed up for you:") in queued.last_message.text
    released = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT released_at FROM session_quotas WHERE session_id = ?", (sid,)).fetchone())
    assert released[0] is not None
    await app.bot_data.registrations.expire_due()  # released once: no second offer
    assert (await statuses(app, sid))[9403] == "waitlisted"


async def test_places_held_until_registration_closes_say_so(app, person, fr, ar):
    sid = await make_session(app, "T-QUOTA-OPEN", capacity=1)
    await reserve(app, sid, "MJ", 1)
    for uid, lang, t in ((9411, "fr", fr), (9412, "ar", ar)):
        c = await join(person, uid, lang, sid, "MEF", app)
        assert c.last_answer["text"] == reserved_line(t, uid - 9410, None)
        assert t.to_person("⏳ The places left are reserved for other administrations. You are in "
                           "position {ordinal} on the waitlist.",
                           ordinal=t.ordinal(uid - 9410)) == c.last_answer["text"]


async def test_a_freed_reserved_place_goes_to_the_administration_it_is_held_for(app, person):
    """MJ holds 1 of 2 places: when its official cancels, the first in line (MEF) is passed
    over and the MJ official behind gets the offer."""
    sid = await make_session(app, "T-QUOTA-FREE", capacity=2)
    await reserve(app, sid, "MJ", 1)
    await join(person, 9421, "fr", sid, "MEF", app)
    mj = await join(person, 9422, "fr", sid, "MJ", app)
    await join(person, 9423, "fr", sid, "MEF", app)
    await join(person, 9424, "fr", sid, "MJ", app)
    assert await statuses(app, sid) == {9421: "confirmed", 9422: "confirmed", 9423: "waitlisted",
                                        9424: "waitlisted"}
    fr = translator("fr")
    await mj.click(fr._("❌ Cancel my registration"))
    await mj.click(fr._("Yes, cancel"))
    assert await statuses(app, sid) == {9421: "confirmed", 9422: "cancelled", 9423: "waitlisted",
                                        9424: "offered"}


async def test_racing_registrations_exceed_neither_capacity_nor_quota(app, server):
    """Capacity 10, 4 held for MJ: 30 MEF officials tap first, then 10 MJ ones, all at once.
    Without the quota the first ten MEF taps would take every seat."""
    sid = await make_session(app, "T-QUOTA-RACE", capacity=10)
    await reserve(app, sid, "MJ", 4)
    clients = []
    for i in range(40):
        await onboard(app, 6000 + i, administration_code="MEF" if i < 30 else "MJ")
        c = BotClient(app, server, user_id=6000 + i)
        await c.start(f"s_{sid}")
        clients.append(c)
    await asyncio.gather(*(c.click_data(f"v1:reg:join:{sid}", c.last_message) for c in clients))
    seated = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT u.administration_code, COUNT(*) FROM registrations g JOIN users u ON u.id = g.user_id"
        " WHERE g.session_id = ? AND g.status = 'confirmed' GROUP BY 1", (sid,)).fetchall())
    assert dict(map(tuple, seated)) == {"MEF": 6, "MJ": 4}
    state = await statuses(app, sid)
    assert sum(s == "waitlisted" for s in state.values()) == 30


async def test_a_coordinator_reserves_changes_and_removes_places(app, person, fr, ar, clock):
    sid = await make_session(app, "T-QUOTA-UI", capacity=2)
    await join(person, 9431, "fr", sid, "MEF", app)
    c = await coordinator_managing(app, person, 9430, sid)
    await c.click(fr._("🎟 Reserved places"))
    assert fr._("No places are reserved on this session.") in c.last_message.text
    await c.send("XYZ 1")
    assert c.last_message.text == fr._("No administration has the code {code}.", code="XYZ")
    await c.send("MJ 3")
    assert c.last_message.text == fr.ngettext("That is more than the session's {n} place.",
                                              "That is more than the session's {n} places.", 2)
    await c.send("MJ 1 2020-01-01")
    assert c.last_message.text == fr._("The date when the places are open to everyone must be to "
                                       "come and before the start of the session.")
    await c.send("MJ un")
    assert c.last_message.text == fr._("Please send the administration's code, the number of places and, if "
                                       "they are to be open to everyone at a date, that date and "
                                       "time: for example {example}.", example="MEF 5 2026-12-01 09:00")
    await c.send("mj 1 2026-11-28 09:00")
    assert c.last_message.text.startswith(fr.ngettext("Done: {n} place reserved for {code}.",
                                                      "Done: {n} places reserved for {code}.", 1,
                                                      code="MJ"))
    assert "MJ — Ministère de la Justice" in c.last_message.text
    row = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT administration_code, places, release_at FROM session_quotas WHERE session_id = ?",
        (sid,)).fetchone())
    assert tuple(row) == ("MJ", 1, "2026-11-28 09:00:00")  # Morocco is UTC+0 in November
    queued = await join(person, 9432, "ar", sid, "MEF", app)
    assert (await statuses(app, sid))[9432] == "waitlisted"
    # An Arabic-speaking coordinator removes it: the place is offered at once.
    await onboard(app, 9433, "ar")
    await grant(app, 9433, "coordinator")
    a = person(9433, "ar")
    await a.start(f"s_{sid}")
    await a.click(ar._("🛠 Manage this session"))
    await a.click(ar._("🎟 Reserved places"))
    assert "MJ — وزارة العدل" in a.last_message.text
    await a.send("MJ ٠")
    assert a.last_message.text.startswith(ar._("Done: the places reserved for {code} are open to "
                                               "everyone.", code="MJ"))
    assert (await statuses(app, sid))[9432] == "offered"
    await drain(app)
    assert ar._("🎟 A place has freed up for you:") in queued.last_message.text
    await a.click(ar._("🎟 Reserved places"))
    await a.send("MJ 0")
    assert a.last_message.text == ar._("No places are reserved for {code} on this session.", code="MJ")
    actions = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT action FROM audit WHERE action LIKE 'quota%' ORDER BY id").fetchall())
    assert [r[0] for r in actions] == ["quota_set", "quota_removed"]


async def test_an_official_cannot_open_the_reserved_places(app, person, fr):
    sid = await make_session(app, "T-QUOTA-ROLE", capacity=2)
    await onboard(app, 9441)
    c = person(9441, "fr")
    await c.start()
    await c.click_data(f"v1:quo:m:{sid}")
    assert c.last_answer["show_alert"]
    drafts = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT COUNT(*) FROM drafts WHERE user_id = 9441").fetchone())
    assert drafts[0] == 0


async def test_an_approved_request_takes_a_seat_only_beside_the_reserved_ones(app, person):
    """The approval path applies the same rule: approved with only reserved places left, an
    official is queued; one of the administration they are held for gets the seat."""
    sid = await make_session(app, "T-QUOTA-APPROVAL", capacity=2, needs_approval=True)
    await reserve(app, sid, "MJ", 1)
    await onboard(app, 9450)
    await grant(app, 9450, "coordinator")
    regs = app.bot_data.registrations
    for uid, administration in ((9451, "MEF"), (9452, "MEF"), (9453, "MJ")):
        await onboard(app, uid, administration_code=administration)
        asked = await regs.join(uid, sid)
        assert asked.outcome == "requested"
        decided = await regs.decide(9450, asked.registration.id, True)
        assert decided.outcome == {9451: "confirmed", 9452: "waitlisted", 9453: "confirmed"}[uid]
    assert await statuses(app, sid) == {9451: "confirmed", 9452: "waitlisted", 9453: "confirmed"}


async def test_a_cohort_is_booked_whole_only_beside_the_reserved_places(app):
    """Booking a cohort applies the seat rule to each of its sessions: one whose places left are
    held for another administration puts the cohort on its waitlist, with no seat taken."""
    from bot.services.paths import PathService

    d = app.bot_data
    paths = PathService(d.db, d.clock, d.registrations)
    codes = ("DAT-201", "EGV-101")
    trainings = [(await app.bot_data.db.read(lambda c, code=code: c.execute(
        "SELECT id FROM trainings WHERE code = ?", (code,)).fetchone()))[0] for code in codes]
    path = await paths.create_path("P-QUOTA", "Parcours", "مسار", trainings)
    first = await make_session(app, "T-QC-1", training=codes[0], capacity=5)
    second = await make_session(app, "T-QC-2", training=codes[1], capacity=1, starts_in_hours=24 * 20)
    await reserve(app, second, "MJ", 1)
    cohort = await paths.create_cohort(path, "C-QUOTA", [first, second])
    await onboard(app, 9461, administration_code="MEF")
    await onboard(app, 9462, administration_code="MJ")
    refused = await paths.book_cohort(9461, cohort)
    assert (refused.outcome, refused.position) == ("waitlisted", 1)
    assert await statuses(app, first) == {} and await statuses(app, second) == {}
    assert (await paths.book_cohort(9462, cohort)).outcome == "booked"
    assert await statuses(app, second) == {9462: "confirmed"}


def test_the_date_told_is_the_first_release_of_the_places_held_for_others(clock):
    from bot.storage.quotas import Holds

    soon, later = clock.now() + timedelta(days=1), clock.now() + timedelta(days=5)
    held = Holds({"MJ": 1, "MI": 2, "HCP": 0}, {"MJ": None, "MI": later, "HCP": soon})
    assert held.frees_at("MEF") == later  # HCP's places are all taken: nothing to free there
    assert held.frees_at("MI") is None  # only MJ's, held until registration closes
    assert held.allows(7, 10, "MJ") and not held.allows(7, 10, "MEF")
