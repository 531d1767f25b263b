"""Places reserved for an administration admit its child administrations' officials (every
descendant through parent_code), not a sibling's before the release; a focal point of the
parent sees the children's figures in the reserved places screen (read-only, from /roster)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.storage.quotas import Holds, set_quota
from tests.conftest import db_row, grant, make_session, onboard
from tests.test_quotas import join, statuses

# MEF's directorate DGI, and DGI's own division: grandchildren count as children.
TREE = [("DGI", "Direction générale des impôts", "المديرية العامة للضرائب", "MEF"),
        ("DGI-RAB", "DGI, direction régionale de Rabat", "المديرية الجهوية للضرائب بالرباط", "DGI")]


async def directorates(app) -> None:
    await app.bot_data.db.write(lambda conn: conn.executemany(
        "INSERT INTO administrations (code, name_fr, name_ar, parent_code) VALUES (?, ?, ?, ?)", TREE))
    await app.bot_data.reference.reload(app.bot_data.db)


async def test_a_ministry_quota_admits_its_directorates_not_a_sibling_ministry(app, person, clock):
    """Capacity 3, 2 held for MEF for two days: an MJ official takes the one seat left; a
    second MJ official is queued (the places left are MEF's); officials of MEF's directorate
    and of its division take the held places."""
    await directorates(app)
    sid = await make_session(app, "T-TREE", capacity=3)
    await app.bot_data.db.write(set_quota, sid, "MEF", 2, clock.now() + timedelta(days=2))
    await join(person, 9501, "fr", sid, "MJ", app)
    await join(person, 9502, "fr", sid, "MJ", app)
    await join(person, 9503, "ar", sid, "DGI", app)
    await join(person, 9504, "fr", sid, "DGI-RAB", app)
    assert await statuses(app, sid) == {9501: "confirmed", 9502: "waitlisted", 9503: "confirmed",
                                        9504: "confirmed"}


async def test_before_the_release_a_sibling_waits_and_a_child_passes_the_line(app, person, clock):
    """Capacity 2, both held for MEF: an MJ official is queued; a DGI official arriving later
    passes her (the place is held for DGI's ministry)."""
    await directorates(app)
    sid = await make_session(app, "T-TREE2", capacity=2)
    await app.bot_data.db.write(set_quota, sid, "MEF", 2, clock.now() + timedelta(days=2))
    await join(person, 9511, "fr", sid, "MJ", app)
    await join(person, 9512, "fr", sid, "DGI-RAB", app)
    assert await statuses(app, sid) == {9511: "waitlisted", 9512: "confirmed"}


def test_holds_count_a_child_for_its_ancestors_reservation():
    held = Holds({"MEF": 1, "MJ": 1}, covers={"MEF": frozenset({"MEF", "DGI"}), "MJ": frozenset({"MJ"})})
    assert held.allows(1, 3, "DGI") and not held.allows(1, 3, "MI")
    held.take("DGI")
    assert held.remaining == {"MEF": 0, "MJ": 1}
    assert held.allows(1, 3, "MI")  # MEF's place went to its directorate


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_parent_focal_point_sees_the_children_figures(app, person, fr, ar, lang, clock):
    t = fr if lang == "fr" else ar
    await directorates(app)
    sid = await make_session(app, "T-TREE3", capacity=10)
    await app.bot_data.db.write(set_quota, sid, "MEF", 4, clock.now() + timedelta(days=2))
    await app.bot_data.db.write(set_quota, sid, "MJ", 2, None)
    for uid, code in ((9521, "MEF"), (9522, "DGI"), (9523, "DGI-RAB"), (9524, "MJ")):
        await join(person, uid, "fr", sid, code, app)
    await onboard(app, 9530, lang, administration_code="MEF")
    await grant(app, 9530, "focal_point", "MEF")
    c = person(9530, lang)
    await c.send("/roster")
    title = await db_row(app, "SELECT t.title_fr, t.title_ar FROM sessions s JOIN trainings t"
                              " ON t.id = s.training_id WHERE s.id = ?", sid)
    await c.click(t.pick(*title))
    await c.click("T-TREE3")
    await c.click(t._("🎟 Reserved places"))
    text = c.last_message.text
    assert t.ngettext("{n} place reserved, {filled} taken", "{n} places reserved, {filled} taken",
                      4, filled=t.number(3)) in text
    for code, n in (("MEF", 1), ("DGI", 1), ("DGI-RAB", 1)):
        assert f"↳ {code} — " in text and f": {t.number(n)}" in text
    assert "MJ —" not in text  # a sibling ministry's reservation is not theirs to see
    # Read-only: no typed line is waited for.
    assert t._("No places are reserved on this session.") not in text
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = 9530"))[0] == 0
