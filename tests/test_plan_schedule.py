"""Scheduling a session from plan lines (issue 16): a national coordinator ticks lines of one
theme from several administrations' validated plans, /newsession opens prefilled (training,
capacity = the remaining targets, dates suggested in the semester), and publishing links the
session to the lines and reserves places per administration until the release date; the
lines' achieved figures then count its attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.access import Access
from bot.services.plans import PlanError
from bot.timeutil import from_db, to_db
from handlers import labels
from tests.conftest import db_row, grant, onboard

NATIONAL = 8851
BOSS = Access(user_id=8850, national=True)


async def validated_line(app, administration: str, people: int, training: str | None = None,
                         status: str = "validated") -> int:
    services = app.bot_data
    focal = Access(user_id=8852, focal_administration=administration)
    version = await services.plans.create(focal, administration, 2026, 2027)
    training_id = None
    if training:
        training_id = (await db_row(app, "SELECT id FROM trainings WHERE code = ?", training))[0]
    line = await services.plans.add_line(focal, version, {
        "theme_code": "DATA", "training_id": training_id, "target_people": people, "target_women": 1,
        "target_hours": 7 * people, "semester": "2027-S1", "priority": 1})
    await services.plans.transition(focal, version, "submit")
    if status == "validated":
        await services.plans.transition(BOSS, version, "validate")
    return line


async def coordinator(app, person, lang):
    await onboard(app, NATIONAL, lang, administration_code="MTNRA")
    await grant(app, NATIONAL, "coordinator")
    return person(NATIONAL, lang)


async def answer_the_session(app, c, t) -> None:
    """The questions /newsession still asks once lines prefilled it: dates, place (the same in
    Arabic), region, language, no approval."""
    for typed in ("2027-02-10 09:00", "2027-02-10 17:00", "Salle 3, Rabat"):
        await c.send(typed)
    await c.click(t._("Same as in French"))
    region = app.bot_data.reference.get("regions", "RSK")
    await c.click(t.pick(region.name_fr, region.name_ar))
    await c.click(labels.session_language(t, "fr"))
    await c.click(t._("No"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_lines_of_two_administrations_become_one_session_with_their_places(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    mef = await validated_line(app, "MEF", 8, training="DAT-201")
    mj = await validated_line(app, "MJ", 5)
    c = await coordinator(app, person, lang)
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(t._("Open {i}", i=t.number(order.index("MEF") + 1)))
    await c.click(t._("📅 Schedule from {n}", n=t.number(1)))
    screen = c.last_message.text
    assert t._("<b>Schedule a session from plan lines</b>").replace("<b>", "").replace("</b>", "") in screen
    assert t.ngettext("{n} person still to train", "{n} people still to train", 8) in screen
    assert t.ngettext("{n} person still to train", "{n} people still to train", 5) in screen
    await c.click("☐ " + t.number(2))  # the MJ line, of the same theme
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 2))
    # The MEF line names its training: not asked; the dates are suggested in the semester.
    assert t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.") in c.last_message.text
    assert "2027-S1" in c.last_message.text
    # The capacity is the lines' remaining targets (8 + 5): not asked.
    await answer_the_session(app, c, t)
    assert t.to_person("Until when are the places held for the plans' administrations? Type a date as "
               "YYYY-MM-DD (or YYYY-MM-DD HH:MM), or press a button.") in c.last_message.text
    await c.send("2027-03-01")  # after the start: refused
    assert c.last_message.text == t._("Please write a date to come and before the start, as "
                                      "YYYY-MM-DD (or YYYY-MM-DD HH:MM).")
    summary = (await c.send("2027-02-03"))[-1].text
    ref = app.bot_data.reference
    for code, n in (("MEF", 8), ("MJ", 5)):
        admin = ref.get("administrations", code)
        assert t.ngettext("{administration}: {n} place reserved", "{administration}: {n} places reserved",
                          n, administration=t.pick(admin.name_fr, admin.name_ar)) in summary
    assert t.ngettext("📋 Serves {n} plan line", "📋 Serves {n} plan lines", 2) in summary
    assert t.ngettext("{n} place", "{n} places", 13) in summary
    assert t._("✏ Training") not in [b for row in c.last_message.buttons for b in row]  # the lines name it
    # Changed from the summary: a week before the start.
    await c.click(t._("✏ Reserved until"))
    await c.click(t._("A week before the start ({date})", date=t.date(
        from_db(await _start_of_draft(app)) - timedelta(days=7))))
    await c.click(t._("✅ Publish"))
    assert t._("✅ The session is published.") in c.last_message.text
    sid, capacity, starts = await db_row(app, "SELECT id, capacity, starts_at FROM sessions"
                                              " ORDER BY id DESC LIMIT 1")
    assert capacity == 13
    linked = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT line_id FROM plan_line_sessions WHERE session_id = ? ORDER BY line_id", (sid,)).fetchall())
    assert [r[0] for r in linked] == sorted([mef, mj])
    quotas = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT administration_code, places, release_at FROM session_quotas WHERE session_id = ?"
        " ORDER BY administration_code", (sid,)).fetchall())
    release = to_db(from_db(starts) - timedelta(days=7))
    assert [tuple(q) for q in quotas] == [("MEF", 8, release), ("MJ", 5, release)]
    # The lines' achieved figures count the session's attendance (and only for their administration).
    await onboard(app, 8860, "fr", administration_code="MEF")
    await onboard(app, 8861, "fr", administration_code="MJ")
    await app.bot_data.db.write(lambda conn: conn.executemany(
        "INSERT INTO registrations (session_id, user_id, status, seq, created_at, updated_at)"
        " VALUES (?, ?, 'attended', ?, ?, ?)",
        [(sid, u, i, starts, starts) for i, u in ((1, 8860), (2, 8861))]))
    for line, admin in ((mef, "MEF"), (mj, "MJ")):
        version = (await db_row(app, "SELECT version_id FROM plan_lines WHERE id = ?", line))[0]
        progress = await app.bot_data.plan_progress.of_version(version)
        mine = next(p for p in progress.lines if p.line["id"] == line)
        assert (mine.sessions, mine.people) == (1, 1), admin
    # What was scheduled is audited, line by line.
    assert (await db_row(app, "SELECT COUNT(*) FROM audit WHERE action = 'plan_link'"))[0] == 2


async def _start_of_draft(app) -> str:
    import json

    row = await db_row(app, "SELECT data FROM drafts WHERE user_id = ?", NATIONAL)
    return json.loads(row[0])["start"]


async def test_lines_that_cannot_share_a_session_are_refused(app):
    services = app.bot_data.plan_schedule
    a = await validated_line(app, "MEF", 4, training="DAT-201")
    b = await validated_line(app, "MJ", 4, training="DAT-202")
    submitted = await validated_line(app, "MEE", 4, status="submitted")
    with pytest.raises(PlanError) as refused:
        await services.proposal(BOSS, [a, b])
    assert refused.value.code == "mixed_trainings"
    with pytest.raises(PlanError) as refused:
        await services.proposal(BOSS, [submitted])
    assert refused.value.code == "not_schedulable"
    with pytest.raises(PlanError) as refused:
        await services.proposal(Access(user_id=1, focal_administration="MEF"), [a])
    assert refused.value.code == "not_allowed"
    # A line's remaining target shrinks with the people already trained; capacity is their sum.
    proposal = await services.proposal(BOSS, [a])
    assert (proposal.training is not None, proposal.capacity, proposal.remaining) == (True, 4, {"MEF": 4})


async def test_nothing_is_created_when_the_session_cannot_serve_the_lines(app):
    """The link and the reserved places are made in the session's own transaction: a training
    of another theme (or a release the quota refuses) leaves no session behind."""
    line = await validated_line(app, "MJ", 5)
    other = (await db_row(app, "SELECT id FROM trainings WHERE code = 'CYB-101'"))[0]
    data = (await db_row(app, "SELECT id FROM trainings WHERE code = 'DAT-201'"))[0]
    before = (await db_row(app, "SELECT COUNT(*) FROM sessions"))[0]
    start = app.bot_data.clock.now() + timedelta(days=60)
    fields = dict(starts_at=start, ends_at=start + timedelta(hours=7), place_fr="Rabat",
                  place_ar="الرباط", region_code="RSK", online_url=None, needs_approval=False)
    with pytest.raises(PlanError) as refused:
        await app.bot_data.plan_schedule.create(BOSS, [line], None, 5, training_id=other, **fields)
    assert refused.value.code == "mixed_themes"
    with pytest.raises(PlanError) as refused:  # a release after the start
        await app.bot_data.plan_schedule.create(BOSS, [line], start + timedelta(days=1), 5,
                                                training_id=data, **fields)
    assert refused.value.code == "quota_refused"
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions"))[0] == before
    assert (await db_row(app, "SELECT COUNT(*) FROM plan_line_sessions WHERE line_id = ?", line))[0] == 0


async def test_a_training_given_at_a_distance_asks_the_link(app, person, fr):
    await validated_line(app, "MEF", 6, training="DAT-202")  # distanciel
    line = await validated_line(app, "MJ", 4, training="DAT-202")
    c = await coordinator(app, person, "fr")
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(fr._("Open {i}", i=fr.number(order.index("MJ") + 1)))
    await c.click(fr._("📅 Schedule from {n}", n=fr.number(1)))
    await c.click("☐ " + fr.number(2))
    await c.click(fr.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 2))
    await c.send("2027-03-10 09:00")
    await c.send("2027-03-10 12:00")
    assert c.last_message.text == fr._("Link of the online meeting, starting with https:// (Teams, Zoom, "
                                       "Meet…).")
    await c.send("https://meet.example.org/plan")
    await c.click(labels.session_language(fr, "fr"))
    await c.click(fr._("No"))
    await c.click(fr._("Until registration closes"))
    summary = c.last_message.text
    assert fr._("Reserved until registration closes") in summary
    assert fr.ngettext("{n} place", "{n} places", 10) in summary
    await c.click(fr._("✅ Publish"))
    sid = (await db_row(app, "SELECT session_id FROM plan_line_sessions WHERE line_id = ?", line))[0]
    assert tuple(await db_row(app, "SELECT online_url, capacity FROM sessions WHERE id = ?", sid)) == (
        "https://meet.example.org/plan", 10)
    assert (await db_row(app, "SELECT COUNT(*) FROM session_quotas WHERE session_id = ?"
                              " AND release_at IS NULL", sid))[0] == 2


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_common_plan_schedules_a_theme(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    line = await validated_line(app, "MJ", 5)
    c = await coordinator(app, person, lang)
    await c.send("/plans")
    await c.click(t._("🧮 Common plan"))
    theme = app.bot_data.reference.get("themes", "DATA")
    await c.click(t._("📅 Schedule: {theme}", theme=t.pick(theme.name_fr, theme.name_ar)))
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 0))
    assert c.last_message.text == t._("Tick at least one line.")
    await c.click("☐ " + t.number(1))
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 1))
    # No line names a training: it is asked among the theme's trainings only (in the screen
    # the choice was made in: the refusal above is a message of its own).
    screen = next(m for m in reversed(c.messages) if m.buttons)
    assert t._("New session: which training? (/cancel to stop)") in screen.text
    offered = [b for row in screen.buttons for b in row]
    titles = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT title_fr, title_ar, theme_code FROM trainings").fetchall())
    assert {b for b in offered if b not in ("◀", "▶") and "/" not in b} == {
        t.pick(r[0], r[1]) for r in titles if r[2] == "DATA"}
    await c.send("/cancel")
    assert (await db_row(app, "SELECT COUNT(*) FROM plan_line_sessions WHERE line_id = ?", line))[0] == 0
