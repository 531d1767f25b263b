"""Changing the number of places of a session: type the number; never below the places taken;
new places go to the waitlist at once."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.text import parse_int
from conversations.flow import EscapableFlow
from handlers.ui import answer, say

CAPACITY = "capacity"
MAX_PLACES = 10_000


async def begin(update: Update, context: BotContext, session_id: int) -> None:
    s = await context.services.catalogue.session(session_id)
    if s is None:
        return await answer(update, context.t._("This session no longer exists."), alert=True)
    await context.services.people.save_draft(context.person.user_id, CAPACITY, "number",
                                             {"session": session_id})
    await answer(update)
    await say(update, context.t._("How many places? Now {capacity}, of which {taken} taken. (/cancel to "
                                  "stop)", capacity=context.t.number(s.capacity),
                                  taken=context.t.number(s.taken)))


class Capacity(EscapableFlow):
    name = CAPACITY

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        if update.callback_query is not None:
            await people.drop_draft(draft.user_id, self.name)
            return False
        if not (await context.access()).manages_sessions:
            await people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        places = parse_int(update.message.text) if update.message else None
        if places is None or not 0 < places <= MAX_PLACES:
            return await say(update, t._("Please type a whole number of places, from 1 to 10000."))
        result = await context.services.sessions.set_capacity(draft.user_id, draft.data["session"],
                                                              places)
        if result == "below":
            return await say(update, t.to_person("That is fewer than the places already taken: type a larger "
                                         "number."))
        await people.drop_draft(draft.user_id, self.name)
        context.services.wake_dispatcher()
        await say(update, t._("Done: the session now has {n} places.", n=t.number(places))
                  if result == "changed" else t._("This session no longer exists."))
