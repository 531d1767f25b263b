"""Nested reservations (a ministry and one of its directorates both reserved on a session): an
official counts against the most specific reservation only — the directorate's — so the
ministry's places stay held for its other officials, and each reservation's figures say so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.storage.quotas import covers, of_session, set_quota
from tests.conftest import make_session
from tests.test_quota_children import directorates
from tests.test_quotas import join, statuses


async def nested(app, clock, capacity: int) -> int:
    """MEF holds 3 places and its directorate DGI 2, for two days."""
    await directorates(app)
    sid = await make_session(app, f"T-NEST{capacity}", capacity=capacity)
    release = clock.now() + timedelta(days=2)
    await app.bot_data.db.write(set_quota, sid, "MEF", 3, release)
    await app.bot_data.db.write(set_quota, sid, "DGI", 2, release)
    return sid


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_directorate_official_fills_the_directorate_places_not_the_ministry(app, person, clock, lang):
    """Capacity 5 = 3 (MEF) + 2 (DGI). Two DGI officials fill DGI's places; a third waits (the
    three places left are MEF's, for its other officials: before, she took one of them, counted
    against both); three MEF officials take MEF's places; an MJ official waits."""
    sid = await nested(app, clock, 5)
    for uid in (9601, 9602, 9603):
        await join(person, uid, lang, sid, "DGI", app)
    assert await statuses(app, sid) == {9601: "confirmed", 9602: "confirmed", 9603: "waitlisted"}
    for uid in (9611, 9612, 9613):
        await join(person, uid, lang, sid, "MEF", app)
    await join(person, 9621, lang, sid, "MJ", app)
    assert await statuses(app, sid) == {9601: "confirmed", 9602: "confirmed", 9603: "waitlisted",
                                        9611: "confirmed", 9612: "confirmed", 9613: "confirmed",
                                        9621: "waitlisted"}


async def test_each_reservation_counts_its_own_officials(app, person, clock):
    """The figures a coordinator reads: DGI's officials (and its division's) count under DGI
    only; MEF's under MEF."""
    sid = await nested(app, clock, 10)
    for uid, code in ((9631, "DGI"), (9632, "DGI-RAB"), (9633, "MEF")):
        await join(person, uid, "fr", sid, code, app)
    found = {q.administration: q for q in await app.bot_data.db.read(of_session, sid)}
    assert (found["MEF"].filled, found["MEF"].by_administration) == (1, {"MEF": 1})
    assert (found["DGI"].filled, found["DGI"].by_administration) == (2, {"DGI": 1, "DGI-RAB": 1})
    counted = await app.bot_data.db.read(covers, sid)
    assert counted == {"MEF": frozenset({"MEF"}), "DGI": frozenset({"DGI", "DGI-RAB"})}



async def test_once_the_directorate_places_are_released_the_ministry_admits_its_officials(app, person, clock):
    """Capacity 3, MEF's 3 places still held, DGI's own reservation released yesterday: DGI's
    officials are MEF's again and take its places; an MJ official waits."""
    await directorates(app)
    sid = await make_session(app, "T-NEST-REL", capacity=3)
    await app.bot_data.db.write(set_quota, sid, "MEF", 3, clock.now() + timedelta(days=2))
    await app.bot_data.db.write(set_quota, sid, "DGI", 1, clock.now() - timedelta(days=1))
    for uid in (9641, 9642):
        await join(person, uid, "fr", sid, "DGI", app)
    await join(person, 9643, "ar", sid, "MJ", app)
    await join(person, 9644, "ar", sid, "DGI-RAB", app)
    assert await statuses(app, sid) == {9641: "confirmed", 9642: "confirmed", 9643: "waitlisted",
                                        9644: "confirmed"}
