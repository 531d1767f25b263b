"""Returning a submitted plan: the national coordinator types the reason, which the plan keeps
and the focal points are told (through the outbox, bot/services/plans.py)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.services.plans import PlanError
from bot.text import clean_text
from conversations.flow import EscapableFlow
from handlers.plan_buttons import PlanOpen
from handlers.prc_text import plan_error
from handlers.ui import answer, button, keyboard, say

PLAN_RETURN = "plan_return"
MAX_REASON = 500


async def begin(update: Update, context: BotContext, version_id: int) -> None:
    t = context.t
    try:
        version = await context.services.plans.version(await context.access(), version_id)
    except PlanError as error:
        return await answer(update, plan_error(t, error.code), alert=True)
    if version["status"] != "submitted":
        return await answer(update, plan_error(t, "illegal_transition"), alert=True)
    await context.services.people.save_draft(context.person.user_id, PLAN_RETURN, "reason",
                                             {"version": version_id})
    await answer(update)
    await say(update, t.to_person("Why do you return this plan? Type the reason the focal point will "
                                  "read (/cancel to stop)."))


class PlanReturn(EscapableFlow):
    name = PLAN_RETURN

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t, people = context.t, context.services.people
        if update.callback_query is not None:
            await people.drop_draft(draft.user_id, self.name)
            return False
        reason = clean_text(update.message.text) if update.message and update.message.text else ""
        if not reason:
            return await say(update, t._("Please type the reason for returning the plan."))
        if len(reason) > MAX_REASON:
            return await say(update, t._("Please keep the reason under {n} characters.",
                                         n=t.number(MAX_REASON)))
        version = draft.data["version"]
        await people.drop_draft(draft.user_id, self.name)
        try:
            await context.services.plans.transition(await context.access(), version, "return", reason)
        except PlanError as error:
            return await say(update, plan_error(t, error.code))
        context.services.wake_dispatcher()
        await say(update, t._("↩️ Returned: the focal points are told, with the reason."),
                  keyboard([[button(t._("« Back to the plan"), PlanOpen(version, 0, True))]]))
