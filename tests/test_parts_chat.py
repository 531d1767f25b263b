"""Sessions in parts in the chat (issue 17): a coordinator adds and moves parts from "Manage
this session"; the card and the confirmation show them; one calendar event per part, and moving
day 2 re-sends only day 2's event; reminders and check-in per part; the trainer marks each part
present, late, excused or absent and sees partial, 14 of 21 h — in French and in Arabic."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.i18n import translator
from bot.storage import indicators
from bot.storage.indicator_hours import hours as hours_attended
from bot.timeutil import morocco, to_db
from handlers.part_attendance import PartMark
from handlers.roster import EVERY, RosterPage
from tests.conftest import coordinator_managing, db_row, drain, grant, make_session, onboard

COORD, AMINA, YOUSSEF, TRAINER = 9801, 9802, 9803, 9804


def local(at) -> str:
    return at.astimezone(morocco()).strftime("%Y-%m-%d %H:%M")


async def add_part(c, fr, start) -> None:
    await c.click(fr._("➕ Add a part"))
    await c.send(local(start))
    await c.click(fr._("Keep the same length"))
    await c.click(fr._("Keep the same place"))


async def three_day_session(app, person, fr, reference="T-PARTS"):
    """A coordinator turns a 7-hour session into three days from the chat."""
    sid = await make_session(app, reference, hours=7, capacity=20)
    first = (await app.bot_data.catalogue.session(sid)).starts_at
    c = await coordinator_managing(app, person, COORD, sid)
    await c.click(fr._("🧩 Days and parts"))
    assert fr._("This session is in one piece. Add its days or half-days one by one: the session "
                "then runs from the start of the first to the end of the last.") in c.last_message.text
    await add_part(c, fr, first + timedelta(days=1))
    await add_part(c, fr, first + timedelta(days=2))
    assert fr.ngettext("This session has {n} part:", "This session has {n} parts:", 3).format(n=3) \
        in c.last_message.text
    parts = await app.bot_data.parts.parts(sid)
    assert [p.hours for p in parts] == [7, 7, 7] and parts[2].starts_at == first + timedelta(days=2)
    return sid, parts, c


def uids(message) -> list[str]:
    return re.findall(r"UID:(\S+)", message.document.data.decode())


async def test_parts_are_added_shown_and_each_has_its_event(app, person, fr, ar):
    sid, parts, coord = await three_day_session(app, person, fr)
    await onboard(app, AMINA, "fr", sex="F")
    await onboard(app, YOUSSEF, "ar", sex="M")
    amina, youssef = person(AMINA, "fr"), person(YOUSSEF, "ar")
    for client in (amina, youssef):
        await client.start(f"s_{sid}")
    # The card shows the three parts, 21 hours in all.
    assert fr.ngettext("🧩 In {n} part, {hours} h in all:", "🧩 In {n} parts, {hours} h in all:",
                       3, hours="21") in amina.last_message.text
    assert ar.ngettext("🧩 In {n} part, {hours} h in all:", "🧩 In {n} parts, {hours} h in all:",
                       3, hours=ar.number(21)) in youssef.last_message.text
    for user in (AMINA, YOUSSEF):
        assert (await app.bot_data.registrations.join(user, sid)).outcome == "confirmed"
    await drain(app)
    confirmation = next(m for m in amina.messages if fr._("✅ Your place is confirmed:") in m.text)
    assert fr._("A calendar file for each part follows.") in confirmation.text
    assert confirmation.document is None  # no one event spanning three days
    files = [m for m in amina.messages if m.document is not None]
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ?", AMINA))[0]
    assert [uids(m) for m in files] == [[f"registration-{reg}-part-{p.id}@etamkeen"] for p in parts]
    assert all(ar._("The calendar file puts this part in your calendar.") in m.text
               for m in youssef.messages if m.document is not None)
    assert len([m for m in youssef.messages if m.document is not None]) == 3
    # Reminders are per part: each day has its own, none for the session as a whole.
    kinds = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT kind, COUNT(*) FROM outbox WHERE user_id = ? AND state = 'pending' GROUP BY kind",
        (AMINA,)).fetchall())
    assert dict(map(tuple, kinds)) == {"part_reminder": 3 * len(app.bot_data.settings.reminder_hours)}

    # Moving day 2 re-sends day 2's event alone, to both, each in their language.
    before_a, before_y = len(amina.messages), len(youssef.messages)
    await coord.click(fr._("🕒 Move part {number}", number="2"))
    await coord.send(local(parts[1].starts_at + timedelta(hours=1)))
    await coord.click(fr._("Keep the same length"))
    assert fr._("✅ The part is moved; only its calendar event is sent again.") in coord.last_message.text
    await drain(app)
    (moved,) = amina.messages[before_a:]
    assert uids(moved) == [f"registration-{reg}-part-{parts[1].id}@etamkeen"]
    assert b"SEQUENCE:1" in moved.document.data
    assert fr._("🔄 A part of this session has changed. Here it is now:") in moved.text
    (moved_ar,) = youssef.messages[before_y:]
    assert ar._("🔄 A part of this session has changed. Here it is now:") in moved_ar.text
    # The session still spans the three days; the old day-2 reminders are stale, new ones queued.
    session = await app.bot_data.catalogue.session(sid)
    assert (session.starts_at, session.ends_at) == (parts[0].starts_at, parts[2].ends_at)


async def test_calendar_button_sends_one_file_per_part(app, person, fr):
    sid, parts, _ = await three_day_session(app, person, fr, "T-PARTS-CAL")
    await onboard(app, AMINA, "fr", sex="F")
    amina = person(AMINA, "fr")
    await amina.start()
    await app.bot_data.registrations.join(AMINA, sid)
    await drain(app)
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = ?", AMINA))[0]
    before = len(amina.messages)
    await amina.click_data(f"v1:reg:ics:{reg}")
    files = amina.messages[before:]
    assert [uids(m) for m in files] == [[f"registration-{reg}-part-{p.id}@etamkeen"] for p in parts]
    before = len(amina.messages)
    await amina.click(fr._("❌ Cancel my registration"))
    await amina.click(fr._("Yes, cancel"))
    await drain(app)
    cancels = [m for m in amina.messages[before:] if m.document is not None]
    assert len(cancels) == 3 and all(b"METHOD:CANCEL" in m.document.data for m in cancels)
    # Registered again: the three events come again.
    before = len(amina.messages)
    assert (await app.bot_data.registrations.join(AMINA, sid)).outcome == "confirmed"
    await drain(app)
    again = [m for m in amina.messages[before:] if m.document is not None]
    assert len(again) == 3 and all(b"METHOD:REQUEST" in m.document.data for m in again)


async def attendance_session(app, person, fr):
    sid, parts, _ = await three_day_session(app, person, fr, "T-PARTS-ATT")
    await app.bot_data.db.write(lambda c: c.execute("UPDATE sessions SET trainer_id = ? WHERE id = ?",
                                                    (TRAINER, sid)))
    await onboard(app, AMINA, "fr", full_name="Amina El Idrissi", sex="F")
    reg = (await app.bot_data.registrations.join(AMINA, sid)).registration
    return sid, parts, reg


async def test_trainer_marks_each_part_and_sees_partial_in_arabic(app, person, fr, ar, clock):
    sid, parts, reg = await attendance_session(app, person, fr)
    await onboard(app, TRAINER, "ar", full_name="طارق بنكيران", sex="M")
    await grant(app, TRAINER, "trainer")
    trainer = person(TRAINER, "ar")
    await trainer.start()
    clock.set(parts[0].starts_at)
    await trainer.send("/mysessions")
    await trainer.click("الأمن السيبراني")
    await trainer.click(ar._("📋 Attendance"))
    he = translator("ar")  # the trainer is a man
    assert he.to_person("Choose the part whose attendance you take:") in trainer.last_message.text
    for number, status in enumerate((ar._("✅ Present"), ar._("⏰ Late"), ar._("🟡 Excused")), 1):
        clock.set(parts[number - 1].starts_at + timedelta(hours=1))
        await trainer.press(number)  # the part's button in the list of parts
        await trainer.click(f"▫️ {ar.iso('Amina El Idrissi')}")
        await trainer.click(status)
        shown = trainer.last_message.text
        await trainer.click(ar._("⬅ Back"))  # back to the list of parts
    assert ar._("partial, {done} of {total} h", done=ar.number(14), total=ar.number(21)) in shown
    assert f"🟡 {ar.iso('Amina El Idrissi')}" in shown
    row = await db_row(app, "SELECT status, hours_attended FROM registrations WHERE id = ?", reg.id)
    assert tuple(row) == ("absent", 14)
    # The coordinators' roster says partial too, not absent.
    await onboard(app, COORD, "fr")
    await grant(app, COORD, "coordinator")
    coord = person(COORD, "fr")
    await coord.start()
    await coord.click_data(RosterPage(sid, EVERY, 0).pack())
    assert fr._("partial, {done} of {total} h", done="14", total="21") in coord.last_message.text
    scope = indicators.Scope(start=to_db(parts[0].starts_at),
                             end=to_db(parts[0].starts_at + timedelta(seconds=1)))
    (total,) = await app.bot_data.db.read(indicators.breakdown, scope, "total")
    assert total["registrations"] == 1  # counted once, not once a day
    (hours,) = await app.bot_data.db.read(hours_attended, scope, "total")
    assert (hours["people"], hours["hours"]) == (1, 14)


async def test_part_marks_refuse_forged_and_early_presses(app, person, fr, clock):
    sid, parts, reg = await attendance_session(app, person, fr)
    await onboard(app, TRAINER, "fr", full_name="Rachid", sex="M")
    await grant(app, TRAINER, "trainer")
    trainer = person(TRAINER, "fr")
    await trainer.start()
    await trainer.click_data(PartMark(sid, parts[0].id, reg.id, 0, "present").pack())
    assert trainer.last_answer["text"] == fr._("Attendance cannot be changed at this time.")
    await trainer.click_data(PartMark(sid, parts[0].id, reg.id, 0, "maybe").pack())
    assert trainer.last_answer["text"] == fr._("This button is no longer valid.")
    assert (await db_row(app, "SELECT COUNT(*) FROM part_attendance"))[0] == 0


async def test_check_in_marks_the_part_under_way(app, person, fr, clock):
    sid, parts, reg = await attendance_session(app, person, fr)
    amina = person(AMINA, "fr")
    checkin = app.bot_data.checkin
    clock.set(parts[1].starts_at + timedelta(minutes=5))  # day 2
    await amina.start(f"c_{sid}_{checkin.token(sid)}")
    assert "✅" in amina.last_message.text
    marks = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT part_id, status FROM part_attendance WHERE registration_id = ?", (reg.id,)).fetchall())
    assert [tuple(m) for m in marks] == [(parts[1].id, "present")]
    clock.set(parts[1].ends_at + timedelta(hours=2))  # the night between day 2 and day 3
    await amina.start(f"c_{sid}_{checkin.token(sid)}")
    opens = parts[2].starts_at - timedelta(minutes=app.bot_data.settings.checkin_opens_minutes)
    assert fr._("Check-in for <b>{title}</b> opens at {opens}.", title="X",
                opens=fr.datetime(opens)).split("</b>")[-1] in amina.last_message.html


async def test_a_session_in_parts_is_moved_part_by_part(app, person, fr):
    sid, parts, _ = await three_day_session(app, person, fr, "T-PARTS-MOVE")
    change = await app.bot_data.sessions.reschedule(sid, starts_at=parts[0].starts_at + timedelta(days=7))
    assert (change.outcome, change.refusal) == ("refused", "in_parts")
    # A new place alone is still fine (the parts keep their own places).
    assert (await app.bot_data.sessions.reschedule(sid, place_fr="Salle B")).outcome == "changed"


async def test_splitting_a_session_with_places_withdraws_its_single_event(app, person, fr, ar):
    sid = await make_session(app, "T-PARTS-SPLIT", hours=7, capacity=20)
    first = (await app.bot_data.catalogue.session(sid)).starts_at
    await onboard(app, YOUSSEF, "ar", sex="M")
    youssef = person(YOUSSEF, "ar")
    await youssef.start()
    reg = (await app.bot_data.registrations.join(YOUSSEF, sid)).registration
    await drain(app)
    (single,) = [m for m in youssef.messages if m.document is not None]
    assert uids(single) == [f"registration-{reg.id}@etamkeen"]
    before = len(youssef.messages)
    c = await coordinator_managing(app, person, COORD, sid)
    await c.click(fr._("🧩 Days and parts"))
    await add_part(c, fr, first + timedelta(days=1))
    await drain(app)
    files = [m for m in youssef.messages[before:] if m.document is not None]
    parts = await app.bot_data.parts.parts(sid)
    he = translator("ar")
    withdrawn = next(m for m in files if uids(m) == [f"registration-{reg.id}@etamkeen"])
    assert b"METHOD:CANCEL" in withdrawn.document.data and b"SEQUENCE:1" in withdrawn.document.data
    assert he.ngettext("🧩 Your session now runs in {n} part: each part's calendar event follows.",
                       "🧩 Your session now runs in {n} parts: each part's calendar event follows.",
                       2) in withdrawn.text
    assert sorted(uids(m)[0] for m in files if m is not withdrawn) == sorted(
        f"registration-{reg.id}-part-{p.id}@etamkeen" for p in parts)

    # The session cancelled: each part leaves the calendar, no single-event file.
    before = len(youssef.messages)
    assert (await app.bot_data.sessions.cancel(sid, COORD, "Salle indisponible")).outcome == "cancelled"
    await drain(app)
    news = youssef.messages[before:]
    cancels = [m for m in news if m.document is not None]
    assert sorted(uids(m)[0] for m in cancels) == sorted(
        f"registration-{reg.id}-part-{p.id}@etamkeen" for p in parts)
    assert all(b"METHOD:CANCEL" in m.document.data for m in cancels)
