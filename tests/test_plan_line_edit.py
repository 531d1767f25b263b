"""Editing a plan line in place (issue 16): a button per field on a line of a draft or returned
plan, the field asked alone, old → new in the summary, an audit entry; a returned plan is
changed in a new version; a validated plan says that a new version is needed; another
administration's focal point is refused. In French and Arabic."""

from __future__ import annotations

import json

import pytest

from bot.services.access import Access
from handlers.plan_buttons import EditField, EditLine
from handlers.prc_text import plan_error
from tests.conftest import db_row, grant, onboard

FOCAL, OTHER = 8871, 8872
MEF = Access(FOCAL, focal_administration="MEF")
BOSS = Access(8870, national=True)
LINE = {"theme_code": "DATA", "target_people": 10, "target_women": 4, "target_hours": 70,
        "semester": "2026-S2", "priority": 2}


async def plan_with_a_line(app, status: str = "draft") -> tuple[int, int]:
    plans = app.bot_data.plans
    version = await plans.create(MEF, "MEF", 2026, 2027)
    line = await plans.add_line(MEF, version, LINE)
    if status != "draft":
        await plans.transition(MEF, version, "submit")
        if status == "returned":
            await plans.transition(BOSS, version, "return", "Trop peu de femmes")
        else:
            await plans.transition(BOSS, version, "validate")
    return version, line


async def focal(app, person, lang, user_id=FOCAL, admin="MEF"):
    await onboard(app, user_id, lang, administration_code=admin)
    await grant(app, user_id, "focal_point", admin)
    return person(user_id, lang)


def buttons(c) -> list[str]:
    return [b for row in c.last_message.buttons for b in row]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_point_changes_the_people_of_a_draft_line(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    version, line = await plan_with_a_line(app)
    c = await focal(app, person, lang)
    await c.send("/prc")
    await c.click(t._("✏️ Edit {n}", n=t.number(1)))
    assert t._("Which field of the line do you want to change?") in c.last_message.text
    await c.click(t._("Target people"))
    assert t._("How many people to train? Type a whole number.") in c.last_message.text
    await c.send("15")
    # The women are asked again against the new number; nothing else is.
    assert t._("Of whom how many women? Type a whole number (0 if none is set).") in c.last_message.text
    await c.send("6")
    summary = c.last_message.text
    assert t._("<b>The line, changed:</b>").replace("<b>", "").replace("</b>", "") in summary
    assert t._("{field}: {old} → {new}", field=t._("People"), old=t.number(10), new=t.number(15)) in summary
    assert t._("{field}: {old} → {new}", field=t._("Women"), old=t.number(4), new=t.number(6)) in summary
    assert t._("{field}: {old} → {new}", field=t._("Hours"), old=t.number(70),
               new=t.number(70)) not in summary
    await c.click(t._("✅ Confirm"))
    assert t._("✅ Line changed.") in c.last_message.text
    row = await db_row(app, "SELECT version_id, target_people, target_women, target_hours, semester"
                            " FROM plan_lines WHERE id = ?", line)
    assert tuple(row) == (version, 15, 6, 70.0, "2026-S2")
    audit = await db_row(app, "SELECT actor_id, details FROM audit WHERE action = 'plan_line_edit'")
    assert audit[0] == FOCAL
    assert json.loads(audit[1])["changes"] == {"target_people": [10, 15], "target_women": [4, 6]}


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_returned_plan_is_changed_in_a_new_version(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    version, line = await plan_with_a_line(app, "returned")
    c = await focal(app, person, lang)
    await c.send("/prc")
    await c.click(t._("✏️ Edit {n}", n=t.number(1)))
    assert t.to_person("This plan was returned: your change will start a new version, and the "
                       "returned one stays as the national team saw it.") in c.last_message.text
    await c.click(t._("Semester"))
    await c.click("2027-S1")
    assert t._("{field}: {old} → {new}", field=t._("Semester"), old=t.iso("2026-S2"),
               new=t.iso("2027-S1")) in c.last_message.text
    await c.click(t._("✅ Confirm"))
    assert t._("A new draft version was started with this change; the returned one stays as it "
               "was.") in c.last_message.text
    # The returned version is as the national team saw it; the new draft carries the change.
    assert (await db_row(app, "SELECT semester FROM plan_lines WHERE id = ?", line))[0] == "2026-S2"
    new = await db_row(app, "SELECT v.number, v.status, l.semester, l.target_people FROM plan_lines l"
                            " JOIN plan_versions v ON v.id = l.version_id WHERE v.id != ?"
                            " AND v.plan_id = (SELECT plan_id FROM plan_versions WHERE id = ?)",
                       version, version)
    assert tuple(new) == (2, "draft", "2027-S1", 10)
    await c.click(t._("« Back to the plan"))
    assert t._("✏️ Edit {n}", n=t.number(1)) in buttons(c)  # the draft's line, editable again


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_validated_plan_needs_a_new_version_and_others_are_refused(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    version, line = await plan_with_a_line(app, "validated")
    c = await focal(app, person, lang)
    await c.send("/prc")
    assert t._("A validated or active plan is not changed in place: a new version is started to "
               "change its lines.") in c.last_message.text
    assert t._("✏️ Edit {n}", n=t.number(1)) not in buttons(c)
    await c.click_data(EditField(line, "people").pack())  # a button kept from the draft
    assert c.last_answer["text"] == plan_error(t, "not_editable")
    assert (await db_row(app, "SELECT target_people FROM plan_lines WHERE id = ?", line))[0] == 10
    # Another administration's focal point cannot open the line's fields.
    other = await focal(app, person, lang, OTHER, "MJ")
    await other.send("/prc")
    await other.click_data(EditLine(line).pack())
    assert other.last_answer["text"] == plan_error(t, "not_allowed")


async def test_the_national_team_edits_a_draft_line_from_plans(app, person, fr):
    version, line = await plan_with_a_line(app)
    await onboard(app, 8873, "fr", administration_code="MTNRA")
    await grant(app, 8873, "coordinator")
    c = person(8873, "fr")
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(fr._("Open {i}", i=fr.number(order.index("MEF") + 1)))
    await c.click(fr._("✏️ Edit {n}", n=fr.number(1)))
    await c.click(fr._("Priority"))
    await c.click(fr._("1 — high"))
    await c.click(fr._("✅ Confirm"))
    assert fr._("✅ Line changed.") in c.last_message.text
    assert (await db_row(app, "SELECT priority FROM plan_lines WHERE id = ?", line))[0] == 1
    await c.click(fr._("« Back to the plan"))  # the national view again: its decisions, no Submit
    assert fr._("« All plans") in [b for row in c.last_message.buttons for b in row]
