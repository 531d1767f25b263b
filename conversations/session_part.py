"""Adding or moving a part of a session: start (Moroccan time, YYYY-MM-DD HH:MM) → end, or the
same length → place (when adding: typed, or the session's own place or link). Applied at the
last answer; the parts screen then shows the session as it is. Declared as steps
(conversations/flow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Update

from bot.context import BotContext
from bot.services.access import Role
from bot.text import ascii_digits, clean_text
from bot.timeutil import from_db, from_local, to_db
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from handlers.buttons import Callback
from handlers.ui import answer, button, keyboard, say

PART_FLOW = "session_part"
START, END, PLACE = "start", "end", "place"
FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Keep(Callback, feature="pfl", action="keep"):
    """Keep the length (end step) or the session's place (place step)."""


def parse_when(text: str) -> datetime | None:
    try:
        return from_local(datetime.strptime(ascii_digits(clean_text(text)), FORMAT))
    except ValueError:
        return None


async def begin(update: Update, context: BotContext, session_id: int, part_id: int | None) -> None:
    t = context.t
    s = await context.services.catalogue.session(session_id)
    if s is None:
        return await answer(update, t._("This session no longer exists."), alert=True)
    parts = await context.services.parts.parts(session_id)
    model = next((p for p in parts if p.id == part_id), parts[-1])
    # The part after the last by default: the same hours on the next day.
    example = model.starts_at + timedelta(days=0 if part_id else 1)
    await SessionPart().start(update, context, START, {
        "session": session_id, "part": part_id, "length": (model.ends_at - model.starts_at).total_seconds(),
        "example": _local(example)})


def _local(at: datetime) -> str:
    from bot.timeutil import morocco

    return at.astimezone(morocco()).strftime(FORMAT)


def _bad_when(context: BotContext) -> str:
    return context.t._("Please write the date and time as YYYY-MM-DD HH:MM, for example 2026-12-10 09:30.")


# --- start ----------------------------------------------------------------------------------------
async def ask_start(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    example = data.get("example")  # not in a draft of an older release: found again
    if example is None:
        parts = await context.services.parts.parts(data["session"])
        model = next((p for p in parts if p.id == data["part"]), parts[-1] if parts else None)
        example = (_local(model.starts_at + timedelta(days=0 if data["part"] else 1)) if model
                   else "2026-12-10 09:30")
    await say(update, t.to_person("Start of the part, in Moroccan time, as YYYY-MM-DD HH:MM (for "
                                  "example {example}). Send /cancel to stop.", example=t.iso(example)))


async def read_start(context: BotContext, data: dict, typed: str) -> Outcome:
    when = parse_when(typed)
    if when is None:
        return _bad_when(context)
    if when <= context.services.clock.now():
        return context.t._("The part must start in the future.")
    return Go({**data, START: to_db(when)}, END)


async def keep_at_start(context: BotContext, data: dict, press: Keep) -> Outcome:
    return _bad_when(context)  # a Keep of a later question


# --- end ------------------------------------------------------------------------------------------
async def ask_end(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t._("End of the part, as YYYY-MM-DD HH:MM — or keep the same length."),
              keyboard([[button(t._("Keep the same length"), Keep())]]))


async def read_end(context: BotContext, data: dict, typed: str) -> Outcome:
    when = parse_when(typed)
    return _after_end({**data, END: to_db(when)}) if when is not None else _bad_when(context)


async def keep_length(context: BotContext, data: dict, press: Keep) -> Outcome:
    return _after_end({**data, END: to_db(from_db(data[START]) + timedelta(seconds=data["length"]))})


def _after_end(data: dict) -> Outcome:
    """A new part asks its place next; a moved part keeps its own."""
    return Go(data, PLACE) if data.get("part") is None else Finish(apply, data)


# --- place ----------------------------------------------------------------------------------------
async def ask_place(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Place of the part (type it), or keep the place of the session."),
              keyboard([[button(t._("Keep the same place"), Keep())]]))


async def read_place(context: BotContext, data: dict, typed: str) -> Outcome:
    place = clean_text(typed)[:200]
    if not place:
        return context.t._("Please type the place, or keep the same place.")
    return Finish(apply, {**data, PLACE: place})


async def keep_place(context: BotContext, data: dict, press: Keep) -> Outcome:
    return Finish(apply, data)


async def apply(update: Update, context: BotContext, data: dict) -> None:
    from handlers.parts_view import show_parts

    t = context.t
    parts = context.services.parts
    start, end = from_db(data[START]), from_db(data[END])
    try:
        if data.get("part") is None:
            s = await context.services.catalogue.session(data["session"])
            place = data.get(PLACE)
            await parts.add_part(s.id, start, end, place_fr=place or s.place_fr,
                                 place_ar=place or s.place_ar,
                                 online_url=None if place else s.online_url, keep_session=True)
            note = t._("✅ The part is added; the people with a place receive it in their calendar.")
        else:
            change = await parts.change_part(data["part"], starts_at=start, ends_at=end)
            if change is None:
                return await say(update, t._("This button is no longer valid."))
            note = (t._("✅ The part is moved; only its calendar event is sent again.")
                    if change.parts_changed else t._("Nothing was changed."))
    except ValueError:
        return await say(update, t._("The new times are not valid: the session must start in the "
                                     "future and end after it starts."))
    context.services.wake_dispatcher()
    await show_parts(update, context, data["session"], note)


class SessionPart(StepFlow):
    name = PART_FLOW
    requires = Role.NATIONAL
    steps = {
        START: Step(ask_start, text=read_start, buttons={Keep: keep_at_start}),
        END: Step(ask_end, text=read_end, buttons={Keep: keep_length}),
        PLACE: Step(ask_place, text=read_place, buttons={Keep: keep_place}),
    }
