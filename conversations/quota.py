"""Reserving places for an administration: one typed line, `CODE PLACES [YYYY-MM-DD [HH:MM]]`
(Moroccan time; 0 places removes the reservation), read, checked and applied by
bot/services/quotas.py; the answer says what changed, or why nothing did."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services import quotas
from bot.services.people import Draft
from conversations.flow import EscapableFlow
from handlers.browse_buttons import SessionCard
from handlers.session_quotas import EXAMPLE, QUOTA, quotas_text
from handlers.ui import button, keyboard, say


def refusal(t: Translator, key: str, code: str, capacity: int) -> str:
    return {
        "not_found": t._("This session no longer exists."),
        "cancelled": t._("This session has been cancelled."),
        "started": t._("This session has already started: it can no longer be changed."),
        "unknown_administration": t._("No administration has the code {code}.", code=code),
        "too_many": t.ngettext("That is more than the session's {n} place.",
                               "That is more than the session's {n} places.", capacity),
        "bad_release": t._("The date when the places are open to everyone must be to come and "
                           "before the start of the session."),
        "not_reserved": t._("No places are reserved for {code} on this session.", code=code),
    }.get(key, t._("This button is no longer valid."))


class QuotaFlow(EscapableFlow):
    name = QUOTA

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        services = context.services
        if update.callback_query is not None:  # another button: this flow steps aside
            await services.people.drop_draft(draft.user_id, self.name)
            return False
        if not (await context.access()).manages_sessions:
            await services.people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        session_id = draft.data["session"]
        line = quotas.parse_reservation(update.message.text or "") if update.message else None
        if line is None:
            return await say(update, t._("Please send the administration's code, the number of "
                                         "places and, if they are to be open to everyone at a date, "
                                         "that date and time: for example {example}.",
                                         example=EXAMPLE))
        code, places, release = line
        outcome = await quotas.reserve(services.db, services.clock,
                                       services.registrations.offer_free_seats, draft.user_id,
                                       session_id, code, places, release,
                                       on_change=services.catalogue.seats_changed)
        view = await quotas.of_session(services.db, session_id)
        if outcome not in ("set", "removed"):
            return await say(update, refusal(t, outcome, code, view.session.capacity if view else 0))
        await services.people.drop_draft(draft.user_id, self.name)
        services.wake_dispatcher()  # offers of the places a smaller reservation freed
        code = code.upper()
        done = (t._("Done: the places reserved for {code} are open to everyone.", code=code)
                if outcome == "removed" else
                t.ngettext("Done: {n} place reserved for {code}.", "Done: {n} places reserved for {code}.",
                           places, code=code))
        await say(update, f"{done}\n\n{quotas_text(t, view, services.reference, services.clock)}",
                  keyboard([[button(t._("⬅ Back to the session"), SessionCard(session_id))]]))
