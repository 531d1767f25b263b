"""Changing a completed needs-survey answer: the stored answer stays whole (its levels, modality
and note counted in the results) until the change is complete — across a restart of the bot in
the middle, which resumes the change from the draft. Before, the first tap of the change wrote a
half answer (no level, no modality, the note gone) that the results counted as complete."""

from __future__ import annotations

import json

import pytest

from bot.i18n import translator
from bot.services.access import Access
from conversations.needs_answer import level_word
from tests.conftest import db_row, drain, onboard, start_app, stop_app
from tests.test_needs import modality_word
from tests.test_prc_screens import theme_name
from tgsandbox.client import BotClient

OFFICIAL = 9851


async def stored(app) -> dict:
    row = await db_row(app, "SELECT answer, completed_at IS NOT NULL FROM needs_answers WHERE user_id = ?",
                       OFFICIAL)
    return {**json.loads(row[0]), "completed": bool(row[1])}


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_change_in_progress_leaves_the_answer_whole_across_a_restart(server, clock, tmp_path, lang):
    t = translator(lang, "F")
    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)
    try:
        await onboard(app, OFFICIAL, lang, administration_code="MEF")
        server.add_user(OFFICIAL, "Agent", started=True)
        await app.bot_data.needs.launch(Access(user_id=8801, focal_administration="MEF"), "MEF", 0)
        await drain(app)
        c = BotClient(app, server, user_id=OFFICIAL, language_code=lang)
        await c.click(t._("📝 Answer"))
        await c.click("⬜ " + theme_name(app, t, "DATA"))
        await c.click(t._("Next ➡️"))
        await c.click(level_word(t, 2))
        await c.click(modality_word(t, "distanciel"))
        await c.click("⬜ " + t._("Lack of time (workload)"))
        await c.click(t._("Next ➡️"))
        await c.send("Le vendredi seulement")
        whole = await stored(app)
        assert whole == {"themes": ["DATA"], "themes_done": True, "levels": {"DATA": 2},
                         "modality": "distanciel", "constraints": ["time"], "constraints_done": True,
                         "note": "Le vendredi seulement", "completed": True}
        await c.click(t._("✏️ Change my answer"))
        await c.click("⬜ " + theme_name(app, t, "CYBER"))
        await c.click(t._("Next ➡️"))
        assert await stored(app) == whole  # the change is not complete: the answer counted is the old one
    finally:
        await stop_app(app)  # the bot goes down in the middle of the change

    app = await start_app(server, clock, db_path, seed=False)
    try:
        c = BotClient(app, server, user_id=OFFICIAL, language_code=lang)
        assert await stored(app) == whole
        await c.click(level_word(t, 3))  # DATA: the change resumes from the draft
        assert t.to_person("📋 (2/4) Your current level in “{theme}”?",
                           theme=theme_name(app, t, "CYBER")) in c.last_message.text
        await c.click(level_word(t, 1))
        await c.click(modality_word(t, "hybride"))
        await c.click(t._("Next ➡️"))
        await c.click(t._("Skip"))
        assert t.to_person("✅ Thank you: your answer was recorded.") in c.last_message.text
        changed = await stored(app)
        assert (changed["themes"], changed["levels"], changed["modality"], changed["note"],
                changed["completed"]) == (["DATA", "CYBER"], {"DATA": 3, "CYBER": 1}, "hybride", "", True)
    finally:
        await stop_app(app)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_note_too_long_is_refused_in_words_not_cut(app, server, lang):
    t = translator(lang, "F")
    await onboard(app, OFFICIAL, lang, administration_code="MEF")
    server.add_user(OFFICIAL, "Agent", started=True)
    await app.bot_data.needs.launch(Access(user_id=8801, focal_administration="MEF"), "MEF", 0)
    for uid in await app.bot_data.db.read(lambda conn: [r[0] for r in conn.execute(
            "SELECT id FROM users WHERE administration_code = 'MEF' AND id > 990000000")]):
        server.add_user(uid, "Demo", started=True)  # the demo's officials have opened the bot
    await drain(app)
    c = BotClient(app, server, user_id=OFFICIAL, language_code=lang)
    await c.click(t._("📝 Answer"))
    await c.click("⬜ " + theme_name(app, t, "DATA"))
    await c.click(t._("Next ➡️"))
    await c.click(level_word(t, 2))
    await c.click(modality_word(t, "presentiel"))
    await c.click(t._("Next ➡️"))
    await c.send("<b>" + "x" * 10_000)
    assert c.last_message.text == t.ngettext("This is too long: at most {n} character, please shorten it.",
                                             "This is too long: at most {n} characters, please shorten it.",
                                             500)
    assert not (await stored(app))["completed"]
    await c.send("<b>Le vendredi</b> \u202e")
    assert t.to_person("✅ Thank you: your answer was recorded.") in c.last_message.text
    assert (await stored(app))["note"] == "<b>Le vendredi</b>"
