"""/demand leads a focal point on to their administration's needs survey (issue 16, "needs
first": interest lists and the survey feed the same plans) — with demand or without any yet."""

from __future__ import annotations

import pytest

from tests.conftest import db_row, onboard
from tests.test_prc_screens import focal_point, national


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_point_goes_from_demand_to_the_needs_survey(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    focal = await focal_point(app, person, lang)  # MEF
    await focal.send("/demand")  # no demand yet: the survey is where needs come from
    assert t._("📋 Needs survey") in focal.last_message.flat_buttons
    training = await db_row(app, "SELECT id, title_fr, title_ar FROM trainings WHERE code = 'PRJ-101'")
    await onboard(app, 9801, "fr", administration_code="MEF")
    await app.bot_data.registrations.toggle_interest(9801, training[0])
    await focal.send("/demand")
    assert t.pick(training[1], training[2]) in focal.last_message.text
    await focal.click(t._("📋 Needs survey"))
    admin = app.bot_data.reference.get("administrations", "MEF")
    screen = focal.last_message.text
    assert t._("<b>Needs survey — {administration}</b>", administration=t.iso(
        t.pick(admin.name_fr, admin.name_ar))).replace("<b>", "").replace("</b>", "") in screen
    assert t._("No survey has been launched yet.") in screen
    assert t._("🚀 Launch a needs survey") in focal.last_message.flat_buttons


async def test_the_national_team_has_no_button_of_one_administration(app, person, fr):
    boss = await national(app, person, "fr")
    await boss.send("/demand")
    assert fr._("📋 Needs survey") not in boss.last_message.flat_buttons
