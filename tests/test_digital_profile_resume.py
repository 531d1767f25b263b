"""A self-assessment left by a command (issue 17): /help, /mytrainings or /digitalprofile in the
middle keep the answers so far; the statement's buttons still answer; /digitalprofile and the
menu entry offer "Continue (n/20)" or "Start again"; /cancel still drops it; a Continue button
pressed after it finished or was cancelled, or forged, is no longer valid. French and Arabic."""

from __future__ import annotations

import json

import pytest

from bot.i18n import translator
from handlers.digital_profile_buttons import Resume
from tests.conftest import db_row, onboard
from tests.test_digital_profile import LEVELS, assessments, framework, level_label, plain, progress, rate


async def answers(app, user_id: int) -> dict | None:
    row = await db_row(app, "SELECT data FROM drafts WHERE user_id = ? AND flow = 'selfassess'", user_id)
    return json.loads(row["data"]) if row else None


def offer_text(t, position: int) -> str:
    text = ("🧭 <b>My digital profile</b>\nYou stopped at statement {position} of {total}: "
            "your answers so far are kept.")
    return plain(t.to_person(text, position=t.number(position), total=t.number(20)))


def continue_label(t, position: int) -> str:
    return t._("▶️ Continue ({position}/{total})", position=t.number(position), total=t.number(20))


async def started(app, person, lang: str, uid: int):
    """A woman onboarded in `lang` who opened /digitalprofile and pressed Start: her translator,
    her chat and the framework's statements."""
    t = translator(lang, "F")
    await onboard(app, uid, lang)
    c = person(uid, lang)
    fw = await framework(app)
    await c.send("/digitalprofile")
    await c.click(t._("▶️ Start"))
    return t, c, fw


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_command_in_the_middle_keeps_the_answers_and_continue_resumes(app, person, lang):
    uid = 8201 if lang == "fr" else 8202
    t, c, fw = await started(app, person, lang, uid)
    question = c.last_message
    await rate(c, t, fw, 0, 6)  # seven answers, statement 8 asked
    await c.send("/help")
    assert "/mytrainings" in c.last_message.text  # the help itself
    await c.send("/mytrainings")
    assert (await answers(app, uid))["r"] == {s.qid: LEVELS[s.area] for s in fw.statements[:7]}
    await c.send("/digitalprofile")  # not the invitation: continue or start again
    assert c.last_message.text == offer_text(t, 8)
    assert c.last_message.flat_buttons == [continue_label(t, 8), t._("🔁 Start again")]
    await c.click(continue_label(t, 8))
    assert progress(t, 8) in c.last_message.text
    await rate(c, t, fw, 7, 8)
    # The question message from before the commands (statement 8's buttons): refused, and it
    # becomes the current statement, whose buttons then answer.
    await c.click(level_label(t, fw, 1), question)
    assert c.last_answer["text"] == t.to_person("Please tap one of the answers below.")
    assert progress(t, 10) in next(m for m in c.messages if m.message_id == question.message_id).text
    await c.click(level_label(t, fw, LEVELS[fw.statements[9].area]), question)
    assert progress(t, 11) in next(m for m in c.messages if m.message_id == question.message_id).text
    await c.click(t._("🧭 My digital profile"), (await c.send("/menu"))[-1])  # the menu entry offers it too
    assert c.last_message.text == offer_text(t, 11)
    offer = c.last_message
    await c.click(continue_label(t, 11), offer)
    await rate(c, t, fw, 10, 19)
    rows = await assessments(app, uid)
    assert [(n, total) for _, n, total in rows] == [(20, 4 * sum(LEVELS.values()))]
    assert await answers(app, uid) is None
    await c.click_data(Resume().pack(), offer)  # the offer's Continue once it is over
    assert c.last_answer["text"] == t._("This button is no longer valid.")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_start_again_and_cancel_after_leaving(app, person, lang):
    uid = 8203 if lang == "fr" else 8204
    t, c, fw = await started(app, person, lang, uid)
    await rate(c, t, fw, 0, 4)
    await c.send("/digitalprofile")
    offer = c.last_message
    await c.click(t._("🔁 Start again"), offer)
    assert progress(t, 1) in c.last_message.text
    assert (await answers(app, uid))["r"] == {} and (await answers(app, uid))["i"] == 0
    await c.click(level_label(t, fw, 2))
    await c.send("/help")
    await c.send("/cancel")  # still stops it, and keeps nothing
    assert c.last_message.text == t._("The self-assessment is stopped: nothing was recorded.")
    assert await answers(app, uid) is None and await assessments(app, uid) == []
    await c.click(continue_label(t, 6), offer)  # the old offer's Continue: gone
    assert c.last_answer["text"] == t._("This button is no longer valid.")
    await c.click_data(Resume().pack())  # forged: the same
    assert c.last_answer["text"] == t._("This button is no longer valid.")
    assert await answers(app, uid) is None
    await c.send("/digitalprofile")  # nothing left half-way: the invitation
    assert c.last_message.flat_buttons == [t._("▶️ Start"), t._("Later")]


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize(("lang", "fault"), [("fr", "500"), ("ar", "timeout")])
async def test_the_chart_failing_to_send_still_shows_the_result(app, person, server, lang, fault):
    uid = 8205 if lang == "fr" else 8206
    t, c, fw = await started(app, person, lang, uid)
    await rate(c, t, fw, 0, 18)
    server.fail_next(fault, method="sendPhoto")
    await rate(c, t, fw, 19, 19)
    assert len(await assessments(app, uid)) == 1  # recorded once
    result = c.last_message  # the text and its trainings, without the chart
    assert c.messages[-2].photo is None
    assert t.to_person("💪 Your strengths: {areas}", areas="").strip() in result.text
    assert t._("📊 The chart could not be sent just now: /digitalprofile shows it again.") in result.text
    assert t._("🔁 Take the self-assessment again") in result.flat_buttons
    await c.send("/digitalprofile")  # the chart comes with the next look
    assert c.messages[-2].photo is not None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_words_typed_after_leaving_search_and_its_buttons_take_it_back(app, person, lang):
    uid = 8207 if lang == "fr" else 8208
    t, c, fw = await started(app, person, lang, uid)
    question = c.last_message
    await rate(c, t, fw, 0, 2)
    await c.send("bonjour")  # still in it: a typed message is not an answer
    assert c.messages[-2].text == t.to_person("Please tap one of the answers below.")
    await c.send("/mytrainings")
    shown = await c.send("cybersécurité")  # left: words search the trainings as usual
    assert all(m.text != t.to_person("Please tap one of the answers below.") for m in shown)
    assert all(progress(t, 4) not in m.text for m in shown)
    assert (await answers(app, uid))["i"] == 3  # the answers wait
    await c.click(level_label(t, fw, LEVELS[fw.statements[3].area]), question)  # its button: back in
    assert progress(t, 5) in next(m for m in c.messages if m.message_id == question.message_id).text
    await c.send("bonjour")
    assert c.messages[-2].text == t.to_person("Please tap one of the answers below.")
