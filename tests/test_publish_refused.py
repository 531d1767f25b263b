"""Publishing a new session refused at the last moment keeps the coordinator's answers: the
refused answer is asked again (the release date of the plan lines' reserved places, or the
dates when the start has passed while the summary waited), then Publish works. Before, the
draft was dropped first and every answer was lost (and a start in the past was published)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.timeutil import from_local
from tests.conftest import db_row, grant, onboard
from tests.test_plan_schedule import BOSS, answer_the_session, coordinator, validated_line


async def sessions(app) -> int:
    return (await db_row(app, "SELECT COUNT(*) FROM sessions"))[0]


async def draft_step(app, uid: int) -> str | None:
    row = await db_row(app, "SELECT step FROM drafts WHERE user_id = ? AND flow = 'new_session'", uid)
    return row[0] if row else None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_release_date_passed_before_publishing_is_asked_again(app, person, fr, ar, clock, lang):
    t = fr if lang == "fr" else ar
    await validated_line(app, "MEF", 6, training="DAT-201")
    c = await coordinator(app, person, lang)
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(t._("Open {i}", i=t.number(order.index("MEF") + 1)))
    await c.click(t._("📅 Schedule from {n}", n=t.number(1)))
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 1))
    await answer_the_session(app, c, t)
    await c.send("2027-02-03")
    before = await sessions(app)
    clock.set(from_local(datetime(2027, 2, 4, 8, 0)))  # the summary waited past the release date
    shown = await c.click(t._("✅ Publish"))
    said = "\n".join(m.text or "" for m in shown)
    assert t._("The places could not be reserved: the release date is no longer possible, nothing "
               "was published. Please choose another.") in said
    assert c.last_message.text.startswith(t.to_person("Until when are the places held for the plans' "
                                              "administrations? Type a date as YYYY-MM-DD (or "
                                              "YYYY-MM-DD HH:MM), or press a button."))
    assert await sessions(app) == before and await draft_step(app, c.user_id) == "release"
    await c.click(t._("Until registration closes"))
    summary = c.last_message.text  # every other answer kept
    assert "Salle 3, Rabat" in summary and t.ngettext("{n} place", "{n} places", 6) in summary
    await c.click(t._("✅ Publish"))
    assert t._("✅ The session is published.") in c.last_message.text
    sid, place = await db_row(app, "SELECT id, place_fr FROM sessions ORDER BY id DESC LIMIT 1")
    assert place == "Salle 3, Rabat"
    assert tuple(await db_row(app, "SELECT administration_code, places, release_at FROM session_quotas"
                                   " WHERE session_id = ?", sid)) == ("MEF", 6, None)
    assert await draft_step(app, c.user_id) is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_start_passed_before_publishing_asks_the_dates_again(app, person, fr, ar, clock, lang):
    t = fr if lang == "fr" else ar
    training = await db_row(app, "SELECT title_fr, title_ar FROM trainings WHERE code = 'PRJ-101'")
    await onboard(app, 9701, lang)
    await grant(app, 9701, "coordinator")
    c = person(9701, lang)
    await c.send("/newsession")
    title = t.pick(*training)
    while title not in [b for row in c.last_message.buttons for b in row]:
        await c.click("▶")
    await c.click(title)
    start = datetime(2027, 2, 10, 9, 0)
    for typed in ("2027-02-10 09:00", "2027-02-10 17:00", "Salle 1, Fès", "قاعة 1، فاس"):
        await c.send(typed)
    await c.click("Fès-Meknès" if lang == "fr" else "فاس مكناس")
    await c.click(t.pgettext("session language", "French and Arabic"))
    await c.send("٢٠")
    await c.click(t._("No"))
    before = await sessions(app)
    clock.set(from_local(start.replace(hour=10)))  # the start has passed meanwhile
    shown = await c.click(t._("✅ Publish"))
    assert t._("The start has passed meanwhile: nothing was published. Please write new dates.") in \
        "\n".join(m.text or "" for m in shown)
    assert c.last_message.text == t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.")
    assert await sessions(app) == before and await draft_step(app, c.user_id) == "start"
    await c.send("2027-03-10 09:00")
    await c.send("2027-03-10 17:00")
    assert "Salle 1, Fès" in c.last_message.text  # the place, region, places… kept
    await c.click(t._("✅ Publish"))
    assert t._("✅ The session is published.") in c.last_message.text
    row = await db_row(app, "SELECT starts_at, capacity, place_fr FROM sessions ORDER BY id DESC LIMIT 1")
    assert tuple(row) == ("2027-03-10 09:00:00", 20, "Salle 1, Fès")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_training_of_another_theme_is_asked_again(app, person, fr, ar, lang):
    """A training of another theme than the lines' (a forged pick: the list offers the theme's)
    is refused at publishing; the training is asked again, everything else kept."""
    from conversations.new_session_questions import PickTraining

    t = fr if lang == "fr" else ar
    line = await validated_line(app, "MJ", 4)
    c = await coordinator(app, person, lang)
    await c.send("/plans")
    order = [p["administration_code"] for p in await app.bot_data.plans.plans(BOSS)]
    await c.click(t._("Open {i}", i=t.number(order.index("MJ") + 1)))
    await c.click(t._("📅 Schedule from {n}", n=t.number(1)))
    await c.click(t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", 1))
    other, title = await db_row(app, "SELECT id, title_fr FROM trainings WHERE code = 'CYB-101'")
    await c.click_data(PickTraining(other).pack())
    await answer_the_session(app, c, t)
    await c.click(t._("Until registration closes"))
    before = await sessions(app)
    shown = await c.click(t._("✅ Publish"))
    assert t._("These lines are of different themes: one session serves one theme.") in \
        "\n".join(m.text or "" for m in shown)
    assert await sessions(app) == before and await draft_step(app, c.user_id) == "training"
    data = (await db_row(app, "SELECT id FROM trainings WHERE code = 'DAT-201'"))[0]
    await c.click_data(PickTraining(data).pack())
    assert "Salle 3, Rabat" in c.last_message.text  # straight back to the summary
    await c.click(t._("✅ Publish"))
    assert t._("✅ The session is published.") in c.last_message.text
    assert (await db_row(app, "SELECT COUNT(*) FROM plan_line_sessions WHERE line_id = ?", line))[0] == 1
    del title
