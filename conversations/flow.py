"""Multi-step flows whose state is a draft row, not memory.

PTB's ConversationHandler keeps its state in memory and its persistence writes it on an interval,
so a kill -9 loses the last steps. Here every step writes the draft (step + answers) before it
replies, and every update of a person with a draft is routed to that step: a restart resumes at
the same step with nothing to rebuild, and there is a single source of truth.
"""

from __future__ import annotations

from typing import Protocol

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.services.people import Draft
from handlers.ui import say


class Flow(Protocol):
    name: str
    # Commands typed in the middle abandon the flow (profile edit) instead of being refused.
    escapable: bool

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        """Handle the update; False lets it through to the features (the flow was left)."""


class EscapableFlow:
    """A flow any other command leaves; /cancel drops its draft and says so. The router calls
    `cancel`; a flow overrides it to keep something (answers), or `cancelled_text` to say what
    was left undone."""

    name: str
    escapable = True

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was changed.")

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        await context.services.people.drop_draft(draft.user_id, self.name)
        await say(update, self.cancelled_text(context))


def command_of(update: Update) -> str | None:
    """The command a message starts with (without the @botname), if any."""
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0][1:].split("@")[0].lower()


class FlowRouter:
    """Routes the updates of a person with a draft to their flow; newcomers to onboarding."""

    def __init__(self, flows: list[Flow], onboarding) -> None:
        self.flows = {f.name: f for f in flows}
        self.onboarding = onboarding

    async def __call__(self, update: Update, context: BotContext) -> None:
        if update.effective_chat is None or update.effective_chat.type != "private":
            return
        if update.my_chat_member is not None:
            return
        person = context.person
        draft = person.draft
        flow = self.flows.get(draft.flow) if draft else None
        if flow is not None and draft is not None:
            command = command_of(update)
            if flow.escapable and command == "cancel":
                await flow.cancel(update, context, draft)
                raise ApplicationHandlerStop
            if flow.escapable and command is not None:
                await context.services.people.drop_draft(person.user_id, draft.flow)
                return  # the command is handled as if no flow were open
            if await flow.handle(update, context, draft) is False:
                return
            raise ApplicationHandlerStop
        if not person.onboarded:
            await self.onboarding.begin(update, context)
            raise ApplicationHandlerStop
