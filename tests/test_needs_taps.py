"""A multiple choice of the needs survey (themes, constraints) when Telegram fails the edit that
shows a tap: the person still sees the choice as it was, and taps it again. Each button carries
what the person meant ("add DATA" under an empty box, "remove DATA" under a ticked one), so the
second tap does what the first one meant; before, a button meant "toggle" and the second tap
took back the choice the person had never seen made. In French and Arabic."""

from __future__ import annotations

import json

import pytest

from bot.i18n import translator
from bot.services.access import Access
from conversations.needs_answer import level_word
from tests.conftest import db_row, drain, onboard
from tests.test_needs import modality_word
from tests.test_prc_screens import theme_name

OFFICIAL = 9861


async def answered(app) -> dict:
    row = await db_row(app, "SELECT answer FROM needs_answers WHERE user_id = ?", OFFICIAL)
    return json.loads(row[0])


async def tap_twice_the_first_edit_failing(c, server, text: str) -> None:
    screen = c.last_message
    server.fail_next("500", method="editMessageText", chat_id=c.user_id)
    await c.click(text, screen)
    assert not server.calls[-1].ok  # the person still sees the screen as it was: taps again
    assert text in screen.flat_buttons
    await c.click(text, screen)


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_choice_tapped_again_after_a_failed_edit_is_made_once(app, person, server, lang):
    t = translator(lang, "F")
    await onboard(app, OFFICIAL, lang, administration_code="MEF")
    server.add_user(OFFICIAL, "Agent", started=True)
    await app.bot_data.needs.launch(Access(user_id=8801, focal_administration="MEF"), "MEF", 0)
    await drain(app)
    c = person(OFFICIAL, lang)
    await c.click(t._("📝 Answer"))
    data = theme_name(app, t, "DATA")

    await tap_twice_the_first_edit_failing(c, server, "⬜ " + data)
    assert (await answered(app))["themes"] == ["DATA"]
    assert "☑️ " + data in c.last_message.flat_buttons
    # Taking it back is likewise meant once: a second "remove" leaves it removed.
    await tap_twice_the_first_edit_failing(c, server, "☑️ " + data)
    assert (await answered(app))["themes"] == []
    assert "⬜ " + data in c.last_message.flat_buttons

    await c.click("⬜ " + data)
    await c.click(t._("Next ➡️"))
    await c.click(level_word(t, 2))
    await c.click(modality_word(t, "distanciel"))
    time = t._("Lack of time (workload)")
    await tap_twice_the_first_edit_failing(c, server, "⬜ " + time)
    assert (await answered(app))["constraints"] == ["time"]
    assert "☑️ " + time in c.last_message.flat_buttons
    await c.click(t._("Next ➡️"))
    await c.click(t._("Skip"))
    assert t.to_person("✅ Thank you: your answer was recorded.") in c.last_message.text
    row = await db_row(app, "SELECT completed_at IS NOT NULL FROM needs_answers WHERE user_id = ?", OFFICIAL)
    assert row[0] == 1 and (await answered(app))["constraints"] == ["time"]
