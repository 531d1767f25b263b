"""Reserving places for an administration: one typed line, `CODE PLACES [YYYY-MM-DD [HH:MM]]`
(Moroccan time; 0 places removes the reservation), read, checked and applied by
bot/services/quotas.py; the answer says what changed, or why nothing did. Declared as one step
(conversations/flow); opened by handlers/session_quotas.show_quotas."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services import quotas
from bot.services.access import Role
from bot.services.outcomes import Reservation
from conversations.flow import Finish, Outcome, Step, StepFlow
from handlers.browse_buttons import SessionCard
from handlers.session_quotas import EXAMPLE, QUOTA, quotas_text
from handlers.ui import button, esc, keyboard, say

LINE = "line"


def refusal(t: Translator, key: Reservation, code: str, capacity: int) -> str:
    return {
        Reservation.NOT_FOUND: t._("This session no longer exists."),
        Reservation.CANCELLED: t._("This session has been cancelled."),
        Reservation.STARTED: t._("This session has already started: it can no longer be changed."),
        Reservation.UNKNOWN_ADMINISTRATION: t._("No administration has the code {code}.", code=esc(code)),
        Reservation.TOO_MANY: t.ngettext("That is more than the session's {n} place.",
                                         "That is more than the session's {n} places.", capacity),
        Reservation.TOO_MANY_IN_ALL: t.ngettext(
            "With the places reserved for the other administrations, that is more than the "
            "session's {n} place: lower one of them first.",
            "With the places reserved for the other administrations, that is more than the "
            "session's {n} places: lower one of them first.", capacity),
        Reservation.BAD_RELEASE: t._("The date when the places are open to everyone must be to come and "
                                     "before the start of the session."),
        Reservation.NOT_RESERVED: t._("No places are reserved for {code} on this session.", code=esc(code)),
    }.get(key, t._("This button is no longer valid."))


async def ask_line(update: Update, context: BotContext, data: dict) -> None:
    """The session's reservations and how to change them (asked again after an off answer)."""
    t, services = context.t, context.services
    view = await quotas.of_session(services.db, data["session"])
    if view is None:
        return await say(update, t._("This session no longer exists."))
    await say(update, quotas_text(t, view, services.reference, services.clock),
              keyboard([[button(t._("⬅ Back to the session"), SessionCard(data["session"]))]]))


def how_to(t: Translator) -> str:
    return t._("Please send the administration's code, the number of places and, if they are to be "
               "open to everyone at a date, that date and time: for example {example}.", example=EXAMPLE)


async def read_line(context: BotContext, data: dict, typed: str) -> Outcome:
    t, services = context.t, context.services
    line = quotas.parse_reservation(typed)
    if line is None:
        return how_to(t)
    code, places, release = line
    session_id = data["session"]
    outcome = await quotas.reserve(services.db, services.clock,
                                   services.registrations.offer_free_seats, context.person.user_id,
                                   session_id, code, places, release,
                                   on_change=services.catalogue.seats_changed)
    if outcome not in (Reservation.SET, Reservation.REMOVED):
        view = await quotas.of_session(services.db, session_id)
        return refusal(t, outcome, code, view.session.capacity if view else 0)
    return Finish(done, {**data, "code": code.upper(), "places": places, "outcome": outcome})


async def done(update: Update, context: BotContext, data: dict) -> None:
    t, services = context.t, context.services
    services.wake_dispatcher()  # offers of the places a smaller reservation freed
    code, places, session_id = data["code"], data["places"], data["session"]
    view = await quotas.of_session(services.db, session_id)
    said = (t._("Done: the places reserved for {code} are open to everyone.", code=code)
            if data["outcome"] == Reservation.REMOVED else
            t.ngettext("Done: {n} place reserved for {code}.", "Done: {n} places reserved for {code}.",
                       places, code=code))
    # The screen invites the next line: the flow listens for it again (/cancel or any other
    # button leaves), so a second reservation needs no second tap on Reserved places.
    await services.people.save_draft(context.person.user_id, QUOTA, LINE, {"session": session_id})
    await say(update, f"{said}\n\n{quotas_text(t, view, services.reference, services.clock)}",
              keyboard([[button(t._("⬅ Back to the session"), SessionCard(session_id))]]))


class QuotaFlow(StepFlow):
    name = QUOTA
    requires = Role.NATIONAL
    steps = {LINE: Step(ask_line, text=read_line)}

    def off_question(self, update: Update, context: BotContext) -> str:
        return how_to(context.t)
