"""A focal point refusing a request types an optional reason (one step, kept as a draft).
Declared as one step (conversations/flow)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.access import Role
from bot.services.people import REFUSAL
from bot.text import clean_text
from conversations.flow import Finish, Outcome, Step, StepFlow
from handlers import approvals
from handlers.ui import button, keyboard, say

REASON = "reason"
REASON_MAX = 300


async def ask_reason(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Why do you refuse? Type a short reason for the person, or skip."),
              keyboard([[button(t._("Skip"), approvals.RefuseWithoutReason(data["registration"]))]]))


async def read_reason(context: BotContext, data: dict, typed: str) -> Outcome:
    t = context.t
    text = clean_text(typed)
    if not text:
        return t._("Please type the reason as text, or press Skip.")
    if len(text) > REASON_MAX:
        return t._("Please keep the reason under {max} characters.", max=t.number(REASON_MAX))
    return Finish(refused, {**data, "reason": text})


async def skip(context: BotContext, data: dict, press: approvals.RefuseWithoutReason) -> Outcome:
    # Skip under another request refuses that one, as it would outside the flow.
    return Finish(refused, {"registration": press.registration})


async def refused(update: Update, context: BotContext, data: dict) -> None:
    await approvals.decide(update, context, data["registration"], False, data.get("reason"))


class Refusal(StepFlow):
    name = REFUSAL
    requires = Role.COORDINATOR

    steps = {REASON: Step(ask_reason, text=read_reason, buttons={approvals.RefuseWithoutReason: skip})}

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was decided; the request is still waiting.")
