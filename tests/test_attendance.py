"""Attendance by the trainer (roster, all present, edit window) and self check-in by QR code,
in French and in Arabic, with forged buttons, expired codes and people who are not registered."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import translator
from bot.services.access import Role
from handlers.access import refusal
from handlers.attendance import AllPresent, CheckInCode, Mark, Roster
from handlers.results import EvaluationResults
from tests.conftest import db_row, drain, grant, make_session, onboard

TRAINER = 9001
AR_TRAINER = 9002


async def status_of(app, reg_id: int) -> str:
    return (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg_id))[0]


async def session_with(app, person, reference: str, people, *, trainer: int = TRAINER,
                       starts_in_hours: float = 2, hours: float = 7):
    """A session of the trainer with people registered (confirmed); clients that have started
    the bot, so it may write to them. Returns (session id, {user id: (client, registration id)})."""
    sid = await make_session(app, reference, starts_in_hours=starts_in_hours, hours=hours, capacity=40)
    await app.bot_data.db.write(lambda c: c.execute("UPDATE sessions SET trainer_id = ? WHERE id = ?",
                                                    (trainer, sid)))
    out = {}
    for user_id, lang, name, sex in people:
        await onboard(app, user_id, lang, full_name=name, sex=sex)
        client = person(user_id, lang)
        await client.start()
        result = await app.bot_data.registrations.join(user_id, sid)
        out[user_id] = (client, result.registration.id)
    await drain(app)  # confirmations
    return sid, out


async def trainer_client(app, person, user_id=TRAINER, lang="fr", name="Rachid Formateur"):
    await onboard(app, user_id, lang, full_name=name, sex="M")
    await grant(app, user_id, "trainer")
    c = person(user_id, lang)
    await c.start()
    return c


async def open_roster(trainer, t):
    await trainer.send("/mysessions")
    await trainer.click("Cybersécurité" if t.lang == "fr" else "الأمن السيبراني")
    await trainer.click(t._("📋 Attendance"))


PEOPLE = [(7001, "fr", "Amina El Idrissi", "F"), (7002, "ar", "يوسف بنعلي", "M"),
          (7003, "fr", "Karim Tazi", "M")]


async def test_trainer_marks_the_roster(app, person, fr, clock):
    sid, people = await session_with(app, person, "T-ATT-1", PEOPLE)
    trainer = await trainer_client(app, person)
    await open_roster(trainer, fr)
    roster = trainer.last_message
    assert fr._("📋 <b>Attendance</b> — {title}", title="X").split("X")[0].replace("<b>", "").replace(
        "</b>", "") in roster.text
    assert "🔒" in roster.text  # two hours before the start: not yet
    await trainer.click("▫️ Amina El Idrissi")
    assert trainer.last_answer["text"] == fr._("Attendance cannot be changed at this time.")
    assert await status_of(app, people[7001][1]) == "confirmed"

    clock.advance(hours=2)  # the session starts
    await trainer.click(fr._("🔄 Refresh"), roster)
    await trainer.click("▫️ Amina El Idrissi")
    assert "✅ Amina El Idrissi" in trainer.last_message.flat_buttons
    assert await status_of(app, people[7001][1]) == "attended"
    await trainer.click_data(Mark(people[7001][1], 0, True).pack())  # a double tap: still present
    assert await status_of(app, people[7001][1]) == "attended"
    await trainer.click("✅ Amina El Idrissi")  # tapped again: absent
    assert await status_of(app, people[7001][1]) == "absent"
    await trainer.click(fr._("✅ All present"))
    # The absence already marked is kept: only those not yet marked become present.
    assert [await status_of(app, r) for _, r in people.values()] == ["absent", "attended", "attended"]
    assert trainer.last_answer["text"] == "2 marqués présents ; 1 absence maintenue"
    assert fr._("✅ {present} present · ❌ {absent} absent · ▫️ {unmarked} not marked",
                present="2", absent="1", unmarked="0") in trainer.last_message.text
    assert fr._("✅ All present") not in trainer.last_message.flat_buttons  # nothing left to mark
    await trainer.click("❌ Amina El Idrissi")  # she came in late after all
    assert await status_of(app, people[7001][1]) == "attended"
    await trainer.click("✅ Karim Tazi")
    assert await status_of(app, people[7003][1]) == "absent"

    # Editable until three days after the end, not after.
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.ends_at + timedelta(days=3, minutes=1))
    await trainer.click("❌ Karim Tazi")
    assert trainer.last_answer["text"] == fr._("Attendance cannot be changed at this time.")
    assert await status_of(app, people[7003][1]) == "absent"


async def test_roster_is_paginated_and_in_arabic(app, person, ar, clock):
    people = [(7100 + i, "fr", f"Participant{chr(65 + i)} Nom", "F") for i in range(11)]
    sid, regs = await session_with(app, person, "T-ATT-PAGES", people, trainer=AR_TRAINER)
    trainer = await trainer_client(app, person, AR_TRAINER, "ar", "طارق بنكيران")
    clock.advance(hours=2)
    await open_roster(trainer, ar)
    first = trainer.last_message
    names = [b for b in first.flat_buttons if "Participant" in b]
    assert len(names) == 8 and "1/2" in " ".join(first.flat_buttons)
    assert translator("ar", "M")._("Tap a name to mark the person present or absent.") in first.text
    await trainer.click("▶")
    assert len([b for b in trainer.last_message.flat_buttons if "Participant" in b]) == 3
    name = ar.iso("ParticipantK Nom")  # a Latin name isolated inside Arabic text
    await trainer.click(f"▫️ {name}")
    await trainer.click(f"✅ {name}")  # marked absent
    await trainer.click(ar._("✅ All present"))
    assert trainer.last_answer["text"] == "تم تسجيل حضور 10 مشاركين؛ أُبقي على غياب واحد (1)"
    count = await db_row(app, "SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status ="
                              " 'attended'", sid)
    assert count[0] == 10
    assert await status_of(app, regs[7110][1]) == "absent"


async def test_forged_roster_buttons_are_refused(app, person, fr, clock):
    sid, people = await session_with(app, person, "T-ATT-FORGED", PEOPLE[:1])
    clock.advance(hours=2)
    official = person(7001, "fr")
    other_trainer = await trainer_client(app, person, 9009, name="Autre Formateur")
    reg = people[7001][1]
    genuine = [Mark(reg, 0, True).pack(), AllPresent(sid, 0).pack(), Roster(sid, 0).pack(),
               CheckInCode(sid).pack()]
    malformed = [f"v1:att:t:{reg}:0", f"v1:att:t:{reg}:0:z", f"v1:att:t:{reg}:0:a",
                 "v1:att:t:abc:0:1", "v1:att:zz", f"v1:att:r:{sid}", f"v1:att:qr:{sid}:0"]
    for data in genuine + malformed:  # a participant: refused for the role unless malformed
        await official.click_data(data)
        expected = refusal(fr, Role.TRAINER) if data in genuine else fr._("This button is no longer valid.")
        assert official.last_answer["text"] == expected, data
    for data in [*genuine, *malformed, EvaluationResults(sid, True).pack()]:  # another trainer
        await other_trainer.click_data(data)
        assert other_trainer.last_answer["text"] == fr._("This button is no longer valid."), data
    assert await status_of(app, reg) == "confirmed"
    # A national coordinator manages every session.
    await onboard(app, 9010, "fr")
    await grant(app, 9010, "coordinator")
    coordinator = person(9010, "fr")
    await coordinator.start()
    await coordinator.click_data(Mark(reg, 0, True).pack())
    assert await status_of(app, reg) == "attended"


async def test_qr_check_in(app, person, server, fr, ar, clock):
    sid, people = await session_with(app, person, "T-QR", PEOPLE)
    trainer = await trainer_client(app, person)
    services = app.bot_data
    await trainer.send("/mysessions")
    await trainer.click("Cybersécurité")
    view = trainer.last_message
    await trainer.click(fr._("📱 Check-in QR code"), view)  # 2 hours before: too early
    assert trainer.last_answer["text"].startswith(fr._("The check-in code can be shown from {opens} until "
                                                       "the end of the session.", opens="X").split("X")[0])
    clock.advance(minutes=95)  # 25 minutes before the start: check-in is open
    shown = await trainer.click(fr._("📱 Check-in QR code"), view)
    photo = shown[-1].photo
    link = services.checkin.link(server.username, sid)
    assert photo.data.startswith(b"\x89PNG") and photo.data == services.checkin.qr_png(link)
    payload = link.split("start=")[1]
    assert len(payload) <= 64

    amina, reg_amina = people[7001]
    await amina.open_link(link)
    assert amina.last_message.text.startswith("✅") and "Cybersécurité" in amina.last_message.text
    assert await status_of(app, reg_amina) == "attended"
    await amina.open_link(link)  # scanned twice
    assert amina.last_message.text == fr._("You are already marked present at <b>{title}</b>.",
                                           title="X").replace("<b>X</b>", "Cybersécurité : les bons "
                                                              "réflexes au quotidien")
    youssef, reg_youssef = people[7002]
    await youssef.open_link(link)
    title_ar = (await db_row(app, "SELECT title_ar FROM trainings WHERE code = 'CYB-101'"))[0]
    assert ar._("✅ Welcome! You are marked present at <b>{title}</b>.", title=title_ar) \
        .replace("<b>", "").replace("</b>", "") == youssef.last_message.text
    assert await status_of(app, reg_youssef) == "attended"

    # Someone onboarded but not registered: a polite refusal, nothing stored.
    await onboard(app, 7050, "fr", full_name="Nadia Curieuse")
    stranger = person(7050, "fr")
    await stranger.open_link(link)
    assert "Cybersécurité" in stranger.last_message.text
    assert stranger.last_message.text.startswith(fr._("You are not on the list of participants of "
                                                      "<b>{title}</b>, so you cannot be marked present. "
                                                      "Please see the trainer.", title="X").split("<b>")[0])
    assert await db_row(app, "SELECT 1 FROM registrations WHERE user_id = 7050") is None

    # The code changes every 5 minutes: the old one is refused 10 minutes later.
    clock.advance(minutes=11)
    karim, reg_karim = people[7003]
    await karim.open_link(link)
    assert karim.last_message.text == fr._("This check-in code is not valid or has expired. Please "
                                           "scan the code shown in the room now.")
    assert await status_of(app, reg_karim) == "confirmed"
    await trainer.click(fr._("🔄 New code"))
    fresh = trainer.last_message.photo.data
    assert fresh != photo.data
    await karim.open_link(services.checkin.link(server.username, sid))
    assert await status_of(app, reg_karim) == "attended"
    # A forged token, and a newcomer who never registered with the bot.
    await karim.start(f"c_{sid}_{'a' * 16}")
    assert karim.last_message.text == fr._("This check-in code is not valid or has expired. Please "
                                           "scan the code shown in the room now.")
    newcomer = person(7060, "fr")
    await newcomer.open_link(services.checkin.link(server.username, sid))
    assert "Quelle langue préférez-vous" in newcomer.last_message.text  # registering comes first


async def test_check_in_outside_the_window(app, person, server, fr, clock):
    sid, people = await session_with(app, person, "T-QR-WINDOW", PEOPLE[:1], starts_in_hours=3)
    amina, reg = people[7001]
    services = app.bot_data
    await amina.open_link(services.checkin.link(server.username, sid))  # 3 hours early, valid token
    assert "🔒" not in amina.last_message.text
    session = await services.catalogue.session(sid)
    opens = session.starts_at - timedelta(minutes=30)
    assert amina.last_message.text == fr._("Check-in for <b>{title}</b> opens at {opens}.", title="X",
                                           opens=fr.datetime(opens)).replace(
        "<b>X</b>", "Cybersécurité : les bons réflexes au quotidien")
    clock.set(session.ends_at + timedelta(minutes=1))
    await amina.open_link(services.checkin.link(server.username, sid))
    assert "Cybersécurité" in amina.last_message.text
    assert amina.last_message.text.endswith(fr._("Check-in for <b>{title}</b> is closed: the session is "
                                                 "over.", title="X").split("</b>")[1])
    assert await status_of(app, reg) == "confirmed"
