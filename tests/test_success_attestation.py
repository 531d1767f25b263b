"""The attestation de réussite (issue 17): a final test at or above the pass mark, with the
attendance recorded, gives a second attestation beside the participation one — offered on the
score screen and in /attestation, its own PDF (title, score, pass mark in French and Arabic),
the same verification code mechanism, and /verify says which kind it is. A fail gives only the
participation. The migration keeps every older attestation as a participation."""

from __future__ import annotations

import re

from bot.i18n import translator
from bot.storage.db import Database
from bot.storage.migrations import LATEST, migrate, version_of
from handlers.attestation import Success
from handlers.privacy import privacy_service
from tests.conftest import db_row, drain
from tests.old_schema import NOW, attended_registration
from tests.test_attendance import session_with
from tests.test_attestation import has_line, pdf_text
from tests.test_tests_in_chat import AMINA, YOUSSEF, plain, with_quiz

FR, AR = translator("fr", "F"), translator("ar", "M")
SUCCESS = "<b>Certifies:</b> success in the final test, {score}/{max} (pass mark {pass_mark}/{max})"
TITLE_FR = "Cybersécurité : les bons réflexes au quotidien"


async def final_test(app, person, clock, reference):
    """Amina (French) passes the final test 4/4, Youssef (Arabic) fails it 1/4 (pass mark 3)."""
    await with_quiz(app, clock)
    sid, regs = await session_with(app, person, reference, [AMINA, YOUSSEF], starts_in_hours=72)
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at)
    await app.bot_data.attendance.all_present(sid)
    clock.set(session.ends_at)
    await drain(app)
    amina, youssef = regs[7001][0], regs[7002][0]
    await amina.click(FR._("🧠 Take the final test"))
    for tap in ("En ligne", "Non"):
        await amina.click(tap)
    await amina.send("7")
    await youssef.click(AR._("🧠 Take the final test"))
    for tap in ("حضوريا", "نعم"):
        await youssef.click(tap)
    await youssef.send("7")
    return regs


def code_of(message) -> str:
    return re.search(r"[0-9A-Z]{10}", message.caption).group(0)


async def kinds(app, reg):
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT kind, score, max_score, pass_mark FROM attestations WHERE registration_id = ?"
        " ORDER BY kind", (reg,)).fetchall())
    return [tuple(r) for r in rows]


