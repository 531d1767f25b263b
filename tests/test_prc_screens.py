"""The competence plans in the chat: a focal point's /prc (create, add a line step by step,
delete, link a session, submit, revise after a return) and the national /plans (list, open,
validate, return with a reason, the common plan), in French and Arabic, with the refusals."""

from __future__ import annotations

import pytest

from bot.services.access import Role
from handlers.access import refusal
from tests.conftest import db_row, drain, grant, onboard

FOCAL, NATIONAL, OFFICIAL = 8801, 8802, 8803


def theme_name(app, t, code="DATA"):
    theme = app.bot_data.reference.get("themes", code)
    return t.pick(theme.name_fr, theme.name_ar)


async def focal_point(app, person, lang, user_id=FOCAL, admin="MEF"):
    await onboard(app, user_id, lang, administration_code=admin)
    await grant(app, user_id, "focal_point", admin)
    return person(user_id, lang)


async def national(app, person, lang, user_id=NATIONAL):
    await onboard(app, user_id, lang, administration_code="MTNRA")
    await grant(app, user_id, "coordinator")
    return person(user_id, lang)


async def add_line_through_the_flow(app, c, t):
    await c.click(t._("➕ Add a line"))
    assert t._("New plan line: which theme? (/cancel to stop)") in c.last_message.text
    await c.click(theme_name(app, t))
    await c.click(t._("Any training of the theme"))
    await c.click(t._("As the theme or training says"))
    await c.click(t._("Any"))  # position
    await c.click(t._("central"))  # no region is asked for the central level
    assert t._("How many people to train? Type a whole number.") in c.last_message.text
    await c.send("dix")
    assert c.last_message.text == t._("The number of people must be a whole number above zero.")
    await c.send("10")
    await c.send("12")
    assert c.last_message.text == t._("There cannot be more women than people.")
    await c.send("4")
    await c.send("70")
    await c.click("2026-S2")
    await c.click(t._("1 — high"))
    summary = c.last_message.text
    assert t._("People: {people}, of whom women: {women}", people=t.number(10), women=t.number(4)) in summary
    # Change the number of people: the women are asked again against it.
    await c.click(t._("✏️ Change"))
    await c.click(t._("People"))
    await c.send("12")
    assert t._("Of whom how many women? Type a whole number (0 if none is set).") in c.last_message.text
    await c.send("5")
    await c.click(t._("✅ Confirm"))
    assert t._("✅ Line added.") in c.last_message.text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_focal_point_builds_links_and_submits_a_plan(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    c = await focal_point(app, person, lang)
    await c.send("/prc")
    assert t.to_person("Your administration has no competence plan yet. For which period do you "
                       "create it?") in c.last_message.text
    await c.click("2026–2027")
    assert t._("This plan has no line yet.") in c.last_message.text
    await add_line_through_the_flow(app, c, t)
    line = await db_row(app, "SELECT l.id, theme_code, training_id, track, level, region_code, target_people,"
                             " target_women, target_hours, semester, priority FROM plan_lines l"
                             " JOIN plan_versions v ON v.id = l.version_id JOIN plans p ON p.id = v.plan_id"
                             " WHERE p.administration_code = 'MEF'")
    assert tuple(line)[1:] == ("DATA", None, "strategique", "central", None, 12, 5, 70.0, "2026-S2", 1)
    await c.click(t._("« Back to the plan"))
    view = c.last_message.text
    assert t._("{n}. <b>{what}</b> · {track} · {semester} · priority {priority}", n=t.number(1),
               what=theme_name(app, t), track=t._("strategic"), semester=t.iso("2026-S2"),
               priority=t.number(1)).replace("<b>", "").replace("</b>", "") in view
    # The status is a symbol and a word, never a colour alone.
    words = [f"{s} {w}" for s, w in (("✅", t._("reached")), ("🟢", t._("on track")),
                                     ("🟠", t._("behind")), ("🔴", t._("late")))]
    assert any(w in view for w in words)
    # Link a demo session of the theme.
    await c.click(t._("🔗 Sessions of {n}", n=t.number(1)))
    linking = t._("Sessions serving this line (☑️ linked). Press one to link or unlink it:")
    assert linking in c.last_message.text
    await c.press(1)
    assert (await db_row(app, "SELECT COUNT(*) FROM plan_line_sessions WHERE line_id = ?", line[0]))[0] == 1
    assert c.last_answer["text"] == t._("Session linked.")
    # A second line, deleted while the plan is a draft.
    await c.click(t._("« Back to the plan"))
    await add_line_through_the_flow(app, c, t)
    await c.click(t._("« Back to the plan"))
    await c.click(t._("🗑 Delete {n}", n=t.number(2)))
    await c.click(t._("🗑 Delete"))
    assert c.last_answer["text"] == t._("Line deleted.")
    version = (await db_row(app, "SELECT version_id FROM plan_lines WHERE id = ?", line[0]))[0]
    assert (await db_row(app, "SELECT COUNT(*) FROM plan_lines WHERE version_id = ?", version))[0] == 1
    await c.click(t._("📨 Submit to the national team"))
    assert (await db_row(app, "SELECT status FROM plan_versions WHERE id = ?", version))[0] == "submitted"
    assert f"📨 {t._('submitted')}" in c.last_message.text
    assert t._("➕ Add a line") not in [b for row in c.last_message.buttons for b in row]
    # A plan for a later period: /prc opens it, and the earlier one is a button away.
    from bot.services.access import Access

    await app.bot_data.plans.create(Access(FOCAL, focal_administration="MEF"), "MEF", 2028, 2029)
    await c.send("/prc")
    assert "2028–2029" in c.last_message.text and t._("This plan has no line yet.") in c.last_message.text
    await c.click("2026–2027")
    assert f"📨 {t._('submitted')}" in c.last_message.text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_national_team_returns_then_validates_and_the_focal_point_is_told(app, person, fr, ar,
                                                                                   lang):
    t = fr if lang == "fr" else ar
    services = app.bot_data
    from bot.services.access import Access

    focal_access = Access(FOCAL, focal_administration="MEF")
    f = await focal_point(app, person, "ar" if lang == "fr" else "fr")
    ft = ar if lang == "fr" else fr
    await f.start()
    v1 = await services.plans.create(focal_access, "MEF", 2026, 2027)
    await services.plans.add_line(focal_access, v1, {"theme_code": "DATA", "target_people": 8,
                                                     "target_women": 3, "target_hours": 56,
                                                     "semester": "2027-S1"})
    await services.plans.transition(focal_access, v1, "submit")
    n = await national(app, person, lang)
    await n.send("/plans")
    mef = app.bot_data.reference.get("administrations", "MEF")
    assert t.iso(t.pick(mef.name_fr, mef.name_ar)) in n.last_message.text
    await n.click(f"📨 {t._('submitted')}")  # the filter
    # The demo's submitted plan (MI) is listed too: MEF comes first (by period, then code).
    assert t.ngettext("<b>{n} competence plan</b>", "<b>{n} competence plans</b>", 2).replace(
        "<b>", "").replace("</b>", "") in n.last_message.text
    first = f"{t.number(1)}. {t.iso(t.pick(mef.name_fr, mef.name_ar))}"
    assert n.last_message.text.split("\n")[1].startswith(first)
    await n.click(t._("Open {i}", i=t.number(1)))
    assert t._("✅ Validate") in [b for row in n.last_message.buttons for b in row]
    assert t._("🗑 Delete {n}", n=t.number(1)) not in [b for row in n.last_message.buttons for b in row]
    await n.click(t._("↩️ Return"))
    await n.send("Cibles femmes trop basses")
    assert n.last_message.text.startswith(t._("↩️ Returned: the focal points are told, with the reason."))
    row = await db_row(app, "SELECT status, reason FROM plan_versions WHERE id = ?", v1)
    assert tuple(row) == ("returned", "Cibles femmes trop basses")
    await drain(app)
    assert ft._("Reason: {reason}", reason=ft.iso("Cibles femmes trop basses")) in f.last_message.text
    # The focal point sees the reason and starts a new version.
    await f.send("/prc")
    assert "Cibles femmes trop basses" in f.last_message.text
    await f.click(ft._("📝 Start a new version"))
    v2 = (await db_row(app, "SELECT MAX(id) FROM plan_versions"))[0]
    row = await db_row(app, "SELECT number, status FROM plan_versions WHERE id = ?", v2)
    assert tuple(row) == (2, "draft")
    await f.click(ft._("📨 Submit to the national team"))
    await n.send("/plans")
    await n.click(f"📨 {t._('submitted')}")
    await n.click(t._("Open {i}", i=t.number(1)))
    await n.click(t._("✅ Validate"))
    assert (await db_row(app, "SELECT status FROM plan_versions WHERE id = ?", v2))[0] == "validated"
    assert t._("▶️ Activate") in [b for row in n.last_message.buttons for b in row]
    await drain(app)
    assert ft._("✅ Your competence plan {start}–{end} ({administration}, version {number}) was validated by "
                "the national team.", start=2026, end=2027, number=ft.number(2),
                administration=ft.iso(ft.pick(mef.name_fr, mef.name_ar))) in f.last_message.text
    # The common plan counts the validated targets beside demand.
    await n.click(t._("« All plans"))
    await n.click(t._("🧮 Common plan"))
    assert t._("🎯 {people} people ({women} women), {hours} h — {lines} lines in {plans} plans",
               people=t.number(8), women=t.number(3), hours=t.number(56.0), lines=t.number(1),
               plans=t.number(1)) in n.last_message.text


async def test_an_official_and_a_focal_point_are_refused_with_the_shared_refusal(app, person, fr, ar):
    await onboard(app, OFFICIAL, "ar")
    official = person(OFFICIAL, "ar")
    await official.send("/prc")
    assert official.last_message.text == refusal(ar, Role.COORDINATOR)
    await official.send("/plans")
    assert official.last_message.text == refusal(ar, Role.NATIONAL)
    focal = await focal_point(app, person, "fr")
    await focal.send("/plans")
    assert focal.last_message.text == refusal(fr, Role.NATIONAL)
    # A focal point of another administration cannot open, nor change, MEF's plan.
    from bot.services.access import Access

    version = await app.bot_data.plans.create(Access(FOCAL, focal_administration="MEF"), "MEF", 2026, 2027)
    other = await focal_point(app, person, "fr", user_id=8804, admin="MJ")
    await other.send("/prc")
    await other.click_data(f"v1:prc:o:{version}:0:0")
    assert other.last_answer["text"] == fr._("This plan belongs to another administration.")
    await other.click_data(f"v1:prc:sub:{version}")
    await official.click_data(f"v1:pln:do:{version}:validate")
    assert official.last_answer["text"] == refusal(ar, Role.NATIONAL)
    assert (await db_row(app, "SELECT status FROM plan_versions WHERE id = ?", version))[0] == "draft"


def test_a_callback_field_cannot_shadow_its_action_name():
    """A field named `action` took the class's action code as its value: the button's data named
    another action than its handler's, and every press said "no longer valid"."""
    from dataclasses import dataclass

    from handlers.buttons import Callback

    @dataclass(frozen=True)
    class Shadowing(Callback, feature="tst", action="sh"):
        version: int
        action: str

    with pytest.raises(TypeError):
        Shadowing(1, "validate").pack()
