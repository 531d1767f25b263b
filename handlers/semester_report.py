"""/prc_report: the semi-annual report of the competence plans as PDF and XLSX, in the
person's language. A focal point gets their administration's; a national coordinator any
administration's (`/prc_report MEF 2027-S1`) or the national version (`/prc_report national`).
Without a semester: the current one (provisional until it ends). A semester that has ended is
issued (frozen) on first request, and its files go to the focal points and the national team.

Also: the button that starts the commentary flow, and the daily job asking for commentaries.
Buttons: WriteCommentary.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import timedelta

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler

from bot.context import BotContext, Services
from bot.i18n import Translator
from bot.services import prc_report_files
from bot.services.access import Role
from bot.services.periods import semester, semester_of
from bot.services.prc_report import NATIONAL, Report, ReportError
from bot.timeutil import from_db
from conversations import commentary
from handlers.access import requires
from handlers.buttons import Callback, on
from handlers.ui import answer, button, esc, keyboard, say

_SEMESTER = re.compile(r"[0-9]{4}-[sS][0-9]*")  # a mistyped semester is said so, not taken for a code
NATIONAL_WORDS = {"national", "nationale", "*", "وطني"}


@dataclass(frozen=True)
class WriteCommentary(Callback, feature="srep", action="c"):
    semester: str


def error_text(t: Translator, code: str) -> str:
    return {
        "not_allowed": t._("You can only ask for the report of your own administration."),
        "semester_invalid": t._("This is not a semester: write it as 2027-S1 (January to June) or 2027-S2 "
                                "(July to December)."),
        "administration_unknown": t._("No administration has this code."),
        "no_plan": t._("This administration has no validated competence plan for this semester."),
    }.get(code, t._("This button is no longer valid."))


def caption(t: Translator, report: Report) -> str:
    snap = report.snapshot
    who = (t._("national summary") if snap["kind"] == "national"
           else t.pick(snap["administration"][1], snap["administration"][2]))
    if report.provisional:
        return t._("📊 Semi-annual report, {who}, {semester}: provisional, the semester is not over.",
                   who=esc(who), semester=snap["semester"])
    return t._("📊 Semi-annual report, {who}, {semester}: issued on {date}, frozen.",
               who=esc(who), semester=snap["semester"], date=t.date(from_db(snap["at"])))


async def send_files(bot, chat_id: int, t: Translator, report: Report) -> None:
    snap = report.snapshot
    scope = NATIONAL if snap["kind"] == "national" else snap["administration"][0]
    pdf, xlsx = await asyncio.to_thread(prc_report_files.both, snap, t.lang)
    text = caption(t, report)
    for fmt, data in (("pdf", pdf), ("xlsx", xlsx)):
        name = prc_report_files.filename(scope, snap["semester"], t.lang, fmt)
        await bot.send_document(chat_id, InputFile(data, filename=name), caption=text)


@requires(Role.COORDINATOR)
async def report_command(update: Update, context: BotContext) -> None:
    t = context.t
    access = await context.access()
    args = context.args or []
    code = next((a for a in args if _SEMESTER.fullmatch(a)), None)
    code = code or semester_of(context.services.clock.now())
    others = [a for a in args if a != code]
    if len(others) > 1:
        return await say(update, error_text(t, "semester_invalid"))
    scope = others[0] if others else (access.scope or NATIONAL)
    if scope.lower() in NATIONAL_WORDS:
        scope = NATIONAL
    await update.effective_chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT)
    try:
        report = await context.services.prc_reports.report(access, scope, code)
    except ReportError as e:
        return await say(update, error_text(t, e.code))
    await send_files(context.bot, update.effective_chat.id, t, report)
    if report.new:
        context.services.wake_dispatcher()  # the others concerned get their copy
    mine, snap = access.focal_administration, report.snapshot
    if snap["kind"] != "national" and mine == snap["administration"][0] \
            and await context.services.prc_reports.awaits_commentary(mine, snap["semester"]):
        write = button(t._("✍️ Write the commentary"), WriteCommentary(snap["semester"]))
        await say(update, t._("The commentary of the focal point (achievements, difficulties, corrective "
                              "actions) is not written yet."), keyboard([[write]]))


async def on_write(update: Update, context: BotContext, press: WriteCommentary) -> None:
    mine = (await context.access()).focal_administration
    try:
        semester(press.semester)
    except ValueError:
        mine = None
    if mine is None or not await context.services.prc_reports.awaits_commentary(mine, press.semester):
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    await commentary.begin(update, context, mine, press.semester)


async def _commentary_job(context: BotContext) -> None:
    """Daily: ask the focal points for their commentary two weeks before the semester's end."""
    services: Services = context.bot_data
    if await services.prc_commentary.run():
        services.wake_dispatcher()


def register(app: Application) -> None:
    app.add_handler(CommandHandler("prc_report", report_command))
    app.add_handler(on(WriteCommentary, on_write, requires=Role.COORDINATOR))
    services: Services = app.bot_data
    if app.job_queue is not None and services.settings.background_jobs:
        app.job_queue.run_repeating(_commentary_job, interval=timedelta(days=1),
                                    first=timedelta(minutes=15), name="prc_commentary")
