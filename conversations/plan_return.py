"""Returning a submitted plan: the national coordinator types the reason, which the plan keeps
and the focal points are told (through the outbox, bot/services/plans.py). Declared as one step
(conversations/flow)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.outcomes import PlanAction
from bot.services.plans import PlanError
from bot.text import clean_text
from conversations.flow import Finish, Outcome, Step, StepFlow
from handlers.plan_buttons import PlanOpen
from handlers.prc_text import plan_error
from handlers.ui import answer, button, keyboard, say

PLAN_RETURN = "plan_return"
MAX_REASON = 500
REASON = "reason"


async def begin(update: Update, context: BotContext, version_id: int) -> None:
    t = context.t
    try:
        version = await context.services.plans.version(await context.access(), version_id)
    except PlanError as error:
        return await answer(update, plan_error(t, error.code), alert=True)
    if version["status"] != "submitted":
        return await answer(update, plan_error(t, "illegal_transition"), alert=True)
    await PlanReturn().start(update, context, REASON, {"version": version_id})


async def ask_reason(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t.to_person("Why do you return this plan? Type the reason the focal "
                                          "point will read (/cancel to stop)."))


async def read_reason(context: BotContext, data: dict, typed: str) -> Outcome:
    t = context.t
    reason = clean_text(typed)
    if not reason:
        return t._("Please type the reason for returning the plan.")
    if len(reason) > MAX_REASON:
        return t._("Please keep the reason under {n} characters.", n=t.number(MAX_REASON))
    return Finish(returned, {**data, "reason": reason})


async def returned(update: Update, context: BotContext, data: dict) -> None:
    t, version = context.t, data["version"]
    try:
        await context.services.plans.transition(await context.access(), version, PlanAction.RETURN,
                                                data["reason"])
    except PlanError as error:
        return await say(update, plan_error(t, error.code))
    context.services.wake_dispatcher()
    await say(update, t._("↩️ Returned: the focal points are told, with the reason."),
              keyboard([[button(t._("« Back to the plan"), PlanOpen(version, 0, True))]]))


class PlanReturn(StepFlow):
    name = PLAN_RETURN
    steps = {REASON: Step(ask_reason, text=read_reason)}

    def off_question(self, update: Update, context: BotContext) -> str:
        return context.t._("Please type the reason for returning the plan.")
