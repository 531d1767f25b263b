"""The focal point's commentary of a semi-annual report: achievements → difficulties →
corrective actions, each typed, then saved (bot/services/prc_report.py refuses it once the
report is issued). Started from the request the bot sends two weeks before the semester's end,
or from /prc_report."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.people import Draft
from bot.services.prc_report import COMMENTARY, COMMENTARY_MAX, ReportError
from bot.text import clean_text
from conversations.flow import EscapableFlow
from handlers.ui import answer, say

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
    await context.services.people.save_draft(context.person.user_id, FLOW, COMMENTARY[0],
                                             {"adm": administration, "sem": semester, "texts": {}})
    await answer(update)
    await say(update, _ask(context, COMMENTARY[0], semester))


class Commentary(EscapableFlow):
    name = FLOW

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        if update.callback_query is not None:  # a button pressed meanwhile: the flow is left
            await people.drop_draft(draft.user_id, self.name)
            return False
        data = dict(draft.data)
        text = clean_text(update.message.text) if update.message and update.message.text else ""
        if not text or len(text) > COMMENTARY_MAX:
            return await say(update, t._("Please type a text of {max} characters at most.",
                                         max=t.number(COMMENTARY_MAX)))
        texts = {**data["texts"], draft.step: text}
        following = COMMENTARY[COMMENTARY.index(draft.step) + 1:]
        if following:
            await people.save_draft(draft.user_id, self.name, following[0], {**data, "texts": texts})
            return await say(update, _ask(context, following[0], data["sem"]))
        await people.drop_draft(draft.user_id, self.name)
        try:
            await context.services.prc_reports.save_commentary(await context.access(), data["adm"],
                                                               data["sem"], texts)
        except ReportError as e:
            if e.code == "already_issued":
                return await say(update, t._("The report of {semester} is already issued: its commentary "
                                             "can no longer change.", semester=data["sem"]))
            return await say(update, t._("This button is no longer valid."))
        await say(update, t._("✅ Thank you: the commentary will be in the semi-annual report of {semester}.",
                              semester=data["sem"]))
