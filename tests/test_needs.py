"""The needs survey (issue 16, "needs first"), in French and Arabic: a focal point launches it
from /prc (what is asked, to how many people, confirm), the officials of the administration get
it once through the outbox and answer by taps (resumable, answering again edits), the results
count what a count by hand gives with groups under 5 hidden, a theme becomes a plan line with
its people and women prefilled, and another administration's focal point is refused."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.services.needs_view import breakdown, tally
from tests.conftest import db_row, drain, onboard
from tests.test_prc_screens import focal_point, theme_name

# (user id, sex, position, themes with levels, modality)
OFFICIALS = [
    (8901, "F", "cadre", {"DATA": 1, "CYBER": 2}, "presentiel"),
    (8902, "M", "cadre", {"DATA": 2}, "presentiel"),
    (8903, "F", "cadre", {"DATA": 3, "CYBER": 1}, "distanciel"),
    (8904, "M", "cadre", {"DATA": 2}, "presentiel"),
    (8905, "F", "cadre", {"DATA": 4}, "hybride"),
    (8906, "M", "technicien", {"DATA": 1, "IA": 3}, "presentiel"),
]


def modality_word(t, code):
    from handlers.labels import modality

    return modality(t, code)


async def answer_survey(app, c, t, themes: dict, modality: str) -> None:
    await c.click(t._("📝 Answer"))
    assert t.to_person("📋 Needs survey (1/4). Which themes are your priorities? Choose up to 3, then "
                       "press Next.") in c.last_message.text
    for code in themes:
        await c.click("⬜ " + theme_name(app, t, code))
    await c.click(t._("Next ➡️"))
    from conversations.needs_answer import level_word

    for level in themes.values():
        await c.click(level_word(t, level))
    await c.click(modality_word(t, modality))
    await c.click("⬜ " + t._("Lack of time (workload)"))
    await c.click(t._("Next ➡️"))
    await c.click(t._("Skip"))
    assert t.to_person("✅ Thank you: your answer was recorded.") in c.last_message.text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_launch_answer_results_and_a_plan_line(app, server, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    focal = await focal_point(app, person, lang)  # MEF
    officials, readers = {}, {}
    for uid, sex, position, _, _ in OFFICIALS:
        await onboard(app, uid, lang, sex=sex, position_code=position, administration_code="MEF")
        server.add_user(uid, "Agent", started=True)  # they opened the bot once
        officials[uid] = person(uid, lang)
        readers[uid] = translator(lang, sex)  # Arabic addresses each person in their gender
    await onboard(app, 8920, lang, administration_code="MTNRA")  # another administration: not asked
    other = person(8920, lang)
    mef = await db_row(app, "SELECT COUNT(*) FROM users WHERE administration_code = 'MEF'"
                            " AND onboarded_at IS NOT NULL AND id != ?", 8801)
    # The plan first (the line needs a draft), then its screen's entry to the survey.
    await focal.send("/prc")
    await focal.click("2026–2027")
    await focal.click(t._("📋 Needs survey"))
    assert t._("No survey has been launched yet.") in focal.last_message.text
    await focal.click(t._("🚀 Launch a needs survey"))
    screen = focal.last_message.text
    assert t._("• up to 3 priority themes;") in screen
    admin = app.bot_data.reference.get("administrations", "MEF")
    assert t.ngettext("It will be sent to {n} person of {administration} (at night it waits for the "
                      "morning).", "It will be sent to {n} people of {administration} (at night it waits "
                      "for the morning).", mef[0],
                      administration=t.iso(t.pick(admin.name_fr, admin.name_ar))) in screen
    confirm = focal.last_message
    await focal.click(t._("✅ Send the survey"))
    assert t.ngettext("✅ Sent to {n} person.", "✅ Sent to {n} people.", mef[0]) in focal.last_message.text
    await focal.click_data(confirm.reply_markup["inline_keyboard"][0][0]["callback_data"])  # a double tap
    surveys = await db_row(app, "SELECT COUNT(*), MAX(recipients) FROM needs_surveys"
                                " WHERE administration_code = 'MEF'")
    assert tuple(surveys) == (1, mef[0])
    demo_mef = await app.bot_data.db.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM users WHERE administration_code = 'MEF' AND id > 990000000")])
    for uid in demo_mef:  # the demo's officials of MEF have opened the bot too
        server.add_user(uid, "Demo", started=True)
    await drain(app)
    await drain(app)  # sent once per person, however often the outbox is drained
    invitation = ("Four short questions, one tap each: your priority themes, your level, how you "
                             "prefer to train and what could hold you back.")
    assert all(readers[uid].to_person(invitation) in server.last_message(uid).text for uid in officials)
    assert server.last_message(8920) is None or invitation not in (server.last_message(8920).text or "")
    assert (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'needs_survey'"))[0] == mef[0]
    del other

    # Answer by taps; the first person leaves in the middle and resumes where she was.
    first = officials[8901]
    await first.click(t._("📝 Answer"))
    await first.click("⬜ " + theme_name(app, t, "DATA"))
    await first.send("/catalogue")  # leaves the flow
    await first.click(t._("📝 Answer"))
    assert "☑️ " + theme_name(app, t, "DATA") in str(first.last_message.reply_markup)
    await first.click("⬜ " + theme_name(app, t, "CYBER"))
    await first.click(t._("Next ➡️"))
    from conversations.needs_answer import level_word

    await first.click(level_word(t, 1))
    await first.click(level_word(t, 2))
    await first.click(modality_word(t, "presentiel"))
    await first.click(t._("Next ➡️"))
    await first.send("Pas de formation le vendredi <b>")
    assert t.to_person("✅ Thank you: your answer was recorded.") in first.last_message.text
    for uid, _, _, themes, modality in OFFICIALS[1:]:
        await answer_survey(app, officials[uid], readers[uid], themes, modality)
    # Answering again edits the one answer (8906 drops IA).
    last, t6 = officials[8906], readers[8906]
    await last.click(t6._("✏️ Change my answer"))
    await last.click("☑️ " + theme_name(app, t6, "IA"))
    await last.click(t6._("Next ➡️"))
    await last.click(level_word(t6, 1))
    await last.click(modality_word(t6, "presentiel"))
    await last.click(t6._("Next ➡️"))
    await last.click(t6._("Skip"))
    rows = await db_row(app, "SELECT COUNT(*), SUM(completed_at IS NOT NULL) FROM needs_answers"
                             " WHERE user_id BETWEEN 8900 AND 8910")
    assert tuple(rows) == (6, 6)
    edited = await db_row(app, "SELECT answer FROM needs_answers WHERE user_id = 8906")
    assert '"IA"' not in edited[0] and '"DATA"' in edited[0]

    # The results: DATA chosen by 6 (by hand: levels 1,2,3,2,4,1 → 2.2 (13/6 = 2.17)); sexes 3 and 3
    # (both under 5: hidden); positions cadre 5, technicien 1 (pooled, hidden); CYBER by 2 (no mean).
    await focal.send("/needs")
    await focal.click(t._("📊 Results"))
    text = focal.last_message.text
    assert t.ngettext("{n} answer of {recipients} people asked.", "{n} answers of {recipients} people asked.",
                      6, recipients=t.number(mef[0])) in text
    data_head = t.ngettext("{i}. <b>{theme}</b>: {n} person", "{i}. <b>{theme}</b>: {n} people", 6,
                           i=t.number(1), theme=theme_name(app, t, "DATA"))
    from handlers.ui import plain

    assert plain(data_head + " · " + t._("mean level {level}/4", level=t.number(2.2))) in text
    assert t._("prefer: {modality}", modality=modality_word(t, "presentiel")) in text
    cyber = plain(t.ngettext("{i}. <b>{theme}</b>: {n} person", "{i}. <b>{theme}</b>: {n} people", 2,
                             i=t.number(2), theme=theme_name(app, t, "CYBER")))
    assert cyber + "\n" in text  # no mean level over 2 people
    hidden = t._("under 5, hidden")
    assert f"{t._('Sex')}: {t._('others')} ({hidden})" in text
    cadre = app.bot_data.reference.get("positions", "cadre")
    positions = f"{t.pick(cadre.name_fr, cadre.name_ar)} {t.number(5)} · {t._('others')} ({hidden})"
    assert f"{t._('Position')}: {positions}" in text

    # The same figures as XLSX, hidden groups said so.
    await focal.click(t._("📥 XLSX file"))
    sheet = focal.last_message.document
    survey_id = (await db_row(app, "SELECT id FROM needs_surveys WHERE administration_code = 'MEF'"))[0]
    assert sheet.filename == f"etamkeen-needs-mef-{survey_id}-{lang}.xlsx"
    import io

    from openpyxl import load_workbook

    cells = [tuple(r) for r in load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True)]
    assert (theme_name(app, t, "DATA"), 6, 2.2, modality_word(t, "presentiel")) in cells
    assert (theme_name(app, t, "CYBER"), 2, hidden, hidden) in cells
    assert (t._("Lack of time (workload)"), 5, None, None) in cells  # all but the first
    await focal.send("/needs")
    await focal.click(t._("📊 Results"))

    # A plan line from the theme: 6 people, women from the survey's share (3 of 6: the theme's
    # own sexes are hidden), editable before Confirm.
    await focal.click(t._("➕ Plan line: {theme}", theme=theme_name(app, t, "DATA")))
    await focal.click(t._("Any training of the theme"))
    await focal.click(t._("As the theme or training says"))
    await focal.click(t._("Any"))
    await focal.click(t._("central"))
    await focal.send("42")
    await focal.click("2026-S2")
    await focal.click(t._("1 — high"))
    assert t._("People: {people}, of whom women: {women}", people=t.number(6), women=t.number(3)) \
        in focal.last_message.text
    await focal.click(t._("✅ Confirm"))
    line = await db_row(app, "SELECT theme_code, target_people, target_women, target_hours FROM plan_lines l"
                             " JOIN plan_versions v ON v.id = l.version_id JOIN plans p ON p.id = v.plan_id"
                             " WHERE p.administration_code = 'MEF'")
    assert tuple(line) == ("DATA", 6, 3, 42.0)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_point_of_another_administration_is_refused(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    mef = await focal_point(app, person, lang)
    await onboard(app, 8930, lang, administration_code="MEF")
    await mef.send("/needs")
    await mef.click(t._("🚀 Launch a needs survey"))
    await mef.click(t._("✅ Send the survey"))
    survey = (await db_row(app, "SELECT id FROM needs_surveys WHERE administration_code = 'MEF'"))[0]
    other = await focal_point(app, person, lang, user_id=8931, admin="MTNRA")
    await other.send("/needs MEF")
    assert other.last_message.text == t._("You may only survey your own administration.")
    from handlers.needs_buttons import LaunchYes, Results, ToLine

    for forged in (Results(survey), ToLine(survey, "DATA")):
        await other.click_data(forged.pack())
        assert other.last_answer["text"] == t._("This button is no longer valid.")
    await other.click_data(LaunchYes("MEF", survey).pack())
    assert other.last_answer["text"] == t._("You may only survey your own administration.")
    assert (await db_row(app, "SELECT COUNT(*) FROM needs_surveys WHERE administration_code = 'MEF'"))[0] == 1
    # An official of MTNRA cannot answer MEF's survey (a forwarded or forged button).
    from handlers.needs_buttons import Answer

    await onboard(app, 8932, lang, administration_code="MTNRA")
    stranger = person(8932, lang)
    await stranger.send("/start")
    await stranger.click_data(Answer(survey).pack())
    assert stranger.last_answer["text"] == t._("This button is no longer valid.")
    assert (await db_row(app, "SELECT COUNT(*) FROM needs_answers WHERE user_id = 8932"))[0] == 0


def test_breakdowns_hide_small_groups():
    assert breakdown(["a"] * 5 + ["b"] * 2 + ["c"] * 2) == [("a", 5), ("*", None)]
    assert breakdown(["a"] * 6 + ["b"] * 3 + ["c"] * 3) == [("a", 6), ("*", 6)]
    rows = [{"answer": {"themes": ["X"], "levels": {"X": 2}, "modality": "coaching"}, "sex": s,
             "position_code": "p", "region_code": None} for s in "FFFFFMMMMM"]
    (x,) = tally(rows)
    assert (x.people, x.women, x.mean_level, x.modality) == (10, 5, 2.0, "coaching")
    assert x.breakdowns["sex"] == [("F", 5), ("M", 5)]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_demo_survey_shows_its_results_to_the_national_team(app, person, fr, ar, lang):
    """The demo's survey of ADD (seeded with the demo) is read by a national coordinator with
    /needs ADD: its groups of 5 or more shown, the smaller ones hidden."""
    from tests.test_prc_screens import national

    t = fr if lang == "fr" else ar
    c = await national(app, person, lang)
    await c.send("/needs")
    assert c.last_message.text == t._("Which administration? Send /needs followed by its code, for "
                                      "example /needs MEF.")
    await c.send("/needs add")
    await c.click(t._("📊 Results"))
    text = c.last_message.text
    assert t.ngettext("{n} answer of {recipients} people asked.", "{n} answers of {recipients} people asked.",
                      12, recipients=t.number(12)) in text
    from bot.services.vocabulary import sex

    assert f"{t._('Sex')}: {sex(t, 'F')} {t.number(6)} · {sex(t, 'M')} {t.number(6)}" in text  # DATA
    assert f"{t._('Sex')}: {t._('others')} ({t._('under 5, hidden')})" in text  # IA: 4 and 4
    # The national team launches a new survey of ADD too (every official of ADD who uses the bot).
    add = (await db_row(app, "SELECT COUNT(*) FROM users WHERE administration_code = 'ADD'"
                             " AND onboarded_at IS NOT NULL"))[0]
    await c.click(t._("« Back"))
    await c.click(t._("🚀 Launch a new survey"))
    await c.click(t._("✅ Send the survey"))
    assert t.ngettext("✅ Sent to {n} person.", "✅ Sent to {n} people.", add) in c.last_message.text
    queued = await db_row(app, "SELECT COUNT(*), MIN(urgent) FROM outbox WHERE kind = 'needs_survey'")
    assert tuple(queued) == (add, 0)  # not urgent: quiet hours apply
    # Seeding again adds nothing.
    from bot.services import demo_needs

    assert await app.bot_data.db.write(demo_needs.seed, app.bot_data.clock.now()) == 0


async def test_an_answer_is_in_the_persons_data_and_goes_with_an_erasure(app):
    """/mydata lists the person's survey answers; an erasure deletes them."""
    from bot.services import demo_needs

    uid = demo_needs.FIRST_ID
    data = await app.bot_data.privacy.export(uid, "fr")
    assert [a["survey_id"] for a in data["needs_answers"]] == [
        (await db_row(app, "SELECT id FROM needs_surveys WHERE administration_code = 'ADD'"))[0]]
    await app.bot_data.privacy.erase(uid)
    assert await db_row(app, "SELECT 1 FROM needs_answers WHERE user_id = ?", uid) is None
