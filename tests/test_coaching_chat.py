"""Coaching in the chat (issue 17): a coach publishes a slot from /coaching; an official books
it from the coaching training's card (one of two people tapping at once gets it); after the
slot the coach records that the person came and the next objective, which reaches them — in
French and in Arabic."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.i18n import translator
from bot.timeutil import morocco
from handlers.browse_buttons import TrainingPage
from handlers.coaching import BookSlot
from tests.conftest import db_row, drain, grant, onboard

COACH, HIND, OMAR = 9881, 9882, 9883


async def test_publish_book_record_and_follow_up(app, person, fr, ar, clock):
    await onboard(app, COACH, "fr", full_name="Nadia Coach", sex="F")
    await grant(app, COACH, "trainer")
    coach = person(COACH, "fr")
    await coach.start()
    await coach.send("/coaching")
    await coach.click(fr._("➕ Publish a slot"))
    title = (await db_row(app, "SELECT title_fr, id FROM trainings WHERE code = 'TRF-102'"))
    await coach.click(title[0][:60])
    start = clock.now() + timedelta(days=3)
    await coach.send(start.astimezone(morocco()).strftime("%Y-%m-%d %H:%M"))
    await coach.click(fr.ngettext("{n} hour", "{n} hours", 1))
    await coach.click(fr._("💻 Online"))
    assert fr._("✅ The slot is published: people can book it from the training's card.") \
        in coach.last_message.text
    slot = (await db_row(app, "SELECT id FROM coaching_slots WHERE coach_id = ?", COACH))[0]

    await onboard(app, HIND, "ar", full_name="هند العلوي", sex="F")
    await onboard(app, OMAR, "fr", full_name="Omar Tazi", sex="M")
    hind, omar = person(HIND, "ar"), person(OMAR, "fr")
    for c in (hind, omar):
        await c.start()
    await hind.click_data(TrainingPage(title[1]).pack())
    await hind.click(ar._("🗓 Coaching slots"))
    assert ar.to_person("<b>Free coaching slots</b>: tap one to book it.").replace("<b>", "").replace(
        "</b>", "") in hind.last_message.text
    # Two people tap the same slot at once: one has it.
    await asyncio.gather(hind.click_data(BookSlot(slot).pack()), omar.click_data(BookSlot(slot).pack()))
    holder = (await db_row(app, "SELECT user_id FROM coaching_slots WHERE id = ?", slot))[0]
    assert holder in (HIND, OMAR)
    loser = omar if holder == HIND else hind
    lt = fr if loser is omar else ar
    assert loser.last_answer["text"] == lt._("This slot has just been taken: choose another.")
    await coach.click_data(BookSlot(slot).pack())
    assert coach.last_answer["text"] == fr._("You cannot book your own slot.")

    # Before the slot nothing is recorded; after it the coach says the person came.
    clock.set(start + timedelta(hours=2))
    await coach.send("/coaching")
    name = "هند العلوي" if holder == HIND else "Omar Tazi"
    await coach.click(f"✅ {fr.iso(name)}")
    await coach.send("Numériser deux procédures d'ici un mois")
    assert fr._("✅ Saved; the person receives the objective.") in coach.last_message.text
    row = await db_row(app, "SELECT attended, objective FROM coaching_slots WHERE id = ?", slot)
    assert tuple(row) == (1, "Numériser deux procédures d'ici un mois")
    clock.set(clock.now().replace(hour=11))
    await drain(app)
    winner = hind if holder == HIND else omar
    wt = ar if holder == HIND else translator("fr", "M")
    assert wt.to_person("🎯 After your coaching session, your next objective:") in winner.last_message.text
    assert "Numériser deux procédures" in winner.last_message.text


async def test_an_official_cannot_open_coaching(app, person, fr):
    from bot.services.access import Role
    from handlers.access import refusal

    await onboard(app, OMAR, "fr")
    omar = person(OMAR, "fr")
    await omar.start()
    await omar.send("/coaching")
    assert omar.last_message.text == refusal(fr, Role.TRAINER)
