"""/export: registrations (with each one's knowledge-test scores and gain), attendance,
evaluations (without names, nor groups under 5), indicators or learning gains (by group, groups
under 5 hidden), as an XLSX or CSV document in the person's language. The scope comes from the
person's role, never from the button: a focal point's file holds their administration only.

Buttons: ChooseFormat (choose the format), MakeExport (make and send it).
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services import anonymity
from bot.services.access import Role
from bot.services.exports import KINDS, kind_name
from bot.services.spreadsheet import FORMATS
from handlers.access import requires
from handlers.buttons import Callback, StaleButton, on
from handlers.reports_ui import exports
from handlers.ui import answer, button, keyboard, pairs, say, send_file, show

log = logging.getLogger(__name__)
MAX_DOCUMENT = 50 * 1024 * 1024  # what a bot may send (TELEGRAM_RULES.md)


@dataclass(frozen=True)
class ChooseFormat(Callback, feature="exp", action="k"):
    kind: str  # one of KINDS


@dataclass(frozen=True)
class MakeExport(Callback, feature="exp", action="f"):
    kind: str
    format: str  # one of FORMATS


@requires(Role.COORDINATOR)
async def export_command(update: Update, context: BotContext) -> None:
    """/export: what to export."""
    access = await context.access()
    t = context.t
    rows = pairs([button(kind_name(t, k), ChooseFormat(k)) for k in KINDS])
    note = (t._("Your administration only.") if access.scope else t._("Every administration."))
    await show(update, t.to_person("<b>Export</b>\nWhat do you want to export?") + "\n" + note,
               keyboard(rows))


async def choose_format(update: Update, context: BotContext, kind: str) -> None:
    t = context.t
    rows = [[button(t._("Excel (XLSX)"), MakeExport(kind, "xlsx"))],
            # TRANSLATORS: file format button: CSV separated by semicolons, which Excel opens directly in
            # French.
            [button(t._("CSV (Excel, ;)"), MakeExport(kind, "csv")),
             button(t._("CSV (,)"), MakeExport(kind, "csvc"))]]
    text = t._("<b>{kind}</b>: which format?", kind=kind_name(t, kind))
    text += "\n" + t._("<i>CSV (Excel, ;)</i> opens in one click in Excel set up in French or Arabic "
                       "(semicolons, decimal comma); <i>CSV (,)</i> is for other programs (commas, "
                       "decimal point).")
    if kind == "evaluations":
        text += "\n" + t._("Answers are exported without names, by training: no session, no date. An "
                            "administration or a sex is shown only where at least {min} people share "
                            "it; smaller groups are pooled or left out.", min=t.number(anonymity.MIN_GROUP))
    if kind == "gains":
        text += "\n" + t._("The mean normalised gain of the knowledge tests, for the people who took both "
                            "the pre-test and the final test, by sex, administration, position and theme; "
                            "groups of fewer than {min} people are hidden and counted.",
                            min=t.number(anonymity.MIN_GROUP))
    await show(update, text, keyboard(rows))


async def send_export(update: Update, context: BotContext, kind: str, fmt: str, scope: str | None) -> None:
    t = context.t
    await answer(update, t._("Preparing the file…"))
    chat = update.effective_chat
    await chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT)
    service = exports(context)
    name = service.filename(kind, fmt, scope)
    with tempfile.TemporaryDirectory(prefix="etamkeen-export-") as folder:
        path = Path(folder) / name
        count = await service.export(kind, fmt, path, t.lang, scope)
        if count == 0:
            return await say(update, t._("Nothing to export yet."))
        if path.stat().st_size > MAX_DOCUMENT:
            return await say(update, t.to_person(
                "This file is too large to be sent by Telegram. Ask the operators "
                "for it: they can make it with <code>etamkeen export</code>."))
        # TRANSLATORS: caption of an exported file; {kind} is the name of the export.
        caption = t.ngettext("{kind}: {n} row", "{kind}: {n} rows", count, kind=kind_name(t, kind))
        with path.open("rb") as document:
            await send_file(update, t, InputFile(document, filename=name), caption=caption)


async def on_choose(update: Update, context: BotContext, press: ChooseFormat) -> None:
    if press.kind not in KINDS:
        raise StaleButton
    await choose_format(update, context, press.kind)


async def on_make(update: Update, context: BotContext, press: MakeExport) -> None:
    if press.kind not in KINDS or press.format not in FORMATS:
        raise StaleButton
    # The scope comes from the role at the time of the press, never from the button.
    await send_export(update, context, press.kind, press.format, (await context.access()).scope)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("export", export_command))
    app.add_handler(on(ChooseFormat, on_choose, requires=Role.COORDINATOR))
    app.add_handler(on(MakeExport, on_make, requires=Role.COORDINATOR))
