"""Issue 17 tried as its users and as an attacker (review): each test walks a screen where a
person saw something wrong, in French and in Arabic, and checks what they see now and what the
database keeps."""

from __future__ import annotations

import pytest

from handlers.questionnaire_texts import MAX_PROBLEMS
from handlers.ui import MAX_TEXT, clip, plain
from tests.test_questionnaire_forms import GOOD, SURVEY_SETTINGS, book, row
from tests.test_questionnaire_upload import XLSX, national, versions


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
