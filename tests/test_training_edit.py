"""A training's titles and descriptions edited in the chat by a national coordinator."""

from __future__ import annotations

import json

import pytest

from conversations.field_texts import field_name
from tests.conftest import db_row, grant, onboard


async def _training_screen(app, person, user_id: int, lang: str, t, role: str | None = "coordinator"):
    """The person on the catalogue screen of training PRJ-101."""
    await onboard(app, user_id, lang)
    if role:
        await grant(app, user_id, role)
    tid = (await db_row(app, "SELECT id FROM trainings WHERE code = 'PRJ-101'"))[0]
    c = person(user_id, lang)
    await c.send("/catalogue")
    await c.click_data(f"v1:cat:t:{tid}:..:0", c.last_message)
    return c, tid


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_coordinator_changes_a_title(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c, tid = await _training_screen(app, person, 9400, lang, t)
    await c.click(t._("🛠 Manage this training"))
    assert c.last_message.text == t._("What do you want to change in this training?")
    await c.click(f"✏ {field_name(t, 'title_ar')}")
    old = (await db_row(app, "SELECT title_ar FROM trainings WHERE id = ?", tid))[0]
    assert t._("Now: {value}", value=old) in c.last_message.text
    await c.send("T" * 10_000)
    assert c.last_message.text == t.ngettext(
        "This is too long: at most {n} character, please shorten it.",
        "This is too long: at most {n} characters, please shorten it.", 150)
    await c.send("\u200b \u2066")  # nothing visible
    assert c.last_message.text == t._("The text cannot be empty: please type it.")
    await c.send("إدارة المشاريع <الرقمية> & التحول")
    assert t._("Before: {value}", value=old) in c.last_message.text
    assert t._("After: {value}", value="إدارة المشاريع <الرقمية> & التحول") in c.last_message.text
    await c.click(t._("✅ Confirm"))
    assert c.last_message.text == t._("Done: the training is changed.")
    assert (await db_row(app, "SELECT title_ar FROM trainings WHERE id = ?", tid))[0] == \
        "إدارة المشاريع <الرقمية> & التحول"
    audit = await db_row(app, "SELECT actor_id, target, details FROM audit WHERE action = 'training_edited'")
    assert audit[0] == 9400 and audit[1] == f"training:{tid}"
    assert json.loads(audit[2])["before"] == old
    # The search finds it by its new words.
    found = await app.bot_data.catalogue.search("التحول الرقمية", 0)
    assert tid in [r.id for r in found.items]


async def test_a_description_can_be_kept_as_it_was(app, person, fr):
    c, tid = await _training_screen(app, person, 9401, "fr", fr)
    before = (await db_row(app, "SELECT description_fr FROM trainings WHERE id = ?", tid))[0]
    await c.click(fr._("🛠 Manage this training"))
    await c.click(f"✏ {field_name(fr, 'description_fr')}")
    await c.send("Une autre description.")
    await c.click(fr._("✖ Keep as it was"))
    assert c.last_message.text == fr._("Nothing was changed.")
    assert (await db_row(app, "SELECT description_fr FROM trainings WHERE id = ?", tid))[0] == before


@pytest.mark.parametrize("role", [None, "trainer"])
async def test_others_neither_see_nor_use_manage_this_training(app, person, fr, role):
    c, tid = await _training_screen(app, person, 9402, "fr", fr, role=role)
    assert fr._("🛠 Manage this training") not in [b for row in c.last_message.buttons for b in row]
    before = (await db_row(app, "SELECT title_fr FROM trainings WHERE id = ?", tid))[0]
    for forged in (f"v1:sa:tmenu:{tid}", f"v1:sa:tedit:{tid}:title_fr"):
        shown = await c.click_data(forged, c.last_message)
        assert not any(fr._("Type the new text. (/cancel to stop)") in (m.text or "") for m in shown)
    await c.send("Nouveau titre")
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = 9402"))[0] == 0
    assert (await db_row(app, "SELECT title_fr FROM trainings WHERE id = ?", tid))[0] == before
