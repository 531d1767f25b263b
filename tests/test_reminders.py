"""Automatic reminders, quiet hours, session changes and cancellations by coordinators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.conftest import ADMIN_ID, coordinator_managing, db_row, drain, make_session, onboard
from tests.test_onboarding import is_arabic_first


async def registered(app, person, user_id, session_id, lang="fr", **profile):
    await onboard(app, user_id, lang, **profile)
    c = person(user_id, lang)
    await c.start()
    result = await app.bot_data.registrations.join(user_id, session_id)
    await drain(app)  # the confirmation
    return c, result.registration


def at_local(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


async def test_reminders_two_days_and_two_hours_before(app, person, fr, ar, clock):
    sid = await make_session(app, "T-REM", starts_in_hours=24 * 5)  # Monday 09:00 UTC+0
    amina, _ = await registered(app, person, 8001, sid)
    youssef, _ = await registered(app, person, 8002, sid, "ar")
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(hours=48))
    stats = await drain(app)
    assert stats.sent == 2
    reminder = amina.last_message
    assert reminder.text.startswith("⏰") and "2 jours" in reminder.text
    assert [fr._("📅 Calendar file")] in reminder.buttons
    assert [fr._("❌ Cancel my registration")] in reminder.buttons
    assert is_arabic_first(youssef.last_message.text.lstrip("⏰ "))
    clock.set(session.starts_at - timedelta(hours=2))
    await drain(app)
    assert "2 heures" in amina.last_message.text
    assert (await drain(app)).sent == 0


async def test_no_reminder_for_a_cancelled_place_or_a_started_session(app, person, clock):
    sid = await make_session(app, "T-REM-X", starts_in_hours=24 * 5)
    amina, reg = await registered(app, person, 8003, sid)
    await app.bot_data.registrations.cancel(8003, reg.id)
    await drain(app)  # the cancellation
    before = len(amina.messages)
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at + timedelta(minutes=5))
    stats = await drain(app)
    assert stats.sent == 0 and stats.skipped == 2
    assert len(amina.messages) == before


async def test_reminders_due_while_down_are_caught_up_only_when_meaningful(app, person, clock):
    sid = await make_session(app, "T-REM-DOWN", starts_in_hours=24 * 5 + 5)  # 14:00, out of the night
    amina, _ = await registered(app, person, 8004, sid)
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(minutes=90))  # down through both due times
    stats = await drain(app)
    assert stats.sent == 1 and stats.skipped == 1  # the 2-day one is overtaken: skipped
    assert "2 heures" in amina.last_message.text or "1 heure" in amina.last_message.text


async def test_quiet_hours_hold_what_can_wait(app, person, clock):
    # A session on a Monday at 09:00 Moroccan time: the 2-day reminder falls on Saturday 09:00.
    sid = await make_session(app, "T-QUIET", starts_in_hours=24 * 5)
    amina, reg = await registered(app, person, 8005, sid)
    session = await app.bot_data.catalogue.session(sid)
    # Move the reminder into the night to see it wait (as if due at 23:00).
    night = at_local(session.starts_at - timedelta(days=2), 23)
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE outbox SET due_at = ? WHERE kind = 'reminder' AND urgent = 0",
        (night.strftime("%Y-%m-%d %H:%M:%S"),)))
    clock.set(night + timedelta(minutes=1))
    assert (await drain(app)).sent == 0  # 23:01: waits
    clock.set(at_local(night + timedelta(days=1), 7, 59))
    assert (await drain(app)).sent == 0  # 07:59: still night
    clock.set(at_local(night + timedelta(days=1), 8, 0))
    assert (await drain(app)).sent == 1  # 08:00: delivered
    # The 2-hour reminder of a 09:00 session falls at 07:00: urgent, it goes out at night.
    clock.set(session.starts_at - timedelta(hours=2))
    assert (await drain(app)).sent == 1


async def test_coordinator_cancels_a_session(app, person, fr, ar, clock):
    sid = await make_session(app, "T-SCANCEL", capacity=1)
    amina, _ = await registered(app, person, 8010, sid)
    youssef, _ = await registered(app, person, 8011, sid, "ar")  # on the waitlist
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    await admin.start(f"s_{sid}")
    await admin.click(fr._("🛠 Manage this session"))
    await admin.click(fr._("❌ Cancel the session"))
    await admin.send("Formateur indisponible")  # the reason asked before confirming
    await admin.click(fr._("Yes, cancel the session"))
    assert "2" in admin.last_message.text
    await drain(app)
    cancel = amina.last_message
    assert cancel.document and Calendar.from_ical(cancel.document.data)["METHOD"] == "CANCEL"
    assert is_arabic_first(youssef.last_message.text.lstrip("❌ "))
    assert youssef.last_message.document is None  # no place, no calendar event to remove
    statuses = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT DISTINCT status FROM registrations WHERE session_id = ?", (sid,)).fetchall())
    assert [r[0] for r in statuses] == ["cancelled"]
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(hours=2))
    assert (await drain(app)).sent == 0  # no reminder for a cancelled session


async def test_coordinator_moves_a_session_and_reminders_follow(app, person, fr, clock):
    sid = await make_session(app, "T-MOVE", capacity=5, starts_in_hours=24 * 6)
    amina, reg = await registered(app, person, 8020, sid)
    coordinator = await coordinator_managing(app, person, 8021, sid)
    await coordinator.click(fr._("🕒 Change the date, time or place"))
    await coordinator.send("demain matin")  # not a date: asked again, nothing lost
    assert coordinator.last_message.text == fr._("Please write the date and time as YYYY-MM-DD HH:MM, "
                                                 "for example 2026-12-10 09:30.")
    await coordinator.send("٢٠٢٦-١٢-٠٩ 14:00")  # Eastern Arabic digits are fine
    await coordinator.click(fr._("Keep the same length"))
    await coordinator.send("Salle 3, INA Rabat")
    await coordinator.click(fr._("✅ Apply and tell everyone"))
    session = await app.bot_data.catalogue.session(sid)
    assert session.starts_at == datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert session.ends_at - session.starts_at == timedelta(hours=7)
    await drain(app)
    told = amina.last_message
    cal = Calendar.from_ical(told.document.data)
    event = cal.walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and "Salle 3" in str(event["LOCATION"])
    assert "DTSTART;TZID=Africa/Casablanca:20261209T140000" in told.document.data.decode()
    # The old reminders are stale; the new ones come at the new times.
    old = datetime(2026, 12, 1, 9, tzinfo=UTC) - timedelta(hours=2)
    clock.set(max(old, clock.now()))
    clock.set(session.starts_at - timedelta(hours=48))
    await drain(app)
    assert "2 jours" in amina.last_message.text
    assert (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE user_id = 8020 AND kind = 'reminder' "
                              "AND state = 'sent'"))[0] == 1


async def test_only_coordinators_manage_sessions(app, person, fr):
    sid = await make_session(app, "T-NOMANAGE")
    await onboard(app, 8030, "fr")
    c = person(8030, "fr")
    await c.start(f"s_{sid}")
    assert fr._("🛠 Manage this session") not in [b for row in c.last_message.buttons for b in row]
    for data in (f"v1:sa:menu:{sid}", f"v1:sa:cancelok:{sid}", f"v1:sa:move:{sid}"):
        await c.click_data(data, c.last_message)  # the one refusal of the role, not a stale button
        assert c.last_answer["text"] == fr._("This command is reserved for administrators and "
                                             "national coordinators.")
    assert (await app.bot_data.catalogue.session(sid)).status == "published"
