"""Sessions in parts: attendance per part, attended or partial by the training's rule, the hours
actually attended in the indicators, one calendar event per part (issue 17)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.session_parts import PartsService
from bot.storage import indicators
from bot.storage.indicator_hours import hours as hours_attended
from bot.timeutil import to_db
from tests.conftest import db_row, make_session, onboard

AMINA = 9701


def service(app) -> PartsService:
    return app.bot_data.parts


async def three_days(app, reference="T-3DAYS", training="DAT-201"):
    """A session of three days, 9:00-16:00 (7 h each), ten days ahead; Amina has a place."""
    parts = service(app)
    sid = await make_session(app, reference, training=training, hours=7)
    session = await app.bot_data.catalogue.session(sid)
    day1 = session.starts_at
    made = [await parts.add_part(sid, day1 + timedelta(days=d), day1 + timedelta(days=d, hours=7),
                                 place_fr="Institut, Rabat", place_ar="المعهد، الرباط")
            for d in range(3)]
    await onboard(app, AMINA, "fr")
    reg = (await app.bot_data.registrations.join(AMINA, sid)).registration
    return parts, sid, made, reg


async def test_parts_set_the_session_span(app):
    parts, sid, made, _ = await three_days(app)
    session = await app.bot_data.catalogue.session(sid)
    assert (session.starts_at, session.ends_at) == (made[0].starts_at, made[2].ends_at)
    assert session.ends_at - session.starts_at == timedelta(days=2, hours=7)
    assert [p.number for p in await parts.parts(sid)] == [1, 2, 3]


async def test_a_session_without_parts_is_one_part(app):
    parts = service(app)
    sid = await make_session(app, "T-ONE", hours=3)
    session = await app.bot_data.catalogue.session(sid)
    (only,) = await parts.parts(sid)
    assert (only.id, only.starts_at, only.ends_at, only.hours) == (None, session.starts_at,
                                                                    session.ends_at, 3)


async def test_two_days_of_three_is_partial_14_of_21_hours_counted_once(app, clock):
    parts, sid, made, reg = await three_days(app)
    clock.set(made[2].ends_at + timedelta(hours=1))
    assert (await parts.mark(reg.id, made[0].id, "present", 1))[0] == "ok"
    outcome, p = await parts.mark(reg.id, made[1].id, "late", 1)
    # Two days marked, one unmarked, a share of 1.0 wanted: not decided yet.
    assert (outcome, p.outcome, p.unmarked) == ("ok", "pending", 1)
    _, p = await parts.mark(reg.id, made[2].id, "excused", 1)
    assert (p.outcome, p.hours_attended, p.hours_total, p.excused) == ("partial", 14, 21, 1)
    row = await db_row(app, "SELECT status, hours_attended FROM registrations WHERE id = ?", reg.id)
    assert tuple(row) == ("absent", 14)
    session = await app.bot_data.catalogue.session(sid)
    scope = indicators.Scope(start=to_db(session.starts_at),
                             end=to_db(session.starts_at + timedelta(seconds=1)))
    (total,) = await app.bot_data.db.read(indicators.breakdown, scope, "total")
    assert (total["registrations"], total["attended"], total["absent"]) == (1, 0, 1)
    (hours,) = await app.bot_data.db.read(hours_attended, scope, "total")
    assert (hours["people"], hours["hours"]) == (1, 14)


async def test_two_thirds_is_attended_when_the_training_asks_two_thirds(app, clock):
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE trainings SET min_presence_share = 0.66 WHERE code = 'DAT-201'"))
    parts, sid, made, reg = await three_days(app)
    clock.set(made[2].ends_at + timedelta(hours=1))
    await parts.mark(reg.id, made[0].id, "present")
    _, p = await parts.mark(reg.id, made[1].id, "present")
    assert (p.outcome, p.hours_attended) == ("attended", 14)
    row = await db_row(app, "SELECT status, hours_attended FROM registrations WHERE id = ?", reg.id)
    assert tuple(row) == ("attended", 14)
    # Attended: the hot evaluation is scheduled as for a whole-session mark.
    invites = "SELECT COUNT(*) FROM outbox WHERE user_id = ? AND kind = 'eval_invite'"
    assert (await db_row(app, invites, AMINA))[0] == 2  # hot and cold
    # A correction (day 2 absent after all) takes the attendance back: partial.
    _, p = await parts.mark(reg.id, made[1].id, "absent")
    assert p.outcome == "pending"
    assert (await db_row(app, invites, AMINA))[0] == 0  # withdrawn: not attended any more
    _, p = await parts.mark(reg.id, made[2].id, "absent")
    assert (p.outcome, p.hours_attended) == ("partial", 7)
    row = await db_row(app, "SELECT status, hours_attended FROM registrations WHERE id = ?", reg.id)
    assert tuple(row) == ("absent", 7)


async def test_marks_only_in_the_window_and_on_the_session(app, clock):
    parts, sid, made, reg = await three_days(app)
    assert (await parts.mark(reg.id, made[0].id, "present"))[0] == "closed"  # ten days early
    other = await make_session(app, "T-OTHER")
    foreign = await parts.add_part(other, made[0].starts_at, made[0].ends_at, place_fr="Ailleurs")
    clock.set(made[0].starts_at)
    assert (await parts.mark(reg.id, foreign.id, "present"))[0] == "not_found"
    with pytest.raises(ValueError):
        await parts.mark(reg.id, made[0].id, "maybe")


async def test_moving_day_two_changes_only_its_event(app):
    parts, sid, made, reg = await three_days(app)
    before = {e.part_id: e for e in await parts.events(reg.id, "fr")}
    assert [e.uid for e in before.values()] == [
        f"registration-{reg.id}-part-{p.id}@etamkeen" for p in made]
    change = await parts.change_part(made[1].id, starts_at=made[1].starts_at + timedelta(hours=1),
                                     ends_at=made[1].ends_at + timedelta(hours=1))
    assert change.parts_changed == [made[1].id]
    after = {e.part_id: e for e in await parts.events(reg.id, "fr")}
    assert {p: (after[p].uid, after[p].sequence) for p in after} == {
        made[0].id: (before[made[0].id].uid, 0), made[1].id: (before[made[1].id].uid, 1),
        made[2].id: (before[made[2].id].uid, 0)}
    moved = after[made[1].id].ics
    assert b"SEQUENCE:1" in moved and b"DTSTART;TZID=Africa/Casablanca:" in moved
    assert after[made[0].id].ics.count(b"BEGIN:VEVENT") == 1
    # The same values again: nothing changes, nothing to re-send.
    again = await parts.change_part(made[1].id, starts_at=change.part.starts_at)
    assert again.parts_changed == []
    (only,) = await parts.events(reg.id, "ar", only=change.parts_changed)
    assert only.part_id == made[1].id and "المعهد، الرباط".encode() in only.ics


async def test_moving_the_last_day_moves_the_session_end(app):
    parts, sid, made, _ = await three_days(app)
    catalogue = app.bot_data.catalogue
    assert (await app.bot_data.db.read(catalogue.description, sid)).ends_at == made[2].ends_at
    later = made[2].ends_at + timedelta(days=1)
    await parts.change_part(made[2].id, starts_at=made[2].starts_at + timedelta(days=1), ends_at=later)
    session = await catalogue.session(sid)
    assert (session.starts_at, session.ends_at) == (made[0].starts_at, later)
    # Cards read the cached description: it follows the change at once.
    assert (await app.bot_data.db.read(catalogue.description, sid)).ends_at == later


async def test_a_part_needs_a_place_or_a_safe_link(app):
    parts = service(app)
    sid = await make_session(app, "T-LINKS")
    s = await app.bot_data.catalogue.session(sid)
    with pytest.raises(ValueError):
        await parts.add_part(sid, s.starts_at, s.ends_at)
    with pytest.raises(ValueError):
        await parts.add_part(sid, s.starts_at, s.ends_at, online_url="http://meet.example.org/x")
    with pytest.raises(ValueError):
        await parts.add_part(sid, s.ends_at, s.starts_at, place_fr="Rabat")
    part = await parts.add_part(sid, s.starts_at, s.ends_at, online_url=" https://meet.example.org/x\n")
    assert part.online_url == "https://meet.example.org/x"