async def test_a_pass_gives_both_attestations_and_verify_says_reussite(app, person, clock):
    regs = await final_test(app, person, clock, "T-WIN")
    amina, reg = regs[7001]
    score_screen = amina.last_message
    assert FR._("🎉 Pass mark reached: well done!") in plain(score_screen.text)
    assert FR._("🏅 My attestation de réussite") in score_screen.flat_buttons
    await amina.click(FR._("🏅 My attestation de réussite"), score_screen)
    success = amina.last_message
    assert success.document.filename.startswith("attestation-reussite-T-WIN-")
    code = code_of(success)
    assert plain(success.caption) == plain(FR._(
        "🏅 Your attestation de réussite in <b>{title}</b>.\nVerification code: <code>{code}</code> "
        "(anyone can check it with /verify {code}).", title=TITLE_FR, code=code)).replace(
        "<code>", "").replace("</code>", "")
    text = pdf_text(success.document.data)
    for expected in ("ATTESTATION DE RÉUSSITE", "Mme Amina El Idrissi",
                     "a réussi le test final de la formation",
                     f"« {TITLE_FR} »", "Résultat au test final : 4/4 (seuil de réussite : 3/4)",
                     f"Code de vérification : {code}"):
        assert expected in text, expected
    for expected in ("شهادة النجاح", "قد نجحت في الاختبار النهائي للتكوين", "عتبة النجاح", "رمز التحقق"):
        assert expected in text, expected
    assert has_line(text, "النتيجة في الاختبار", "عتبة النجاح", "4/4", "3/4")  # visual order
    assert "ATTESTATION DE PARTICIPATION" not in text

    # /attestation lists both; the participation one has a code of its own.
    await amina.send("/attestation")
    listing = amina.last_message
    assert listing.text == plain(FR.to_person("<b>Your attestations</b>\n📄 of participation, 🏅 de réussite "
                                              "(final test passed). Choose one:"))
    assert [b[0] for b in listing.flat_buttons] == ["📄", "🏅"]
    await amina.press(1)
    participation = code_of(amina.last_message)
    assert "ATTESTATION DE PARTICIPATION" in pdf_text(amina.last_message.document.data)
    await amina.press(2, listing)
    assert code_of(amina.last_message) == code  # the same réussite, the same code
    assert await kinds(app, reg) == [("participation", None, None, None), ("success", 4, 4, 3)]
    assert participation != code

    # /verify says which kind, in French and in Arabic.
    youssef = regs[7002][0]
    await amina.send(f"/verify {code}")
    assert plain(FR._(SUCCESS,
                      score="4", max="4", pass_mark="3")) in amina.last_message.text
    await amina.send(f"/verify {participation}")
    assert plain(FR._("<b>Certifies:</b> participation in the training")) in amina.last_message.text
    await youssef.send(f"/verify {code}")
    verified = youssef.last_message.text
    assert verified.startswith("✅") and "Amina El Idrissi" in verified
    assert plain(AR._(SUCCESS,
                      score=AR.number(4), max=AR.number(4), pass_mark=AR.number(3))) in verified

    # Her data: both exported with their kind, both erased with her (then "not found").
    service = privacy_service(app.bot_data)
    exported = (await service.export(7001, "fr"))["attestations"]
    assert sorted((a["kind"], a["code"], a["score"]) for a in exported) == sorted(
        [("participation", participation, None), ("success", code, 4)])
    await service.erase(7001)
    for gone in (code, participation):
        await youssef.send(f"/verify {gone}")
        assert youssef.last_message.text == AR._("❌ No attestation has this code: the document is not "
                                                 "genuine, or the code was mistyped.")


async def test_a_fail_gives_only_the_participation(app, person, clock):
    regs = await final_test(app, person, clock, "T-FAIL")
    youssef, reg = regs[7002]
    assert AR._("🏅 My attestation de réussite") not in youssef.last_message.flat_buttons
    await youssef.send("/attestation")
    assert youssef.last_message.text == plain(AR.to_person(
        "<b>Your attestations of participation</b>\nChoose a session:"))
    assert [b[0] for b in youssef.last_message.flat_buttons] == ["📄"]
    await youssef.press(1)
    text = pdf_text(youssef.last_message.document.data)
    assert "شهادة المشاركة" in text and "قد شارك في التكوين" in text and "النجاح" not in text
    await youssef.click_data(Success(reg).pack())  # forged: he did not pass
    assert youssef.last_answer["text"] == AR._("An attestation de réussite needs a final test score at or "
                                               "above the pass mark.")
    await youssef.click_data(Success(regs[7001][1]).pack())  # someone else's
    assert youssef.last_answer["text"] == AR._("This button is no longer valid.")
    assert await kinds(app, reg) == [("participation", None, None, None)]
    assert (await db_row(app, "SELECT COUNT(*) FROM attestations WHERE kind = 'success'"))[0] == 0


async def test_older_attestations_become_participations(tmp_path):
    db = await Database.open(tmp_path / "old.db")
    try:
        step = version_of("_attestation_kinds")  # the migration under test
        await migrate(db, target=step - 1)

        def old_attestation(conn):
            now = NOW
            attended_registration(conn, now)
            conn.execute("INSERT INTO attestations (code, registration_id, full_name, reference, title_fr,"
                         " title_ar, starts_at, ends_at, issued_at) VALUES ('ABCDEFGH12', 1, 'A', 'S', 'X',"
                         " 'X', ?, ?, ?)", (now, now, now))

        await db.raw_write(old_attestation)
        assert await migrate(db) == list(range(step, LATEST + 1))
        row = await db.read(lambda c: c.execute("SELECT code, kind, score FROM attestations").fetchone())
        assert tuple(row) == ("ABCDEFGH12", "participation", None)
        assert await db.read(lambda c: c.execute("PRAGMA foreign_key_check").fetchall()) == []
    finally:
        await db.close()
