"""Issue 17 tried as its users and as an attacker (review): each test walks a screen where a
person saw something wrong, in French and in Arabic, and checks what they see now and what the
database keeps."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from handlers.questionnaire_texts import MAX_PROBLEMS
from handlers.ui import MAX_TEXT, clip, plain
from tests.conftest import db_row, grant
from tests.test_attestation import pdf_text
from tests.test_evaluations import answers
from tests.test_questionnaire_forms import GOOD, SURVEY_SETTINGS, book, row
from tests.test_questionnaire_upload import XLSX, national, versions
from tests.test_success_attestation import SUCCESS, code_of, final_test, kinds

FR, AR = translator("fr", "F"), translator("ar", "M")


def test_a_clipped_html_text_keeps_its_tags_balanced():
    text = "<b>Ajoutées</b> : " + ", ".join(f"<code>question_{i:04}</code>" for i in range(400))
    cut = clip(text)
    assert len(cut) <= MAX_TEXT and cut.count("<code>") == cut.count("</code>")
    assert cut.endswith("…") or cut.endswith("…</code>")
    assert clip("a &amp; b", 6) == "a …"  # never half an entity
    assert clip('<a href="https://t.me/x">un lien assez long</a>', 34) == '<a href="https://t.me/x">un l…</a>'


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_long_preview_is_bounded_and_keeps_its_apply(app, person, lang, request):
    """A coordinator sent a version whose preview passed 4,096 characters (hundreds of ids
    added, or a very long title): it was cut in the middle of a <code> or <b> tag, Telegram
    refused it, and the coordinator got only the apology (no preview, no Apply). Now the ids are
    listed up to a bound, then how many more, and a text cut anyway keeps its tags balanced."""
    from bot.services.form_workbook import MAX_QUESTIONS

    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    await c.upload(book(), "outils.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    new = MAX_QUESTIONS - len(GOOD)
    many = [row(f"question_numero_{i:04}", "text", required="non") for i in range(new)]
    changed = [row(q[0], q[1], fr=f"{q[2]} (v2)", choices=q[4], required=q[5], relevant=q[6])
               for q in GOOD]
    settings = [*SURVEY_SETTINGS[:2], 2, *SURVEY_SETTINGS[3:]]
    shown = await c.upload(book(survey=changed + many, settings=settings), "outils-v2.xlsx", XLSX)
    preview = shown[-1]
    assert t._("✅ Apply") in preview.flat_buttons
    text = plain(preview.text)
    assert t.to_person("Nothing is saved until you press Apply.") in text
    assert "question_numero_0000" in text and f"question_numero_{new - 1:04}" not in text
    assert t.ngettext("… and {n} more.", "… and {n} more.", new - MAX_PROBLEMS) in text
    await c.click(t._("✅ Apply"))
    assert await versions(app, "enquete-outils") == [1, 2]

    long_title = ["enquete-outils", "survey", 3, "Titre " * 800, "عنوان " * 800, "", ""]
    shown = await c.upload(book(survey=changed + many, settings=long_title), "outils-v3.xlsx", XLSX)
    assert len(shown[-1].text) <= MAX_TEXT and t._("✅ Apply") in shown[-1].flat_buttons
    await c.click(t._("✅ Apply"))
    assert await versions(app, "enquete-outils") == [1, 2, 3]


async def answer_all_hot(app, user_id: int, reg_id: int) -> None:
    """Every question of the hot questionnaire answered through the service, not sent yet."""
    svc = app.bot_data.evaluations
    view = await svc.open(user_id, reg_id, "hot")
    for q in view.questionnaire.questions:
        value, how = ((q.options[0][0], "button") if q.type in ("scale", "choice") else ("", "skip"))
        view = await svc.answer(user_id, view.response_id, view.questionnaire.id, q.qid, value, how)
        assert view.outcome == "ok", (q.qid, view.outcome)


async def test_the_hot_thank_you_offers_the_reussite_to_who_passed(app, person, clock):
    """After the final test, the attestation waits for the hot questionnaire; its "thank you"
    offered only the participation. Now it offers 🏅 to Amina (passed), not to Youssef (failed);
    a double tap on 🏅 gives one attestation, one code."""
    regs = await final_test(app, person, clock, "T-THX")
    for user_id, t in ((7001, FR), (7002, AR)):
        client, reg = regs[user_id]
        await answer_all_hot(app, user_id, reg)
        await client.click(t._("📝 Answer the questionnaire"))
        await client.click(t._("✅ Send my answers"))
        thanks = client.last_message
        assert thanks.text == t._("✅ Thank you! Your answers have been sent.")
        assert t._("📄 My attestation") in thanks.flat_buttons
        assert (t._("🏅 My attestation de réussite") in thanks.flat_buttons) == (user_id == 7001)
    amina, reg = regs[7001]
    thanks = amina.last_message
    await amina.click(FR._("🏅 My attestation de réussite"), thanks)
    first = code_of(amina.last_message)
    assert "ATTESTATION DE RÉUSSITE" in pdf_text(amina.last_message.document.data)
    await amina.click(FR._("🏅 My attestation de réussite"), thanks)
    assert code_of(amina.last_message) == first
    assert await kinds(app, reg) == [("success", 4, 4, 3)]


@pytest.mark.parametrize("lang, user_id", [("fr", 990_000_107), ("ar", 990_000_109)])
async def test_the_demo_has_a_trainings_own_hot_form_and_a_participant_with_the_reussite(
        app, person, clock, lang, user_id, request):
    from bot.services import demo_forms
    from bot.services.demo import seed_demo

    t = request.getfixturevalue(lang)
    await app.bot_data.db.write(seed_demo, clock.now())
    await app.bot_data.db.write(seed_demo, clock.now())  # seeding twice changes nothing
    assert (await db_row(app, "SELECT COUNT(*) FROM questionnaires WHERE form = ?",
                         demo_forms.HOT_FORM))[0] == 1
    assert tuple(await db_row(app, "SELECT l.form FROM training_questionnaires l JOIN trainings t ON"
                                   " t.id = l.training_id WHERE t.code = 'CYB-102' AND l.kind = 'hot'")) \
        == (demo_forms.HOT_FORM,)
    assert (await app.bot_data.db.write(demo_forms.seed, clock.now()))["passed_user"] == 990_000_107
    official = person(user_id, lang)
    await official.send("/attestation")
    title = t.pick("Protection des données personnelles", "حماية المعطيات ذات الطابع الشخصي")
    medal = next(b for b in official.last_message.flat_buttons if b.startswith("🏅") and title in b)
    await official.click(medal)
    sent = official.last_message
    assert sent.document.filename.startswith("attestation-reussite-CYB-102-01-")
    assert t.pick("ATTESTATION DE RÉUSSITE", "شهادة النجاح") in pdf_text(sent.document.data)
    assert (await db_row(app, "SELECT COUNT(*) FROM attestations a JOIN registrations g ON"
                              " g.id = a.registration_id WHERE g.user_id = ? AND a.kind = 'success'",
                         user_id))[0] == 1


FILE_FAILED = ("⚠️ Telegram did not take the file just now. If it has not arrived, tap the same button "
               "again in a moment.")


@pytest.mark.telegram_errors_expected
async def test_a_file_telegram_does_not_take_is_said_and_the_same_button_sends_it(app, person, clock, server):
    """Telegram answered 500 (or timed out) to the PDF of the 🏅: Amina saw "Preparing your
    attestation…" and then nothing at all (the error handler is quiet on network errors). Now she
    is told, taps again and gets it, with the same code; the Arabic coordinator's workbook
    download likewise."""
    regs = await final_test(app, person, clock, "T-FAULT")
    amina, reg = regs[7001]
    score_screen = amina.last_message
    server.fail_next("500", method="sendDocument")
    await amina.click(FR._("🏅 My attestation de réussite"), score_screen)
    assert amina.last_message.text == plain(FR.to_person(FILE_FAILED))
    server.fail_next("timeout", method="sendDocument")
    await amina.click(FR._("🏅 My attestation de réussite"), score_screen)
    assert amina.last_message.text == plain(FR.to_person(FILE_FAILED))
    await amina.click(FR._("🏅 My attestation de réussite"), score_screen)
    code = code_of(amina.last_message)
    assert amina.last_message.document.filename == f"attestation-reussite-T-FAULT-{code}.pdf"
    assert await kinds(app, reg) == [("success", 4, 4, 3)]  # one attestation, one code

    coordinator = await national(app, person, "ar")
    await coordinator.send("/questionnaires")
    server.fail_next("502", method="sendDocument")
    await coordinator.click("📥 hot · v1")
    her = translator("ar", "F")  # onboarded as a woman
    assert coordinator.last_message.text == plain(her.to_person(FILE_FAILED))
    await coordinator.click("📥 hot · v1")
    assert coordinator.last_message.document.filename == "hot.xlsx"


HAND_OVER = "⚠️ Telegram did not hand over your file just now. Please try again in a moment."


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_workbook_telegram_does_not_hand_over_is_said_and_apply_stays(app, person, server, lang,
                                                                              request):
    """getFile failing (a 5xx) left the coordinator on "⏳ Checking your workbook…" for ever, and
    on Apply the preview had already lost its buttons: nothing to press but to send the file
    again. Now they are told, and Apply and Cancel come back under the same preview."""
    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    server.fail_next("500", method="getFile")
    shown = await c.upload(book(), "outils.xlsx", XLSX)
    assert [m.text for m in shown] == [t._("⏳ Checking your workbook…"), t.to_person(HAND_OVER)]
    await c.upload(book(), "outils.xlsx", XLSX)
    server.fail_next("502", method="getFile")
    await c.click(t._("✅ Apply"))
    assert c.last_message.text == t.to_person(HAND_OVER)
    assert c.last_message.flat_buttons == [t._("✅ Apply"), t._("Cancel")]
    assert await versions(app, "enquete-outils") == []
    await c.click(t._("✅ Apply"))
    assert await versions(app, "enquete-outils") == [1]


async def test_a_failed_questionnaire_screen_is_not_read_again_as_a_catalogue(app, person, fr, monkeypatch):
    """A bug while the questionnaire screen read a workbook: the coordinator got the apology AND
    the catalogue's reading of the same file ("the sheet formations is missing"), as if it were a
    catalogue — every later handler group saw the failed update. Now a failed update stops."""
    c = await national(app, person, "fr")
    await c.send("/questionnaires")

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.bot_data.questionnaire_forms, "preview", broken)
    shown = await c.upload(book(), "outils.xlsx", XLSX)
    assert [m.text for m in shown] == [fr._("⏳ Checking your workbook…"), fr._(
        "Sorry, something went wrong on our side. Please try again in a moment; if it happens again, "
        "the team has been told.")]  # and nothing from the catalogue's document handler
    draft = await db_row(app, "SELECT flow, step FROM drafts WHERE user_id = 9900")
    assert tuple(draft) == ("qforms", "wait")


async def test_a_workbook_captioned_questionnaire_leaves_the_flow_it_interrupts(app, person, clock):
    """A coordinator half way through a hot questionnaire sent a workbook with the caption
    /questionnaire: it was read as an (invalid) answer to the question. The caption is a command:
    it leaves the questionnaire (its answers kept) and the workbook is previewed."""
    regs = await final_test(app, person, clock, "T-CAP")
    for user_id, t in ((7001, FR), (7002, AR)):
        client, reg = regs[user_id]
        await grant(app, user_id, "coordinator")
        await client.click(t._("📝 Answer the questionnaire"))
        await client.press(1)  # the first answer
        assert (await db_row(app, "SELECT flow FROM drafts WHERE user_id = ?", user_id))[0] == "questionnaire"
        shown = await client.upload(book(), "outils.xlsx", XLSX, caption="/questionnaire")
        assert t._("A new form, version {version}.", version=t.number(1)) in shown[-1].text
        assert t._("✅ Apply") in shown[-1].flat_buttons
        assert tuple(await db_row(app, "SELECT flow, step FROM drafts WHERE user_id = ?", user_id)) \
            == ("qforms", "confirm")
        assert len(await answers(app, reg)) == 1  # the answer given is kept


EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


async def test_verify_reads_a_code_typed_on_an_arabic_keyboard_or_copied_with_marks(app, person, clock):
    """/verify answered "this is not a verification code" to a genuine code typed with the
    Eastern Arabic digits of an Arabic keyboard, or copied with the invisible direction marks of
    an Arabic message. Both are now read as the code."""
    regs = await final_test(app, person, clock, "T-VER")
    amina, youssef = regs[7001][0], regs[7002][0]
    await amina.click(FR._("🏅 My attestation de réussite"), amina.last_message)
    code = code_of(amina.last_message)
    await youssef.send(f"/verify {code.translate(EASTERN)}")
    verified = youssef.last_message.text
    assert verified.startswith("✅") and "Amina El Idrissi" in verified
    assert plain(AR._(SUCCESS, score=AR.number(4), max=AR.number(4), pass_mark=AR.number(3))) in verified
    await amina.send(f"/verify \u2068{code[:5].lower()} {code[5:]}\u2069\u200f")
    assert amina.last_message.text.startswith("✅") and "Amina El Idrissi" in amina.last_message.text
    await amina.send("/verify ٧٧٧")
    assert amina.last_message.text == FR._("❌ This is not a verification code: it has 10 letters and "
                                           "digits.")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_form_longer_than_the_chat_can_show_is_refused_at_upload(app, person, clock, lang, request):
    """A hot form of 120 questions was accepted; its participants answered all 120, then the
    summary (a ✏️ button per question: 122 buttons, Telegram takes 100) was refused by Telegram
    and they could never send their answers. The workbook check now stops at MAX_QUESTIONS; a
    form of that size is answered to the summary and sent."""
    from bot.services.form_workbook import MAX_QUESTIONS
    from tests.test_evaluations import attended

    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    settings = ["chaud-long", "hot", 1, "Évaluation longue", "تقييم طويل", "CYB-101", ""]
    too_many = [row(f"q{i:03}", "yes_no") for i in range(MAX_QUESTIONS + 1)]
    shown = await c.upload(book(survey=too_many, choices=[], settings=settings), "long.xlsx", XLSX)
    assert t._("{value} questions: a questionnaire answered in the chat has {extra} at most.",
               value=t.number(MAX_QUESTIONS + 1), extra=t.number(MAX_QUESTIONS)) in shown[-1].text
    assert not shown[-1].buttons and await versions(app, "chaud-long") == []

    await c.upload(book(survey=too_many[:MAX_QUESTIONS], choices=[], settings=settings), "long.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    assert await versions(app, "chaud-long") == [1]
    sid, regs, session = await attended(app, person, clock, "T-LONG", [(7600, lang, "Sara Longue", "F")])
    sara, reg = regs[7600]
    await answer_all_hot(app, 7600, reg)
    await sara.click(t._("📝 Answer the questionnaire"))
    summary = sara.last_message
    assert len([b for b in summary.flat_buttons if b.startswith("✏️")]) == MAX_QUESTIONS
    await sara.click(t._("✅ Send my answers"))
    assert sara.last_message.text == t._("✅ Thank you! Your answers have been sent.")
    assert len(await answers(app, reg)) == MAX_QUESTIONS


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_choice_codes_too_long_for_a_button_are_refused_at_upload(app, person, clock, lang, request):
    """A choice code of 30 characters under a question id of 20 was accepted; its question could
    not be shown (the button's data past Telegram's 64 bytes: a ValueError, the apology, for every
    participant). Codes now stop at 16 characters, which always fit; such a form is answered."""
    from bot.services.form_workbook import MAX_CODE
    from tests.test_evaluations import attended

    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    settings = ["chaud-codes", "hot", 1, "Évaluation", "تقييم", "CYB-101", ""]
    qid = "q" * 20
    survey = [row(qid, "single", choices="long"), row("again", "yes_no")]
    long_code = "c" * (MAX_CODE + 1)
    choices = [["long", long_code, "Longue", "طويل"], ["long", "short", "Courte", "قصير"]]
    shown = await c.upload(book(survey=survey, choices=choices, settings=settings), "codes.xlsx", XLSX)
    assert plain(t._("“{value}” is too long ({extra} characters at most).", value=long_code,
                     extra=str(MAX_CODE))) in shown[-1].text
    assert await versions(app, "chaud-codes") == []

    fits = [["long", "c" * MAX_CODE, "Longue", "طويل"], choices[1]]
    await c.upload(book(survey=survey, choices=fits, settings=settings), "codes.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    sid, regs, session = await attended(app, person, clock, "T-CODES", [(7700, lang, "Nora Code", "F")])
    nora, reg = regs[7700]
    await nora.click(t._("📝 Answer the questionnaire"))
    await nora.click(t.pick("Longue", "طويل"))
    await nora.click(t.pick("Oui", "نعم"))
    await nora.click(t._("✅ Send my answers"))
    assert nora.last_message.text == t._("✅ Thank you! Your answers have been sent.")
    assert (await answers(app, reg))[qid] == (None, "c" * MAX_CODE, None, 0)


async def test_an_official_or_a_focal_point_sending_a_captioned_workbook_is_refused(app, person, clock):
    """From no screen, or half way through a questionnaire: the one refusal, nothing read or
    saved, and no questionnaire screen opened for them."""
    from bot.services.access import Role
    from handlers.access import refusal

    regs = await final_test(app, person, clock, "T-REF")
    await grant(app, 7001, "focal_point", "MEF")
    before = (await db_row(app, "SELECT COUNT(*) FROM questionnaires"))[0]
    for user_id, t in ((7001, FR), (7002, AR)):
        client, _ = regs[user_id]
        await client.click(t._("📝 Answer the questionnaire"))
        shown = await client.upload(book(), "outils.xlsx", XLSX, caption="/questionnaire")
        assert [m.text for m in shown] == [plain(refusal(t, Role.NATIONAL))]
        shown = await client.upload(book(), "outils.xlsx", XLSX, caption="/questionnaire@etamkeen_bot")
        assert [m.text for m in shown] == [plain(refusal(t, Role.NATIONAL))]
        assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = ? AND flow = 'qforms'",
                            user_id) is None
    assert (await db_row(app, "SELECT COUNT(*) FROM questionnaires"))[0] == before
