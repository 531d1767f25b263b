"""Questionnaire workbooks in the chat (issue 17): /questionnaires lists the forms with their
versions, downloads each (and a blank one); a workbook sent on that screen, or with the caption
/questionnaire, is checked and previewed; Apply writes the new version all or nothing. A
training's own hot form is what its participants answer; other trainings keep the default."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.services.access import Role
from handlers.access import refusal
from handlers.ui import plain
from tests.conftest import db_row, grant, onboard
from tests.test_questionnaire_forms import GOOD, SURVEY_SETTINGS, book, row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def national(app, person, lang, user_id=9900):
    await onboard(app, user_id, lang)
    await grant(app, user_id, "coordinator")
    c = person(user_id, lang)
    await c.start()
    return c


def settings_of(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c.value for c in wb["settings"][2]]


async def versions(app, form):
    return [r[0] for r in await app.bot_data.db.read(lambda c: c.execute(
        "SELECT version FROM questionnaires WHERE form = ? ORDER BY version", (form,)).fetchall())]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_list_its_downloads_and_the_blank_workbook(app, person, lang, request):
    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    shown = await c.send("/questionnaires")
    text = plain(shown[-1].text)
    assert plain(t._("<b>Questionnaires</b>")) in text
    assert t._("hot evaluation") in text and t._("cold evaluation") in text
    assert "📥 hot · v1" in shown[-1].flat_buttons
    shown = await c.click("📥 hot · v1")
    assert shown[-1].document.filename == "hot.xlsx"
    assert settings_of(shown[-1].document.data)[:3] == ["hot", "hot", 1]
    shown = await c.click(t._("📄 Blank workbook"))
    blank = load_workbook(io.BytesIO(shown[-1].document.data))
    assert blank.sheetnames == ["survey", "choices", "settings"]
    assert [ws.max_row for ws in blank.worksheets] == [1, 1, 1]  # the headings only
    # Someone without the role: the one refusal, for the command and for a button.
    await onboard(app, 9901, lang)
    other = person(9901, lang)
    await other.start()
    shown = await other.send("/questionnaires")
    assert shown[-1].text == plain(refusal(t, Role.NATIONAL))
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 9901 AND flow = 'qforms'") is None
    await other.click_data("v1:qf:get:hot")
    assert other.last_answer["text"] == plain(refusal(t, Role.NATIONAL))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_new_form_then_a_new_version_previewed_and_applied(app, person, lang, request):
    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    await c.send("/questionnaires")
    shown = await c.upload(book(), "outils.xlsx", XLSX)  # sent on the screen: read as a questionnaire
    preview = shown[-1].text
    assert t._("A new form, version {version}.", version=t.number(1)) in preview
    assert t.ngettext("{n} question.", "{n} questions.", 6) in preview
    assert await versions(app, "enquete-outils") == []  # nothing before Apply
    apply = shown[-1]
    await c.click(t._("✅ Apply"))
    assert c.last_message.text == plain(t._("✅ Version {version} of <code>{form}</code> is saved: the "
                                            "questionnaires opened from now on use it.",
                                            version=t.number(1), form="enquete-outils"))
    assert await versions(app, "enquete-outils") == [1]
    await c.click_data(apply.button_data[0][0], apply)  # Apply again, from the old preview
    assert c.last_answer["text"] == t._("This button is no longer valid.")
    assert await versions(app, "enquete-outils") == [1]

    # Version 2: one label changed, one question added, one removed: the preview names them.
    survey = [row("useful", "scale", fr="Utile ?", choices="agree"), *GOOD[1:5],
              row("more", "text", required="non")]
    settings = [*SURVEY_SETTINGS[:2], 2, *SURVEY_SETTINGS[3:]]
    shown = await c.upload(book(survey=survey, settings=settings), "outils-v2.xlsx", XLSX)
    preview = plain(shown[-1].text)
    replaces = t._("Version {version} replaces version {previous} for the answers to come; the answers "
                   "already given keep their version.", version=t.number(2), previous=t.number(1))
    assert plain(replaces) in preview
    assert plain(t._("➕ Added: {ids}", ids="<code>more</code>")) in preview
    assert plain(t._("✏️ Changed: {id} ({fields})", id="<code>useful</code>", fields="label_fr")) in preview
    assert plain(t._("➖ Removed: {ids}", ids="<code>tools</code>")) in preview
    await c.click(t._("Cancel"))
    assert c.last_message.text == t._("Nothing was changed.")
    assert await versions(app, "enquete-outils") == [1]
    # The same file with the caption /questionnaire, from no screen at all.
    await c.send("/menu")
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 9900 AND flow = 'qforms'") is None
    shown = await c.upload(book(survey=survey, settings=settings), "outils-v2.xlsx", XLSX,
                           caption="/questionnaire")
    assert plain(t._("➕ Added: {ids}", ids="<code>more</code>")) in plain(shown[-1].text)
    await c.click(t._("✅ Apply"))
    assert await versions(app, "enquete-outils") == [1, 2]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_bad_workbooks_are_listed_by_sheet_row_and_column_and_change_nothing(app, person, lang,
                                                                                 request):
    t = request.getfixturevalue(lang)
    c = await national(app, person, lang)
    before = (await db_row(app, "SELECT COUNT(*) FROM questionnaires"))[0]
    await c.send("/questionnaires")
    bad = [row("useful", "scale", choices="nope"), row("why", "text", relevant="${later} = 'x'"),
           row("Bad Name", "text")]
    shown = await c.upload(book(survey=bad), "bad.xlsx", XLSX)
    text = shown[-1].text
    assert t.ngettext("❌ Nothing was changed: the workbook has {n} problem.",
                      "❌ Nothing was changed: the workbook has {n} problems.", 3) in text
    where = t.join([t._("sheet {sheet}", sheet="survey"), t._("row {row}", row=t.number(2)),
                    t._("column {column}", column="choices")])
    assert f"• {where}: " + t._("The choices sheet has no list “{value}”.", value="nope") in text
    assert t._("The condition names “{value}”, which is not an earlier question.", value="later") in text
    assert "Bad Name" in text and not shown[-1].buttons
    # A version that is not newer than the stored one, then a file that is no workbook at all.
    settings = ["hot", "hot", 1, "Chaud", "ساخن", "", ""]
    shown = await c.upload(book(survey=[row("a", "text")], choices=[], settings=settings), "hot.xlsx", XLSX)
    assert t._("Version {value} is not newer than the stored version {extra}.", value="1", extra="1") \
        in shown[-1].text
    shown = await c.upload(b"not a workbook", "notes.xlsx", XLSX)
    assert t._("This file is not an Excel workbook (.xlsx).") in shown[-1].text
    shown = await c.send("bonjour")
    assert shown[-1].text == t.to_person("Send the questionnaire workbook as a file (.xlsx), or /cancel.")
    assert (await db_row(app, "SELECT COUNT(*) FROM questionnaires"))[0] == before
    await c.send("/cancel")
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 9900 AND flow = 'qforms'") is None


async def test_many_forms_come_in_pages_and_the_screen_stays_open(app, person, fr):
    from bot.storage.forms import seed_form

    def seed(conn):
        for i in range(24):
            seed_form(conn, {"form": f"enquete-{i:02}", "kind": "survey", "version": 1,
                             "title_fr": f"Enquête {i}", "title_ar": f"استطلاع {i}", "questions": [
                                 {"qid": "q", "type": "text", "required": False, "label_fr": "?",
                                  "label_ar": "؟", "options": []}]}, "2026-12-01 00:00:00")

    await app.bot_data.db.write(seed)
    total = (await db_row(app, "SELECT COUNT(DISTINCT form) FROM questionnaires"))[0]
    c = await national(app, person, "fr")
    first = (await c.send("/questionnaires"))[-1]
    downloads = [b for b in first.flat_buttons if b.startswith("📥 ")]
    assert len(downloads) == 20 and "1/2" in first.flat_buttons
    await c.click("▶")
    second = c.last_message
    assert len([b for b in second.flat_buttons if b.startswith("📥 ")]) == total - 20
    assert "2/2" in second.flat_buttons and "enquete-23" in second.text
    await c.click("2/2")  # the counter does nothing, and the screen stays open
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 9900 AND flow = 'qforms'") is not None
    shown = await c.upload(book(), "outils.xlsx", XLSX)
    assert fr._("✅ Apply") in shown[-1].flat_buttons
