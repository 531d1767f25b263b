"""A double tap on *Schedule a session* (or a tick of the lines' screen pressed late): the
/newsession it opened stays open with its prefilled answers, the late press is answered as a
stale button. Before, the second press left the new flow: its draft was dropped and the start
typed next went to the search."""

from __future__ import annotations

import pytest

from handlers.buttons import stale_text
from tests.conftest import db_row
from tests.test_plan_schedule import BOSS, answer_the_session, coordinator, validated_line


def data_of(message, text: str) -> str:
    return next(b["callback_data"] for row in message.reply_markup["inline_keyboard"] for b in row
                if b["text"] == text)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_second_tap_on_schedule_keeps_the_new_session(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    await validated_line(app, "MEF", 6, training="DAT-201")
    await validated_line(app, "MJ", 4)
    c = await coordinator(app, person, lang)
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(t._("Open {i}", i=t.number(order.index("MEF") + 1)))
    await c.click(t._("📅 Schedule from {n}", n=t.number(1)))
    lines = c.last_message
    go = t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 1)
    await c.click(go)
    assert t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.") in c.last_message.text
    for late in (go, "☐ " + t.number(2)):
        await c.click_data(data_of(lines, late), lines)
        assert c.last_answer == {"text": stale_text(t), "show_alert": True}
        row = await db_row(app, "SELECT flow, step, json_extract(data, '$.capacity') FROM drafts"
                                " WHERE user_id = ?", c.user_id)
        assert tuple(row) == ("new_session", "start", 6)
    await c.send("2027-02-10 09:00")
    assert c.last_message.text == t._("End, as YYYY-MM-DD HH:MM.")


async def test_the_arabic_screens_of_scheduling_address_her_and_isolate_codes(app, person, ar):
    """The release question addresses the coordinator in her gender, as the lines' screen does,
    and the semester code (Latin) is isolated inside the Arabic text."""

    t = ar
    await validated_line(app, "MEF", 6, training="DAT-201")
    c = await coordinator(app, person, "ar")
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(t._("Open {i}", i=t.number(order.index("MEF") + 1)))
    await c.click(t._("📅 Schedule from {n}", n=t.number(1)))
    assert "\u20682027-S1\u2069" in c.last_message.text
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 1))
    assert "\u20682027-S1\u2069" in c.last_message.text
    await answer_the_session(app, c, t)
    assert "اكتبي" in c.last_message.text and "اضغطي" in c.last_message.text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_an_old_button_of_another_flow_keeps_the_open_one(app, person, fr, ar, lang):
    """In the middle of /newsession, a plan line's old Confirm or a needs survey's old choice is
    stale: the new session's answers stay (before, the flow was left and they were dropped)."""
    from conversations.plan_line_steps import Confirm
    from handlers.needs_buttons import Choose

    t = fr if lang == "fr" else ar
    c = await coordinator(app, person, lang)
    await c.send("/newsession")
    training = c.last_message.flat_buttons[0]
    await c.click(training)
    await c.send("2027-02-10 09:00")
    for old in (Confirm(), Choose("DATA")):
        await c.click_data(old.pack())
        assert c.last_answer == {"text": stale_text(t), "show_alert": True}
        row = await db_row(app, "SELECT flow, step FROM drafts WHERE user_id = ?", c.user_id)
        assert tuple(row) == ("new_session", "end")
    await c.send("2027-02-10 17:00")
    assert c.last_message.text == t.to_person("Place in French (type it), or press Online.")
