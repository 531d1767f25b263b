"""The focal point's commentary of a semi-annual report: achievements → difficulties →
corrective actions, each typed, then saved (bot/services/prc_report.py refuses it once the
report is issued). Started from the request the bot sends two weeks before the semester's end,
or from /prc_report. Declared as three steps (conversations/flow)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.prc_report import COMMENTARY, COMMENTARY_MAX, ReportError
from bot.text import clean_text
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from handlers.ui import say

FLOW = "prc_commentary"


def _ask(context: BotContext, step: str, semester: str) -> str:
    t = context.t
    return {
        "achievements": t._("Commentary of the semi-annual report {semester}, 1 of 3: type the "
                            "<b>achievements</b> of the semester. (/cancel to stop)", semester=semester),
        "difficulties": t._("2 of 3: type the <b>difficulties</b> met."),
        "actions": t._("3 of 3: type the <b>corrective actions</b> planned."),
    }[step]


async def begin(update: Update, context: BotContext, administration: str, semester: str) -> None:
    await Commentary().start(update, context, COMMENTARY[0],
                             {"adm": administration, "sem": semester, "texts": {}})


def _step(step: str) -> Step:
    async def ask(update: Update, context: BotContext, data: dict) -> None:
        await say(update, _ask(context, step, data["sem"]))

    async def read(context: BotContext, data: dict, typed: str) -> Outcome:
        text = clean_text(typed)
        if not text or len(text) > COMMENTARY_MAX:
            return _too_long(context)
        data = {**data, "texts": {**data["texts"], step: text}}
        following = COMMENTARY[COMMENTARY.index(step) + 1:]
        return Go(data, following[0]) if following else Finish(_save, data)

    return Step(ask, text=read)


def _too_long(context: BotContext) -> str:
    t = context.t
    return t._("Please type a text of {max} characters at most.", max=t.number(COMMENTARY_MAX))


async def _save(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    try:
        await context.services.prc_reports.save_commentary(await context.access(), data["adm"],
                                                           data["sem"], data["texts"])
    except ReportError as e:
        if e.code == "already_issued":
            return await say(update, t._("The report of {semester} is already issued: its commentary "
                                         "can no longer change.", semester=data["sem"]))
        return await say(update, t._("This button is no longer valid."))
    await say(update, t._("✅ Thank you: the commentary will be in the semi-annual report of {semester}.",
                          semester=data["sem"]))


class Commentary(StepFlow):
    name = FLOW
    steps = {step: _step(step) for step in COMMENTARY}

    def off_question(self, update: Update, context: BotContext) -> str:
        return _too_long(context)
