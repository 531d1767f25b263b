"""Coordinators import the catalogue workbook in the chat: send the file → errors, or a preview
of what will change → apply (all or nothing). /template sends the workbook to fill in."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from bot.services.catalogue_plan import Plan
from bot.services.workbook import MAX_BYTES, Problem
from bot.services.workbook_template import template
from conversations.flow import Finish, Outcome, Step, StepFlow
from handlers.access import refusal, requires
from handlers.buttons import Callback, on
from handlers.catalogue_preview import LONG, plan_text_for, problem_text_for, summary_for
from handlers.ui import answer, button, fetch_file, keyboard, plain, say, send_file, show

IMPORT = "import"
CONFIRM = "confirm"  # the only step: the workbook is checked, Apply or Cancel
__all__ = ["plan_text", "plan_text_for", "problem_text", "problem_text_for"]


@dataclass(frozen=True)
class ApplyImport(Callback, feature="imp", action="go"):
    """Under the preview. Read by ImportFlow while its draft exists; once it is gone, no handler
    takes it and handlers.fallback gives the one "no longer valid" answer."""


@dataclass(frozen=True)
class DropImport(Callback, feature="imp", action="drop"):
    pass


@dataclass(frozen=True)
class ExportCatalogue(Callback, feature="catx", action="get"):
    """Under /template: the current catalogue as the workbook."""


def problem_text(context: BotContext, p: Problem) -> str:
    return problem_text_for(context.t, p)


def plan_text(context: BotContext, plan: Plan) -> str:
    return plan_text_for(context.t, plan)


async def _show_plan(update: Update, context: BotContext, plan: Plan, markup=None) -> None:
    """The preview in the chat; a long one as a text file, with the counts in the chat."""
    t = context.t
    text = plan_text(context, plan)
    if len(text) <= LONG:
        return await say(update, text, markup)
    await send_file(
        # TRANSLATORS: a file name: keep it short, without spaces or slashes.
        update, t, InputFile(plain(text).encode("utf-8"), filename=t._("catalogue-preview.txt")))
    details = t._("The details, field by field, are in the file above.")
    await say(update, summary_for(t, plan) + "\n\n" + details, markup)


async def on_document(update: Update, context: BotContext) -> None:
    """A file sent outside any flow: a catalogue workbook, for those who manage sessions."""
    t = context.t
    if not (await context.access()).manages_sessions:
        return await say(update, t._("I can only read text messages and buttons here. Type a word to "
                                     "search the trainings, or use the menu."))
    doc = update.message.document
    if doc.file_size and doc.file_size > MAX_BYTES:
        return await say(update, problem_text(context, Problem(None, None, None, "too_big",
                                                               str(MAX_BYTES // 1_000_000))))
    # Reading may take a while (it runs in a worker process): say so at once.
    await say(update, t._("⏳ Checking your workbook…"))
    data = await fetch_file(update, context.bot, t, doc.file_id)
    if data is None:
        return
    plan = await context.services.catalogue_import.preview(
        data, context.services.settings.workbook_parse_seconds)
    if not plan.ok or not plan.changes:
        return await say(update, plan_text(context, plan))
    await context.services.people.save_draft(context.person.user_id, IMPORT, CONFIRM,
                                             {"file_id": doc.file_id})
    await _show_plan(update, context, plan, _decision(t))


def _decision(t: Translator) -> InlineKeyboardMarkup:
    # TRANSLATORS: buttons under the preview of a catalogue workbook: apply it, or change nothing.
    return keyboard([[button(t._("✅ Apply"), ApplyImport()), button(t._("Cancel"), DropImport())]])


@requires(Role.NATIONAL)
async def template_command(update: Update, context: BotContext) -> None:
    """/template: the workbook to fill in, with explanations, and the current catalogue a tap away."""
    t = context.t
    reference = await context.services.catalogue_import.reference()
    await send_file(
        update, t, InputFile(template(t, reference), filename="e-tamkeen-catalogue.xlsx"),
        caption=t.to_person("Fill in this workbook and send it back here: I will check it and show what will "
                            "change before anything is applied. Its example rows are never applied."),
        markup=keyboard([[button(t._("📥 Download the current catalogue"), ExportCatalogue())]]))


@requires(Role.NATIONAL)
async def export_command(update: Update, context: BotContext) -> None:
    """/catalogue_export (or the button under /template): the current catalogue as the workbook,
    to edit and send back (blank cells keep the stored values)."""
    await answer(update)
    t = context.t
    trainings, sessions, reference = await context.services.catalogue_import.export()
    workbook = template(t, reference, trainings, sessions)
    await send_file(
        update, t, InputFile(workbook, filename="e-tamkeen-catalogue-current.xlsx"),
        caption=t.to_person("The current catalogue: {trainings} and {sessions} to come. Edit it and send "
                            "it back here; a blank cell leaves a value unchanged.",
                            trainings=t.ngettext("{n} training", "{n} trainings", len(trainings)),
                            sessions=t.ngettext("{n} session", "{n} sessions", len(sessions))))


async def ask_decision(update: Update, context: BotContext, data: dict) -> None:
    """The question is the preview sent with its buttons when the draft was opened (on_document);
    it is not shown again, which would read the file again: the reminder (off_question) says
    where it is."""


async def apply_pressed(context: BotContext, data: dict, press: ApplyImport) -> Outcome:
    return Finish(apply, data)


async def drop_pressed(context: BotContext, data: dict, press: DropImport) -> Outcome:
    return Finish(nothing_changed, data)


async def another_file(context: BotContext, data: dict, document: object) -> Outcome:
    """A new file at the decision: the new one is checked instead (the preview opens again)."""
    return Finish(lambda update, context, _: on_document(update, context), data)


async def nothing_changed(update: Update, context: BotContext, data: dict) -> None:
    await show(update, context.t._("Nothing was changed."))


async def apply(update: Update, context: BotContext, data: dict) -> None:
    """Apply the workbook of the preview, read again (it was not kept) and checked again."""
    t = context.t
    if not (await context.access()).has(Role.NATIONAL):  # the role may have gone since
        await answer(update, refusal(t, Role.NATIONAL), alert=True)
        return await show(update, t._("Nothing was changed."))
    # The preview loses its buttons at once (no second press) while the file is read again.
    await show(update, t._("⏳ Checking your workbook again and applying it…"))
    workbook = await fetch_file(update, context.bot, t, data["file_id"], _decision(t))
    if workbook is None:  # the decision stays open: Apply again once Telegram is back
        return await context.services.people.save_draft(context.person.user_id, IMPORT, CONFIRM, data)
    plan = await context.services.catalogue_import.apply(
        workbook, context.person.user_id, context.services.settings.workbook_parse_seconds)
    context.services.wake_dispatcher()
    if not plan.ok:
        return await say(update, plan_text(context, plan))
    await say(update, t._("✅ The catalogue is updated.") + "\n" + summary_for(t, plan))


class ImportFlow(StepFlow):
    """The decision after the preview (kept as a draft: a restart keeps it). The workbook itself
    arrives outside any flow (on_document), which opens this one at CONFIRM."""

    name = IMPORT
    # A button of another screen does not drop a checked workbook: the person is reminded.
    leaves_on_foreign_button = False
    steps = {CONFIRM: Step(ask_decision, document=another_file,
                           buttons={ApplyImport: apply_pressed, DropImport: drop_pressed})}

    def off_question(self, update: Update, context: BotContext) -> str:
        return context.t._("Please press Apply or Cancel under the preview.")


def register(app: Application) -> None:
    app.add_handler(CommandHandler("template", template_command))
    app.add_handler(CommandHandler("catalogue_export", export_command))
    app.add_handler(on(ExportCatalogue, lambda u, c, _: export_command(u, c), requires=Role.NATIONAL))
    app.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, on_document))
