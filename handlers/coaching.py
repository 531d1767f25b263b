"""Coaching in the chat: a coaching training's card lists its free slots and books one in a
tap; a coach's /coaching lists their slots, publishes new ones and, after a slot, records
whether the person came and the next objective (sent to the person)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext, Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.coaching import FOLLOW_UP
from bot.services.notice_reads import OutboxRow
from bot.services.outcomes import SlotBooking, SlotRecord
from handlers import notices
from handlers.access import requires
from handlers.buttons import Callback, on
from handlers.cards import when
from handlers.ui import answer, button, esc, keyboard, show


@dataclass(frozen=True)
class FreeSlots(Callback, feature="cch", action="s"):
    training: int


@dataclass(frozen=True)
class BookSlot(Callback, feature="cch", action="b"):
    slot: int


@dataclass(frozen=True)
class MySlots(Callback, feature="cch", action="me"):
    pass


@dataclass(frozen=True)
class PickTraining(Callback, feature="cch", action="pt"):
    pass


@dataclass(frozen=True)
class Publish(Callback, feature="cch", action="p"):
    training: int


@dataclass(frozen=True)
class Came(Callback, feature="cch", action="c"):
    slot: int
    attended: bool


def coaching_rows(t: Translator, training) -> list[list]:
    """The row a coaching training's card gets (handlers/catalogue.py)."""
    if training.modality != "coaching":
        return []
    return [[button(t._("🗓 Coaching slots"), FreeSlots(training.id))]]


def slot_line(t: Translator, s) -> str:
    line = f"{when(t, s.starts_at, s.ends_at)} · {esc(t.iso(s.coach_name))}"
    return f"{line} · {esc(t.iso(s.place))}" if s.place else line


async def free_slots(update: Update, context: BotContext, press: FreeSlots) -> None:
    t = context.t
    slots = await context.services.coaching.free(press.training)
    await answer(update)
    if not slots:
        return await show(update, t._("No coaching slot is free at the moment."))
    rows = [[button(f"{t.short_date(s.starts_at)} {t.time(s.starts_at)} · {t.iso(s.coach_name)}"[:60],
                    BookSlot(s.id))] for s in slots]
    await show(update, "\n".join([t.to_person("<b>Free coaching slots</b>: tap one to book it."),
                                  *(f"• {slot_line(t, s)}" for s in slots)]), keyboard(rows))


async def book(update: Update, context: BotContext, press: BookSlot) -> None:
    t = context.t
    outcome = await context.services.coaching.book(context.person.user_id, press.slot)
    if outcome is not SlotBooking.BOOKED:
        return await answer(update, t._("You cannot book your own slot.") if outcome is SlotBooking.OWN
                            else t._("This slot has just been taken: choose another."), alert=True)
    slot = await context.services.coaching.slot(press.slot)
    await answer(update)
    await show(update, "\n".join([t.to_person("✅ Your coaching slot is booked:"),
                                  f"<b>{esc(t.pick(slot.title_fr, slot.title_ar))}</b>",
                                  slot_line(t, slot)]))


async def my_slots(update: Update, context: BotContext, press: MySlots | None = None) -> None:
    t = context.t
    slots = await context.services.coaching.mine(context.person.user_id)
    now = context.services.clock.now()
    lines = [t._("<b>My coaching slots</b>")]
    rows = []
    for s in slots:
        who = esc(t.iso(s.person_name or "—")) if s.user_id else t._("free")
        line = f"• {slot_line(t, s)} — {who}"
        if s.attended is not None:
            line += " — " + (t._("came") if s.attended else t._("did not come"))
        lines.append(line)
        if s.user_id and s.attended is None and s.starts_at <= now:
            name = t.iso(s.person_name or "—")
            rows.append([button(f"✅ {name}"[:30], Came(s.id, True)),
                         button(f"❌ {name}"[:30], Came(s.id, False))])
    if not slots:
        lines.append(t._("No slot yet."))
    rows.append([button(t._("➕ Publish a slot"), PickTraining())])
    await show(update, "\n".join(lines), keyboard(rows))


async def pick_training(update: Update, context: BotContext, press: PickTraining) -> None:
    t = context.t
    found = await context.services.coaching.trainings()
    await answer(update)
    if not found:
        return await show(update, t._("No coaching training is in the catalogue."))
    await show(update, t._("Which coaching training is the slot for?"), keyboard(
        [[button(t.pick(r["title_fr"], r["title_ar"])[:60], Publish(r["id"]))] for r in found]))


async def publish(update: Update, context: BotContext, press: Publish) -> None:
    from conversations.coaching_slot import begin

    await begin(update, context, press.training)


async def came(update: Update, context: BotContext, press: Came) -> None:
    from conversations.coaching_slot import ask_objective

    t = context.t
    outcome = await context.services.coaching.record(context.person.user_id, press.slot, press.attended)
    if outcome is not SlotRecord.OK:
        return await answer(update, t._("This button is no longer valid."), alert=True)
    if press.attended:
        return await ask_objective(update, context, press.slot)
    await answer(update, t._("Noted."))
    await my_slots(update, context)


@requires(Role.TRAINER)
async def coaching_command(update: Update, context: BotContext) -> None:
    await my_slots(update, context)


async def follow_up(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    slot = await services.coaching.slot(row.payload["slot"])
    if slot is None or slot.user_id != row.user_id or not slot.objective:
        return None
    return Notice("\n".join([t.to_person("🎯 After your coaching session, your next objective:"),
                             f"<b>{esc(t.pick(slot.title_fr, slot.title_ar))}</b>",
                             esc(t.iso(slot.objective))]))


RENDERERS = {FOLLOW_UP: follow_up}


def register(app: Application) -> None:
    notices.add(RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(CommandHandler("coaching", coaching_command))
    app.add_handler(on(FreeSlots, free_slots))
    app.add_handler(on(BookSlot, book))
    app.add_handler(on(MySlots, my_slots, requires=Role.TRAINER))
    app.add_handler(on(PickTraining, pick_training, requires=Role.TRAINER))
    app.add_handler(on(Publish, publish, requires=Role.TRAINER))
    app.add_handler(on(Came, came, requires=Role.TRAINER))
