"""Issue 17 tried as its users and as an attacker (review): each test walks a screen where a
person saw something wrong, in French and in Arabic, and checks what they see now and what the
database keeps."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from handlers.questionnaire_texts import MAX_PROBLEMS
from handlers.ui import MAX_TEXT, clip, plain
from tests.test_attestation import pdf_text
from tests.test_questionnaire_forms import GOOD, SURVEY_SETTINGS, book, row
from tests.test_questionnaire_upload import XLSX, national, versions
from tests.test_success_attestation import code_of, final_test, kinds

FR, AR = translator("fr", "F"), translator("ar", "M")


def test_a_clipped_html_text_keeps_its_tags_balanced():
    text = "<b>Ajoutées</b> : " + ", ".join(f"<code>question_{i:04}</code>" for i in range(400))
    cut = clip(text)
    assert len(cut) <= MAX_TEXT and cut.count("<code>") == cut.count("</code>")
    assert cut.endswith("…") or cut.endswith("…</code>")
    assert clip("a &amp; b", 6) == "a …"  # never half an entity
    assert clip('<a href="https://t.me/x">un lien assez long</a>', 34) == '<a href="https://t.me/x">un l…</a>'


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_version_adding_hundreds_of_questions_is_previewed_and_applied(app, person, lang, request):
    """A coordinator sent version 2 with 400 new questions: the preview listed every id, was cut
    in the middle of a <code> tag, Telegram refused it, and the coordinator got only the apology
    (no preview, no Apply). Now the ids are listed up to a bound, then how many more."""
    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    await c.upload(book(), "outils.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    many = [row(f"question_numero_{i:04}", "text", required="non") for i in range(400)]
    changed = [row(q[0], q[1], fr=f"{q[2]} (v2)", choices=q[4], required=q[5], relevant=q[6])
               for q in GOOD]
    settings = [*SURVEY_SETTINGS[:2], 2, *SURVEY_SETTINGS[3:]]
    shown = await c.upload(book(survey=changed + many, settings=settings), "outils-v2.xlsx", XLSX)
    preview = shown[-1]
    assert t._("✅ Apply") in preview.flat_buttons
    text = plain(preview.text)
    assert t.to_person("Nothing is saved until you press Apply.") in text
    assert "question_numero_0000" in text and "question_numero_0399" not in text
    assert t.ngettext("… and {n} more.", "… and {n} more.", 400 - MAX_PROBLEMS) in text
    await c.click(t._("✅ Apply"))
    assert await versions(app, "enquete-outils") == [1, 2]


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
