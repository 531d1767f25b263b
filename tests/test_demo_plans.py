"""The demo's competence plans: one validated (lines linked to demo sessions), one submitted, one
returned with its reason; seeding twice changes nothing; the national cockpit shows them."""

from __future__ import annotations

from bot.services.demo import seed_demo
from bot.services.plan_progress import PlanProgressService
from tests.conftest import grant, onboard
from tests.test_demo import NOW, db

__all__ = ["db"]


def _plans(conn):
    return [tuple(r) for r in conn.execute(
        """SELECT p.administration_code, p.start_year, p.end_year, v.number, v.status, v.reason,
                  (SELECT COUNT(*) FROM plan_lines l WHERE l.version_id = v.id),
                  (SELECT COUNT(*) FROM plan_line_sessions k JOIN plan_lines l ON l.id = k.line_id
                    WHERE l.version_id = v.id)
             FROM plans p JOIN plan_versions v ON v.plan_id = p.id ORDER BY p.administration_code""")]


async def test_demo_plans_cover_the_statuses_and_seeding_twice_changes_nothing(db):
    from bot.timeutil import FrozenClock

    await db.write(seed_demo, NOW)
    first = await db.read(_plans)
    await db.write(seed_demo, NOW)
    assert await db.read(_plans) == first
    by_admin = {row[0]: row for row in first}
    assert by_admin["MTNRA"][4] == "validated" and by_admin["MTNRA"][7] == 6
    assert by_admin["MI"][4] == "submitted"
    assert by_admin["MSPS"][4] == "returned" and by_admin["MSPS"][5]
    assert {row[1:3] for row in first} == {(2026, 2027)}
    # The validated plan's lines count the demo's attendance at their linked sessions.
    version = await db.read(lambda c: c.execute(
        "SELECT v.id FROM plan_versions v JOIN plans p ON p.id = v.plan_id"
        " WHERE p.administration_code = 'MTNRA'").fetchone()[0])
    progress = await PlanProgressService(db, FrozenClock(NOW)).of_version(version)
    assert all(p.sessions == 2 for p in progress.lines)


async def test_the_cockpit_shows_the_demo_plans(app, person, fr):
    await onboard(app, 8901, "fr")
    await grant(app, 8901, "coordinator")
    c = person(8901, "fr")
    await c.send("/plans")
    text = c.last_message.text
    assert fr.ngettext("<b>{n} competence plan</b>", "<b>{n} competence plans</b>", 3).replace(
        "<b>", "").replace("</b>", "") in text
    for status in ("validated", "submitted", "returned"):
        assert fr._(status) in text
