"""Adding or moving a part of a session: start (Moroccan time, YYYY-MM-DD HH:MM) → end, or the
same length → place (when adding: typed, or the session's own place or link). Applied at the
last answer; the parts screen then shows the session as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.text import ascii_digits, clean_text
from bot.timeutil import from_db, from_local, to_db
from conversations.flow import EscapableFlow
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
    await context.services.people.save_draft(
        context.person.user_id, PART_FLOW, START,
        {"session": session_id, "part": part_id, "length": (model.ends_at - model.starts_at).total_seconds()})
    await answer(update)
    await say(update, t.to_person("Start of the part, in Moroccan time, as YYYY-MM-DD HH:MM (for "
                                  "example {example}). Send /cancel to stop.",
                                  example=t.iso(_local(example))))


def _local(at: datetime) -> str:
    from bot.timeutil import morocco

    return at.astimezone(morocco()).strftime(FORMAT)


class SessionPart(EscapableFlow):
    name = PART_FLOW

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        if not (await context.access()).manages_sessions:
            await people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        data = dict(draft.data)
        query = update.callback_query
        keep = query is not None and Keep.unpack(query.data) is not None
        if query is not None and not keep:
            await people.drop_draft(draft.user_id, self.name)
            return False  # another button: the flow is left
        await answer(update)
        typed = update.message.text if update.message and update.message.text else ""
        if draft.step in (START, END) and not (keep and draft.step == END):
            when = parse_when(typed)
            if when is None or keep:
                return await say(update, t._("Please write the date and time as YYYY-MM-DD HH:MM, "
                                             "for example 2026-12-10 09:30."))
            if draft.step == START and when <= context.services.clock.now():
                return await say(update, t._("The part must start in the future."))
            data[draft.step] = to_db(when)
        if draft.step == START:
            await people.save_draft(draft.user_id, self.name, END, data)
            return await say(update, t._("End of the part, as YYYY-MM-DD HH:MM — or keep the same length."),
                             keyboard([[button(t._("Keep the same length"), Keep())]]))
        if draft.step == END:
            if keep:
                data[END] = to_db(from_db(data[START]) + timedelta(seconds=data["length"]))
            if data.get("part") is None:
                await people.save_draft(draft.user_id, self.name, PLACE, data)
                return await say(update, t.to_person("Place of the part (type it), or keep the place "
                                                     "of the session."),
                                 keyboard([[button(t._("Keep the same place"), Keep())]]))
        elif draft.step == PLACE and not keep:
            data[PLACE] = clean_text(typed)[:200]
            if not data[PLACE]:
                return await say(update, t._("Please type the place, or keep the same place."))
        await people.drop_draft(draft.user_id, self.name)
        return await self._apply(update, context, data)

    async def _apply(self, update: Update, context: BotContext, data: dict) -> None:
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
