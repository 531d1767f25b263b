"""Two small coaching flows on the draft row: publishing a slot (start → length → place or
online) and, after a slot the person came to, the next objective (typed, or skipped). Declared
as steps (conversations/flow); each step reads the flow's own buttons as the old flow did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.text import clean_text
from bot.timeutil import from_db, to_db
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.session_part import parse_when
from handlers.buttons import Callback
from handlers.ui import button, keyboard, say

COACHING_FLOW = "coaching"
START, LENGTH, PLACE, OBJECTIVE = "start", "length", "place", "objective"


@dataclass(frozen=True)
class Choice(Callback, feature="cfl", action="c"):
    """A button of the flow: a length in hours, 'online' for the place, or 'skip'."""

    value: str


async def begin(update: Update, context: BotContext, training_id: int) -> None:
    await CoachingSlot().start(update, context, START, {"training": training_id})


async def ask_objective(update: Update, context: BotContext, slot_id: int) -> None:
    await CoachingSlot().start(update, context, OBJECTIVE, {"slot": slot_id})


# --- start ----------------------------------------------------------------------------------------
async def ask_start(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t._("Start of the slot, in Moroccan time, as YYYY-MM-DD HH:MM. "
                                  "Send /cancel to stop."))


async def read_start(context: BotContext, data: dict, typed: str) -> Outcome:
    start = parse_when(clean_text(typed))
    if start is None or start <= context.services.clock.now():
        return _bad_start(context)
    return Go({**data, START: to_db(start)}, LENGTH)


async def start_pressed(context: BotContext, data: dict, press: Choice) -> Outcome:
    return _bad_start(context)  # a button of an earlier slot's keyboard


def _bad_start(context: BotContext) -> str:
    return context.t._("Please write a date and time to come as YYYY-MM-DD HH:MM, "
                       "for example 2026-12-10 09:30.")


# --- length ---------------------------------------------------------------------------------------
async def ask_length(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t._("How long is the slot?"), keyboard(
        [[button(t.ngettext("{n} hour", "{n} hours", h), Choice(str(h))) for h in (1, 2, 3)]]))


async def length_typed(context: BotContext, data: dict, typed: str) -> Outcome:
    return context.t._("Please choose a length with the buttons.")


async def read_length(context: BotContext, data: dict, press: Choice) -> Outcome:
    if not press.value.isdigit():
        return context.t._("Please choose a length with the buttons.")
    return Go({**data, LENGTH: int(press.value)}, PLACE)


# --- place ----------------------------------------------------------------------------------------
async def ask_place(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Where? Type the place, or choose Online."),
              keyboard([[button(t._("💻 Online"), Choice("online"))]]))


async def read_place(context: BotContext, data: dict, typed: str) -> Outcome:
    place = clean_text(typed)[:200]
    if not place:
        return context.t.to_person("Where? Type the place, or choose Online.")
    return Finish(publish, {**data, PLACE: place})


async def place_pressed(context: BotContext, data: dict, press: Choice) -> Outcome:
    if press.value != "online":
        return context.t.to_person("Where? Type the place, or choose Online.")
    return Finish(publish, {**data, PLACE: context.t._("Online")})


async def publish(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    start = from_db(data[START])
    made = await context.services.coaching.publish(
        context.person.user_id, data["training"], start, start + timedelta(hours=data[LENGTH]), data[PLACE])
    await say(update, t._("✅ The slot is published: people can book it from the training's card.")
              if made else t._("The new times are not valid: the session must start in the future "
                               "and end after it starts."))


# --- objective ------------------------------------------------------------------------------------
async def ask_next_objective(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Noted. Type the person's next objective (it is sent to them), "
                                  "or skip."), keyboard([[button(t._("Skip"), Choice("skip"))]]))


async def read_objective(context: BotContext, data: dict, typed: str) -> Outcome:
    objective = clean_text(typed)[:500]
    return Finish(record, {**data, OBJECTIVE: objective}) if objective else Finish(noted, data)


async def skip_objective(context: BotContext, data: dict, press: Choice) -> Outcome:
    return Finish(noted, data)


async def record(update: Update, context: BotContext, data: dict) -> None:
    await context.services.coaching.record(context.person.user_id, data["slot"], True, data[OBJECTIVE])
    context.services.wake_dispatcher()
    await say(update, context.t._("✅ Saved; the person receives the objective."))


async def noted(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t._("Noted."))


class CoachingSlot(StepFlow):
    name = COACHING_FLOW
    steps = {
        START: Step(ask_start, text=read_start, buttons={Choice: start_pressed}),
        LENGTH: Step(ask_length, text=length_typed, buttons={Choice: read_length}),
        PLACE: Step(ask_place, text=read_place, buttons={Choice: place_pressed}),
        OBJECTIVE: Step(ask_next_objective, text=read_objective, buttons={Choice: skip_objective}),
    }
