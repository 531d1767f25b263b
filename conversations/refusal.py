"""A focal point refusing a request types an optional reason (one step, kept as a draft)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import REFUSAL, Draft
from bot.text import clean_text
from conversations.flow import EscapableFlow
from handlers import approvals
from handlers.ui import say

REASON_MAX = 300


class Refusal(EscapableFlow):
    name = REFUSAL

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was decided; the request is still waiting.")

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        reg_id = draft.data["registration"]
        query = update.callback_query
        if query is not None:
            skip = approvals.RefuseWithoutReason.unpack(query.data)
            await context.services.people.drop_draft(draft.user_id, self.name)
            if skip is not None and skip.registration == reg_id:
                return await approvals.decide(update, context, reg_id, False)
            return False  # another button: the reason is abandoned, that button works as usual
        text = clean_text(update.message.text or "") if update.message else ""
        if not text:
            return await say(update, t._("Please type the reason as text, or press Skip."))
        if len(text) > REASON_MAX:
            return await say(update, t._("Please keep the reason under {max} characters.",
                                         max=t.number(REASON_MAX)))
        await context.services.people.drop_draft(draft.user_id, self.name)
        await approvals.decide(update, context, reg_id, False, text)
