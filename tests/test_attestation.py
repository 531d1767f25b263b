"""Attestations of participation: the PDF's text in French and Arabic, the verification of a
genuine and a forged code (by anyone, newcomers included), the evaluation setting, erasure."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from handlers.attestation import Attestation
from handlers.privacy import privacy_service
from tests.conftest import db_row, onboard
from tests.test_evaluations import attended, submit_hot

BIDI = re.compile("[\u2066-\u2069]")


def pdf_text(data: bytes) -> str:
    """The text of every page, bidi isolates dropped and spaces squeezed."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \t]+", " ", BIDI.sub("", text))


def has_line(text: str, *parts: str) -> bool:
    """A line with all these parts (pypdf gives a mixed Arabic-Latin line in visual order)."""
    return any(all(p in line for p in parts) for line in text.splitlines())


async def get_attestation(client, t):
    await client.send("/attestation")
    await client.press(1)
    document = client.last_message
    assert document.document is not None and document.document.filename.endswith(".pdf")
    code = re.search(r"[0-9A-Z]{10}", document.caption).group(0)
    return document, code


async def test_attestation_pdf_in_french_and_arabic_and_its_verification(app, person, server, fr, ar, clock):
    people = [(7001, "fr", "Amina El Idrissi", "F"), (7002, "ar", "يوسف بنعلي", "M")]
    sid, regs, session = await attended(app, person, clock, "T-CERT", people)
    amina, youssef = regs[7001][0], regs[7002][0]
    title_ar = (await db_row(app, "SELECT title_ar FROM trainings WHERE code = 'CYB-101'"))[0]

    document, code = await get_attestation(amina, fr)
    assert document.document.data.startswith(b"%PDF")
    text = pdf_text(document.document.data)
    for expected in ("ATTESTATION DE PARTICIPATION", "Mme Amina El Idrissi", "a participé à la formation",
                     "« Cybersécurité : les bons réflexes au quotidien »", "Durée : 6 heures", "T-CERT",
                     "Ministère de l'Économie et des Finances", fr.date(session.starts_at),
                     f"Code de vérification : {code}", f"/verify {code}"):
        assert expected in text, expected
    assert has_line(text, "السيدة", "Amina El Idrissi")
    for expected in ("شهادة المشاركة", "قد شاركت في التكوين", title_ar,
                     "وزارة الاقتصاد والمالية", "رمز التحقق"):
        assert expected in text, expected
    again, same = await get_attestation(amina, fr)
    assert same == code  # one attestation per registration, whatever is asked twice

    document, youssef_code = await get_attestation(youssef, ar)
    assert youssef_code != code
    text = pdf_text(document.document.data)
    assert "السيد يوسف بنعلي" in text and "قد شارك في التكوين" in text and has_line(text, "M.", "يوسف بنعلي")

    # Verification by anyone: a registered person, a newcomer through the QR's link, forgeries.
    await onboard(app, 7070, "fr", full_name="Employeur Curieux")
    checker = person(7070, "fr")
    await checker.send(f"/verify {code.lower()[:5]}-{code.lower()[5:]}")
    genuine = checker.last_message.text
    assert genuine.startswith("✅") and "Amina El Idrissi" in genuine and "Cybersécurité" in genuine
    await checker.send("/verify 7KX2M9PQ4T")
    assert checker.last_message.text == fr._("❌ No attestation has this code: the document is not "
                                             "genuine, or the code was mistyped.")
    await checker.send("/verify bonjour")
    assert checker.last_message.text == fr._("❌ This is not a verification code: it has 10 letters and "
                                             "digits.")
    newcomer = person(7080, "ar")
    await newcomer.open_link(f"https://t.me/{server.username}?start=v_{youssef_code}")
    assert newcomer.last_message.text.startswith("✅") and "يوسف بنعلي" in newcomer.last_message.text
    await newcomer.send(f"/verify {code}")
    assert "Amina El Idrissi" in newcomer.last_message.text
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7080") is None  # no onboarding


async def test_no_attestation_without_attendance_or_before_the_end(app, person, fr, clock):
    people = [(7001, "fr", "Amina El Idrissi", "F"), (7003, "fr", "Karim Tazi", "M")]
    sid, regs, session = await attended(app, person, clock, "T-CERT-NO", people, absent=(7003,))
    karim, karim_reg = regs[7003]
    await karim.send("/attestation")
    assert karim.last_message.text == fr._("You have no attestation yet: one is available for every "
                                           "session you attended, once it is over.")
    await karim.click_data(Attestation(karim_reg).pack())
    assert karim.last_answer["text"] == fr._("An attestation needs your attendance to be recorded by the "
                                             "trainer.")
    await karim.click_data(Attestation(regs[7001][1]).pack())  # someone else's
    assert karim.last_answer["text"] == fr._("This button is no longer valid.")
    assert (await db_row(app, "SELECT COUNT(*) FROM attestations"))[0] == 0


async def test_attestation_after_the_evaluation_when_the_setting_asks(app, person, fr, clock):
    sid, regs, session = await attended(app, person, clock, "T-CERT-EVAL")
    amina, reg = regs[7001]
    services = app.bot_data
    services.attestations.settings = services.settings.with_(attestation_needs_evaluation=True)
    await amina.send("/attestation")
    await amina.press(1)
    assert amina.last_message.text == fr._("Your attestation will be available once you have answered the "
                                           "evaluation questionnaire of this session.")
    assert fr._("📝 Answer the questionnaire") in amina.last_message.flat_buttons
    await submit_hot(app, 7001, reg, 4)
    await amina.send("/attestation")
    await amina.press(1)
    assert amina.last_message.document is not None


async def test_erasure_keeps_answers_anonymous_and_removes_the_attestation(app, person, fr, clock):
    sid, regs, session = await attended(app, person, clock, "T-CERT-ERASE")
    amina, reg = regs[7001]
    await submit_hot(app, 7001, reg, 5, "Très utile")
    _, code = await get_attestation(amina, fr)
    service = privacy_service(app.bot_data)
    exported = await service.export(7001, "fr")
    assert exported["attestations"][0]["code"] == code
    assert {row["qid"] for row in exported["evaluations"]} >= {"objectives", "most_useful"}
    await service.erase(7001)
    assert (await db_row(app, "SELECT COUNT(*) FROM attestations"))[0] == 0
    kept = await db_row(app, "SELECT g.user_id, r.submitted_at, (SELECT COUNT(*) FROM answers a WHERE"
                             " a.response_id = r.id) FROM responses r JOIN registrations g ON"
                             " g.id = r.registration_id")
    assert kept[0] < 0 and kept[1].endswith("00:00:00") and kept[2] == 15  # the tombstone's
    checker = person(7090, "fr")
    await checker.send(f"/verify {code}")
    assert checker.last_message.text == fr._("❌ No attestation has this code: the document is not "
                                             "genuine, or the code was mistyped.")
