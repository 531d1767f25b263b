"""Moving a session: new start (date and time, Moroccan time) → new end, or the same length →
new place (a new link for an online session), or the same → confirm. Everyone concerned is
told, with an updated calendar file. Cancelling one (reason → confirm) is a step of this same
flow: see conversations/cancel_session. Declared as steps (conversations/flow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.services.access import Role
from bot.services.links import check_link, link_reason
from bot.services.outcomes import SessionChange
from bot.text import ascii_digits, clean_text
from bot.timeutil import from_db, from_local, to_db
from conversations import cancel_session
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from handlers.buttons import Callback
from handlers.cards import when
from handlers.ui import answer, button, esc, keyboard, say, show

RESCHEDULE = "reschedule"
START, END, PLACE, CONFIRM = "start", "end", "place", "confirm"
FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Keep(Callback, feature="rs", action="keep"):
    pass


@dataclass(frozen=True)
class Apply(Callback, feature="rs", action="go"):
    pass


def parse_local(text: str) -> datetime | None:
    """'2026-12-10 09:30' typed in Moroccan time (Eastern Arabic digits accepted) → UTC."""
    try:
        return from_local(datetime.strptime(ascii_digits(clean_text(text)), FORMAT))
    except ValueError:
        return None


async def begin(update: Update, context: BotContext, session_id: int) -> None:
    s = await context.services.catalogue.session(session_id)
    if s is None:
        return await answer(update, context.t._("This session no longer exists."), alert=True)
    await Reschedule().start(update, context, START, {"session": session_id, "online": bool(s.online_url)})


async def ask_start(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    s = await context.services.catalogue.session(data["session"])
    if s is None:
        return await show(update, t._("This session no longer exists."))
    await say(update, t.to_person("New start, in Moroccan time, as YYYY-MM-DD HH:MM (for example "
                                  "{example}). Send /cancel to stop.", example=s.starts_at.strftime(FORMAT)),
              keyboard([[button(t._("Keep the same date and time"), Keep())]]))


async def ask_end(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t._("New end, as YYYY-MM-DD HH:MM — or keep the same length."),
              keyboard([[button(t._("Keep the same length"), Keep())]]))


async def ask_place(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    if data.get("online"):
        question, label = (t._("New link of the online meeting (https://…), or keep the same link."),
                          t._("Keep the same link"))
    else:
        question, label = (t.to_person("New place (type it), or keep the same place."),
                           t._("Keep the same place"))
    await say(update, question, keyboard([[button(label, Keep())]]))


def read_when(key: str, nxt: str):
    async def read(context: BotContext, data: dict, typed: str) -> Outcome:
        moment = parse_local(typed)
        if moment is None:
            return context.t._("Please write the date and time as YYYY-MM-DD HH:MM, for example "
                               "2026-12-10 09:30.")
        return Go({**data, key: to_db(moment)}, nxt)
    return read


def keep(nxt: str):
    async def read(context: BotContext, data: dict, press: Keep) -> Outcome:
        return Go(data, nxt)
    return read


async def read_place(context: BotContext, data: dict, typed: str) -> Outcome:
    if data.get("online"):
        # Checked as typed (not cleaned): an invisible character inside is refused.
        link, reason = check_link(typed)
        return link_reason(context.t, reason) if reason else Go({**data, "url": link}, CONFIRM)
    place = clean_text(typed)[:200]
    if not place:
        return context.t._("Please type the place, or keep the same place.")
    return Go({**data, "place": place}, CONFIRM)


async def ask_confirm(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    s = await context.services.catalogue.session(data["session"])
    if s is None:
        return await show(update, t._("This session no longer exists."))
    start = from_db(data.get(START)) or s.starts_at
    end = from_db(data.get(END)) or start + (s.ends_at - s.starts_at)
    lines = [t._("<b>The session will be:</b>"), when(t, start, end)]
    if data.get("place"):
        lines.append(t._("📍 {place}", place=esc(data["place"])))
    if data.get("url"):
        lines.append(t._("💻 Online: {link}", link=esc(t.iso(data["url"]))))
    await say(update, "\n".join(lines), keyboard([[button(t._("✅ Apply and tell everyone"), Apply())]]))


async def apply(context: BotContext, data: dict, press: Apply) -> Outcome:
    return Finish(applied, data)


async def applied(update: Update, context: BotContext, data: dict) -> None:
    from handlers.session_admin import refusal

    t = context.t
    place = data.get("place")
    change = await context.services.sessions.reschedule(
        data["session"], actor_id=context.person.user_id, starts_at=from_db(data.get(START)),
        ends_at=from_db(data.get(END)), place_fr=place, place_ar=place, online_url=data.get("url"))
    context.services.wake_dispatcher()
    if change.outcome is SessionChange.REFUSED:
        return await show(update, refusal(context, change.refusal))
    if change.outcome is SessionChange.UNCHANGED:
        return await show(update, t._("Nothing was changed."))
    await show(update, t.ngettext("Done: {n} person is being told.", "Done: {n} people are being told.",
                                  change.told))


class Reschedule(StepFlow):
    name = RESCHEDULE
    requires = Role.NATIONAL
    steps = {
        START: Step(ask_start, text=read_when(START, END), buttons={Keep: keep(END)}),
        END: Step(ask_end, text=read_when(END, PLACE), buttons={Keep: keep(PLACE)}),
        PLACE: Step(ask_place, text=read_place, buttons={Keep: keep(CONFIRM)}),
        CONFIRM: Step(ask_confirm, buttons={Apply: apply}),
        **cancel_session.STEPS,
    }
