"""Two people editing the same plan line: the second Confirm, made on the line as it was
opened, is refused (told, nothing changed) instead of silently undoing the first change with
the old values it held. In French and Arabic."""

from __future__ import annotations

import pytest

from tests.conftest import db_row
from tests.test_plan_line_edit import BOSS, focal, plan_with_a_line


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_change_made_meanwhile_is_not_undone(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    version, line = await plan_with_a_line(app)
    c = await focal(app, person, lang)
    await c.send("/prc")
    await c.click(t._("✏️ Edit {n}", n=t.number(1)))
    await c.click(t._("Target people"))
    await c.send("15")
    await c.send("6")
    # Meanwhile the national team changes the hours of the same line.
    await app.bot_data.plans.update_line(BOSS, line, {
        "theme_code": "DATA", "target_people": 10, "target_women": 4, "target_hours": 91,
        "semester": "2026-S2", "priority": 2})
    await c.click(t._("✅ Confirm"))
    assert t._("Someone changed this line meanwhile: nothing was changed. Open the plan again to "
               "see it as it is now.") in c.last_message.text
    row = await db_row(app, "SELECT target_people, target_women, target_hours FROM plan_lines WHERE id = ?",
                       line)
    assert tuple(row) == (10, 4, 91)
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = ?", c.user_id))[0] == 0
    # Opened again, the change goes through on the line as it now is.
    await c.send("/prc")
    await c.click(t._("✏️ Edit {n}", n=t.number(1)))
    await c.click(t._("Target people"))
    await c.send("15")
    await c.send("6")
    await c.click(t._("✅ Confirm"))
    assert t._("✅ Line changed.") in c.last_message.text
    row = await db_row(app, "SELECT target_people, target_women, target_hours FROM plan_lines WHERE id = ?",
                       line)
    assert tuple(row) == (15, 6, 91)
