"""Two small coaching flows on the draft row: publishing a slot (start → length → place or
online) and, after a slot the person came to, the next objective (typed, or skipped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.text import clean_text
from bot.timeutil import from_db, to_db
from conversations.flow import EscapableFlow
from conversations.session_part import parse_when
from handlers.buttons import Callback
from handlers.ui import answer, button, keyboard, say

COACHING_FLOW = "coaching"
START, LENGTH, PLACE, OBJECTIVE = "start", "length", "place", "objective"


@dataclass(frozen=True)
class Choice(Callback, feature="cfl", action="c"):
    """A button of the flow: a length in hours, 'online' for the place, or 'skip'."""

    value: str


async def begin(update: Update, context: BotContext, training_id: int) -> None:
    await context.services.people.save_draft(context.person.user_id, COACHING_FLOW, START,
                                             {"training": training_id})
    await answer(update)
    await say(update, context.t._("Start of the slot, in Moroccan time, as YYYY-MM-DD HH:MM. "
                                  "Send /cancel to stop."))


async def ask_objective(update: Update, context: BotContext, slot_id: int) -> None:
    t = context.t
    await context.services.people.save_draft(context.person.user_id, COACHING_FLOW, OBJECTIVE,
                                             {"slot": slot_id})
    await answer(update)
    await say(update, t.to_person("Noted. Type the person's next objective (it is sent to them), "
                                  "or skip."), keyboard([[button(t._("Skip"), Choice("skip"))]]))


class CoachingSlot(EscapableFlow):
    name = COACHING_FLOW

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        query = update.callback_query
        choice = Choice.unpack(query.data) if query is not None else None
        if query is not None and choice is None:
            await people.drop_draft(draft.user_id, self.name)
            return False  # another button: the flow is left
        await answer(update)
        typed = clean_text(update.message.text) if update.message and update.message.text else ""
        data = dict(draft.data)
        if draft.step == START:
            start = parse_when(typed)
            if start is None or start <= context.services.clock.now():
                return await say(update, t._("Please write a date and time to come as YYYY-MM-DD HH:MM, "
                                             "for example 2026-12-10 09:30."))
            data[START] = to_db(start)
            await people.save_draft(draft.user_id, self.name, LENGTH, data)
            return await say(update, t._("How long is the slot?"), keyboard(
                [[button(t.ngettext("{n} hour", "{n} hours", h), Choice(str(h))) for h in (1, 2, 3)]]))
        if draft.step == LENGTH:
            if choice is None or not choice.value.isdigit():
                return await say(update, t._("Please choose a length with the buttons."))
            data[LENGTH] = int(choice.value)
            await people.save_draft(draft.user_id, self.name, PLACE, data)
            return await say(update, t.to_person("Where? Type the place, or choose Online."),
                             keyboard([[button(t._("💻 Online"), Choice("online"))]]))
        if draft.step == PLACE:
            place = t._("Online") if choice is not None and choice.value == "online" else typed[:200]
            if not place:
                return await say(update, t.to_person("Where? Type the place, or choose Online."))
            await people.drop_draft(draft.user_id, self.name)
            start = from_db(data[START])
            made = await context.services.coaching.publish(
                draft.user_id, data["training"], start, start + timedelta(hours=data[LENGTH]), place)
            return await say(update, t._("✅ The slot is published: people can book it from the "
                                         "training's card.") if made else
                             t._("The new times are not valid: the session must start in the future "
                                 "and end after it starts."))
        # OBJECTIVE
        await people.drop_draft(draft.user_id, self.name)
        if choice is None and typed:
            await context.services.coaching.record(draft.user_id, data["slot"], True, typed[:500])
            context.services.wake_dispatcher()
            return await say(update, t._("✅ Saved; the person receives the objective."))
        return await say(update, t._("Noted."))
