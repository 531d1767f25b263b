"""Changing the number of places of a session: type the number; never below the places taken;
new places go to the waitlist at once. Declared as one step (conversations/flow)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.access import Role
from bot.services.outcomes import CapacityChange
from bot.text import parse_int
from conversations.flow import Finish, Outcome, Step, StepFlow
from handlers.ui import answer, say

CAPACITY = "capacity"
NUMBER = "number"
MAX_PLACES = 10_000


async def begin(update: Update, context: BotContext, session_id: int) -> None:
    if await context.services.catalogue.session(session_id) is None:
        return await answer(update, context.t._("This session no longer exists."), alert=True)
    await Capacity().start(update, context, NUMBER, {"session": session_id})


async def ask_number(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    s = await context.services.catalogue.session(data["session"])
    if s is None:
        return await say(update, t._("This session no longer exists."))
    await say(update, t._("How many places? Now {capacity}, of which {taken} taken. (/cancel to stop)",
                          capacity=t.number(s.capacity), taken=t.number(s.taken)))


async def read_number(context: BotContext, data: dict, typed: str) -> Outcome:
    t = context.t
    places = parse_int(typed)
    if places is None or not 0 < places <= MAX_PLACES:
        return t._("Please type a whole number of places, from 1 to 10000.")
    result = await context.services.sessions.set_capacity(context.person.user_id, data["session"], places)
    if result is CapacityChange.BELOW:
        return t.to_person("That is fewer than the places already taken: type a larger number.")
    if result is CapacityChange.BELOW_RESERVED:
        return t.to_person("That is fewer than the places reserved for administrations: type a larger "
                           "number, or lower a reservation first (🎟 Reserved places).")
    return Finish(done, {**data, "places": places, "result": result})


async def done(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    context.services.wake_dispatcher()
    await say(update, t._("Done: the session now has {n} places.", n=t.number(data["places"]))
              if data["result"] is CapacityChange.CHANGED else t._("This session no longer exists."))


class Capacity(StepFlow):
    name = CAPACITY
    requires = Role.NATIONAL
    steps = {NUMBER: Step(ask_number, text=read_number)}
