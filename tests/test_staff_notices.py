"""Staff are told: trainers hear of moves, cancellations and hand-overs; participants read what
changed and why; a focal point signs their broadcasts; quiet hours tell the sender when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import translator
from handlers.attendance import CheckInCode, Roster
from handlers.trainer import MessageGroup
from tests.conftest import coordinator_managing, db_row, drain, grant, make_session, onboard
from tests.test_onboarding import is_arabic_first
from tests.test_reminders import registered


async def _trainer(app, person, uid, lang, sid=None, name="Rachid Formateur"):
    await onboard(app, uid, lang, full_name=name, sex="M")
    await grant(app, uid, "trainer")
    c = person(uid, lang)
    await c.start()
    if sid is not None:
        await app.bot_data.db.write(lambda conn: conn.execute(
            "UPDATE sessions SET trainer_id = ? WHERE id = ?", (uid, sid)))
    return c


async def _coordinator(app, person, uid, lang, sid, tr):
    await onboard(app, uid, lang)
    await grant(app, uid, "coordinator")
    c = person(uid, lang)
    await c.start(f"s_{sid}")
    await c.click(tr._("🛠 Manage this session"))
    return c


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_move_tells_trainer_and_participants_old_and_new(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-MV-{lang}", starts_in_hours=24 * 6)
    trainer = await _trainer(app, person, 7100, lang, sid)
    amina, _ = await registered(app, person, 7101, sid, lang)
    old = await app.bot_data.catalogue.session(sid)
    coordinator = await coordinator_managing(app, person, 7102, sid)
    await coordinator.click(fr._("🕒 Change the date, time or place"))
    await coordinator.send("2026-12-09 14:00")
    await coordinator.click(fr._("Keep the same length"))
    await coordinator.send("Salle 3, INA Rabat")
    await coordinator.click(fr._("✅ Apply and tell everyone"))
    await drain(app)
    new = await app.bot_data.catalogue.session(sid)
    assert new.starts_at == datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    old_place = t.pick("Institut national, Rabat", "المعهد الوطني، الرباط")
    for person_sees in (trainer.last_message.text, amina.last_message.text):
        assert t._("🗓 Date: {old} → {new}", old=_when(t, old), new=_when(t, new)) in person_sees
        assert t._("📍 Place: {old} → {new}", old=t.iso(old_place), new=t.iso("Salle 3, INA Rabat")) \
            in person_sees
    assert translator(lang, "M")._("🔄 A session you run has changed:") in trainer.last_message.text
    if lang == "ar":  # a right-to-left line says من … إلى …, never an arrow
        assert is_arabic_first(trainer.last_message.text.lstrip("🔄 "))
        assert "→" not in trainer.last_message.text.split("\n\n")[0]
        assert "من " in amina.last_message.text and " إلى " in amina.last_message.text
    row = await db_row(app, "SELECT state, json_extract(payload, '$.before.place_fr') FROM outbox "
                            "WHERE user_id = 7100 AND kind = 'trainer_session_changed'")
    assert tuple(row) == ("sent", "Institut national, Rabat")


def _when(t, s):
    from handlers.cards import session_when

    return session_when(t, s)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_cancelling_asks_why_and_everyone_reads_it(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-CN-{lang}", capacity=5)
    trainer = await _trainer(app, person, 7200, lang, sid)
    amina, _ = await registered(app, person, 7201, sid, lang)
    coordinator = await _coordinator(app, person, 7202, lang, sid, t)
    await coordinator.click(t._("❌ Cancel the session"))
    assert "/cancel" in coordinator.last_message.text
    assert (await db_row(app, "SELECT status FROM sessions WHERE id = ?", sid))[0] == "published"
    shown = await coordinator.send("   ")
    assert shown[0].text == t._("Please type the reason for the cancellation.")
    await coordinator.send("Formateur indisponible <malade>")
    assert t._("Reason: {reason}", reason=t.iso("Formateur indisponible &lt;malade&gt;")) \
        in coordinator.last_message.html
    await coordinator.click(t._("Yes, cancel the session"))
    assert t.ngettext("The session is cancelled; {n} person is being told.",
                      "The session is cancelled; {n} people are being told.", 1) \
        == coordinator.last_message.text
    row = await db_row(app, "SELECT status, cancel_reason FROM sessions WHERE id = ?", sid)
    assert tuple(row) == ("cancelled", "Formateur indisponible <malade>")
    await drain(app)
    reason = t._("Reason: {reason}", reason=t.iso("Formateur indisponible <malade>"))
    assert reason in amina.last_message.text
    assert t._("❌ This session has been cancelled by the organisers:") in amina.last_message.text
    assert translator(lang, "M")._("❌ A session you run has been cancelled:") in trainer.last_message.text
    assert reason in trainer.last_message.text
    # /mysessions: shown as cancelled, with nothing left to do for it.
    await trainer.send("/mysessions")
    label = trainer.last_message.flat_buttons[0]
    assert label.startswith("❌") and t._("❌ Cancelled: {session}", session="").strip() in label
    await trainer.click(label)
    assert reason in trainer.last_message.text
    assert trainer.last_message.flat_buttons == [t._("⬅ My sessions")]
    # A button shown before the cancellation (message the participants, the roster) is refused.
    for data in (MessageGroup("confirmed", sid).pack(), Roster(sid, 0).pack(), CheckInCode(sid).pack()):
        await trainer.click_data(data, trainer.last_message)
        assert trainer.last_answer["text"] == t._("This button is no longer valid.")
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7200") is None


async def test_a_stale_confirmation_cannot_cancel_without_a_reason(app, person, fr):
    sid = await make_session(app, "T-CN-STALE")
    coordinator = await coordinator_managing(app, person, 7300, sid)
    await coordinator.click_data(f"v1:sa:cancelok:{sid}", coordinator.last_message)
    assert (await db_row(app, "SELECT status FROM sessions WHERE id = ?", sid))[0] == "published"
    title = (await app.bot_data.catalogue.session(sid)).title_fr
    assert coordinator.last_message.html == fr._(
        "Why is <b>{title}</b> cancelled? Type the reason: the participants, the people on the "
        "waitlist and the trainer will read it. Send /cancel to keep the session.", title=title)
    await coordinator.send("/cancel")  # keeps the session
    assert (await db_row(app, "SELECT status FROM sessions WHERE id = ?", sid))[0] == "published"


async def test_handing_over_tells_the_old_and_the_new_trainer(app, person, fr, ar):
    sid = await make_session(app, "T-HAND")
    old = await _trainer(app, person, 7400, "ar", sid, name="Karim Ancien")
    new = await _trainer(app, person, 7401, "fr", name="Nadia Nouvelle")
    coordinator = await coordinator_managing(app, person, 7402, sid)
    await coordinator.click(fr._("👤 Assign a trainer"))
    await coordinator.click("Nadia Nouvelle")
    await drain(app)
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] == 7401
    assert fr._("👤 You are the trainer of this session:") in new.last_message.text
    he = translator("ar", "M")  # Rachid, a man
    assert he._("👤 You no longer run this session; another trainer does:") in old.last_message.text
    assert is_arabic_first(old.last_message.text.lstrip("👤 "))
    # The old trainer's list no longer offers it.
    await old.send("/mysessions")
    assert old.last_message.text == ar._("You have no session as a trainer at the moment.")


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_points_broadcast_is_signed(app, person, server, lang, fr, ar):
    t = ar if lang == "ar" else fr
    await onboard(app, 7500, "fr", administration_code="MJ", full_name="Salma Idrissi")
    await grant(app, 7500, "focal_point", "MJ")
    await onboard(app, 7501, lang, administration_code="MJ")
    reader = person(7501, lang)
    await reader.start()
    focal = person(7500, "fr")
    await focal.send("/broadcast")
    await focal.click(fr._("Everyone in my administration"))
    await focal.send("Réunion jeudi")
    await focal.click(fr._("✅ Send"))
    assert fr._("🌙 It is quiet hours: your message will be sent at {time}.", time="").split(":")[0] \
        not in focal.last_message.text  # 09:00: nothing is held
    await drain(app)
    justice = t.pick("Ministère de la Justice", "وزارة العدل")
    assert t._("📣 Message from {name}, focal point of {administration}:",
               name=t.iso("Salma Idrissi"), administration=justice) in reader.last_message.text
    assert "Réunion jeudi" in reader.last_message.text


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_broadcast_held_by_quiet_hours_says_when_it_goes(app, person, clock, lang, fr, ar):
    t = ar if lang == "ar" else fr
    await onboard(app, 7600, lang)
    await grant(app, 7600, "coordinator")
    await onboard(app, 7601, "fr", region_code="RSK")
    clock.set(datetime(2026, 11, 26, 5, 30, tzinfo=UTC))  # 05:30 in Rabat (UTC+0)
    sender = person(7600, lang)
    await sender.send("/broadcast")
    await sender.click(t._("Everyone"))
    await sender.send("Bonne journée")
    await sender.click(t._("✅ Send"))
    eight = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert t._("🌙 It is quiet hours: your message will be sent at {time}.", time=t.time(eight)) \
        in sender.last_message.text
    assert (await drain(app)).sent == 0
    clock.set(eight)
    assert (await drain(app)).sent >= 1
    # Late in the evening it goes the next morning: the day is said too.
    clock.set(datetime(2026, 11, 26, 22, 0, tzinfo=UTC))
    await sender.send("/broadcast")
    await sender.click(t._("Everyone"))
    await sender.send("Demain")
    await sender.click(t._("✅ Send"))
    tomorrow = eight + timedelta(days=1)
    assert t._("🌙 It is quiet hours: your message will be sent at {time}.",
               time=t.datetime(tomorrow)) in sender.last_message.text
