"""Paths in the chat (issue 17): the demo path's card with its modules and cohort; registering
for the cohort books every session at once (or joins its waitlist, no seat taken); "My path"
shows "1/4 ✅" and the next step; a complete path gives its attestation PDF, verified by /verify
— in French and in Arabic."""

from __future__ import annotations

from bot.services.demo_paths import COHORT, MODULES, PATH_CODE
from bot.timeutil import to_db
from handlers.paths import BookCohort
from tests.conftest import db_row, drain, onboard
from tests.test_attestation import pdf_text

AMINA, YOUSSEF, LATE = 9851, 9852, 9853


async def path_id(app) -> int:
    return (await db_row(app, "SELECT id FROM paths WHERE code = ?", PATH_CODE))[0]


async def test_the_demo_has_a_path_and_a_session_in_days(app):
    parts = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT COUNT(*) FROM session_parts p JOIN sessions s ON s.id = p.session_id"
        " WHERE s.reference = 'DAT-201-03'").fetchone()[0])
    assert parts == 3
    assert (await db_row(app, "SELECT COUNT(*) FROM path_modules m JOIN paths p ON p.id = m.path_id"
                              " WHERE p.code = ?", PATH_CODE))[0] == len(MODULES)
    assert (await db_row(app, "SELECT COUNT(*) FROM coaching_slots WHERE user_id IS NULL"))[0] == 2


async def test_register_for_the_cohort_books_every_session(app, person, fr, ar):
    await onboard(app, AMINA, "fr", sex="F")
    amina = person(AMINA, "fr")
    await amina.send("/paths")
    await amina.click("🧭 Parcours données et e-administration")
    card = amina.last_message.text
    assert fr.ngettext("A path of {n} module, in this order:", "A path of {n} modules, in this order:",
                       4) in card
    assert fr._("e-learning") in card and f"{PATH_CODE}-1" in card
    await amina.click(fr.to_person("📝 Register for cohort {code}", code=f"{PATH_CODE}-1"))
    booked = fr.nto_person("✅ You are registered for the whole path: {n} session. Your confirmations "
                           "and calendar files follow.", "✅ You are registered for the whole path: {n} "
                           "sessions. Your confirmations and calendar files follow.", 3)
    assert booked in amina.last_message.text
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT s.reference FROM registrations g JOIN sessions s ON s.id = g.session_id"
        " WHERE g.user_id = ? AND g.status = 'confirmed' ORDER BY 1", (AMINA,)).fetchall())
    assert [r[0] for r in rows] == sorted(COHORT.values())
    await amina.click(fr._("My paths and my progress"))
    assert "0/4 ✅" in amina.last_message.text
    assert fr._("➡ Next step: {module}", module="X").split("X")[0] in amina.last_message.text

    # Arabic: the same card; a second person finds the cohort's first session full.
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE sessions SET capacity = 1 WHERE reference = ?", (COHORT["DAT-201"],)))
    await onboard(app, YOUSSEF, "ar", sex="M")
    youssef = person(YOUSSEF, "ar")
    await youssef.send("/paths")
    await youssef.click("🧭 مسار البيانات والإدارة الإلكترونية")
    assert ar.ngettext("A path of {n} module, in this order:", "A path of {n} modules, in this order:",
                       4) in youssef.last_message.text
    cohort = (await db_row(app, "SELECT id FROM cohorts WHERE code = ?", f"{PATH_CODE}-1"))[0]
    await youssef.click_data(BookCohort(cohort, await path_id(app)).pack())
    from bot.i18n import translator
    he = translator("ar")
    assert he.to_person("⏳ A session of this cohort is full: you are on the cohort's waitlist, in "
                        "position {position}. No place was taken for you.", position=he.number(1)) \
        in youssef.last_message.text
    taken = await db_row(app, "SELECT COUNT(*) FROM registrations WHERE user_id = ?", YOUSSEF)
    assert taken[0] == 0  # never a part of a cohort


async def test_a_complete_path_gives_a_verified_attestation(app, person, fr, clock):
    await onboard(app, AMINA, "fr", full_name="Amina El Idrissi", sex="F")
    pid = await path_id(app)
    cohort = (await db_row(app, "SELECT id FROM cohorts WHERE code = ?", f"{PATH_CODE}-1"))[0]
    assert (await app.bot_data.paths.book_cohort(AMINA, cohort)).outcome == "booked"
    # Every module done: the three sessions attended, the e-learning module imported.
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE registrations SET status = 'attended' WHERE user_id = ?", (AMINA,)))
    training = (await db_row(app, "SELECT id FROM trainings WHERE code = 'BUR-102'"))[0]
    now = app.bot_data.clock.now()
    await app.bot_data.db.write(lambda c: c.execute(
        "INSERT INTO elearning_completion (user_id, training_id, completed_at, source, recorded_at)"
        " VALUES (?, ?, ?, 'import', ?)", (AMINA, training, to_db(now), to_db(now))))
    clock.advance(days=120)
    amina = person(AMINA, "fr")
    await amina.send("/mypath")
    assert "4/4 ✅" in amina.last_message.text
    assert fr.to_person("🎓 You have completed this path.") in amina.last_message.text
    await amina.click(fr._("📄 Path attestation"))
    document = amina.last_message
    assert document.document.data.startswith(b"%PDF")
    text = pdf_text(document.document.data)
    assert "ATTESTATION DE PARCOURS" in text and "Amina El Idrissi" in text
    titles = await app.bot_data.db.read(lambda c: [r[0] for r in c.execute(
        "SELECT title_fr FROM trainings WHERE code IN (?, ?, ?, ?)", MODULES)])
    assert all(title[:25] in text.replace("\n", " ") for title in titles)  # every module listed
    code = (await db_row(app, "SELECT code FROM path_attestations WHERE user_id = ? AND path_id = ?",
                         AMINA, pid))[0]
    assert code in document.text
    await drain(app)
    await onboard(app, LATE, "fr")
    checker = person(LATE, "fr")
    await checker.send(f"/verify {code}")
    assert "Parcours données et e-administration" in checker.last_message.text
    assert "Amina El Idrissi" in checker.last_message.text
