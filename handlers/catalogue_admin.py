"""Coordinators import the catalogue workbook in the chat: send the file → errors, or a preview
of what will change → apply (all or nothing). /template sends the workbook to fill in."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.services.catalogue_import import Plan
from bot.services.links import link_reason, shown
from bot.services.workbook import MAX_BYTES, Problem
from bot.services.workbook_template import template
from conversations.flow import EscapableFlow
from handlers.ui import answer, button, esc, keyboard, parse, say, show

IMPORT = "import"
MAX_LISTED = 25


def problem_text(context: BotContext, p: Problem) -> str:
    return problem_text_for(context.t, p)


def problem_text_for(t, p: Problem) -> str:
    reasons = {
        "not_workbook": t._("This file is not an Excel workbook (.xlsx)."),
        "too_big": t._("The file is too big ({extra} MB at most).", extra=p.value),
        "missing_sheet": t._("The sheet is missing."),
        "missing_column": t._("The column is missing."),
        "required": t._("This cell is required."),
        "bad_choice": t._("“{value}” is not allowed here; use one of: {extra}.", value=esc(p.value),
                          extra=esc(p.extra)),
        "bad_date": t._("“{value}” is not a date and time like 2027-03-15 09:00.", value=esc(p.value)),
        "bad_number": t._("“{value}” is not a positive number.", value=esc(p.value)),
        "unknown_theme": t._("Unknown theme “{value}” (known: {extra}).", value=esc(p.value),
                             extra=esc(p.extra)),
        "unknown_region": t._("Unknown region “{value}”.", value=esc(p.value)),
        "unknown_training": t._("No training has the code “{value}”.", value=esc(p.value)),
        "duplicate": t._("“{value}” appears twice (first on row {extra}).", value=esc(p.value),
                         extra=esc(p.extra)),
        "end_before_start": t._("The session ends before it starts."),
        "capacity_below": t._("Capacity {value} is below the {extra} places already taken.",
                              value=esc(p.value), extra=esc(p.extra)),
        "bad_url": t._("“{value}”: {reason}", value=esc(t.iso(shown(p.value))),
                       reason=link_reason(t, p.extra)),
        "too_many_rows": t._("Too many rows ({value} at most).", value=esc(p.value)),
        "too_many_columns": t._("Too many headed columns ({value} at most).", value=esc(p.value)),
        "too_big_unpacked": t._("The workbook is too large once unpacked: delete the empty rows and "
                                "columns that only carry formatting, or split it, and send it again."),
        "too_slow": t._("Reading the workbook took more than {value} seconds, so I stopped. Delete "
                        "the empty rows and columns that only carry formatting, or split it, and "
                        "send it again.", value=_seconds(t, p)),
        "unreadable": t._("I could not read this workbook. Save it again as .xlsx (Excel or "
                          "LibreOffice) and send it again."),
    }
    where = ", ".join(x for x in (
        t._("sheet {sheet}", sheet=esc(p.sheet)) if p.sheet else "",
        t._("row {row}", row=t.number(p.row)) if p.row else "",
        t._("column {column}", column=esc(p.column)) if p.column else "") if x)
    reason = reasons.get(p.code, esc(p.code))
    return f"• {where}: {reason}" if where else f"• {reason}"


def _seconds(t, p: Problem) -> str:
    try:
        return t.number(float(p.value))
    except ValueError:
        return esc(p.value)


def plan_text(context: BotContext, plan: Plan) -> str:
    return plan_text_for(context.t, plan)


def plan_text_for(t, plan: Plan) -> str:
    """The preview or the problems, in the given language (chat and command line)."""
    if not plan.ok:
        lines = [t.ngettext("<b>The workbook has {n} problem</b>; nothing was changed:",
                            "<b>The workbook has {n} problems</b>; nothing was changed:", len(plan.problems))]
        lines += [problem_text_for(t, p) for p in plan.problems[:MAX_LISTED]]
        if len(plan.problems) > MAX_LISTED:
            lines.append(t.ngettext("… and {n} more.", "… and {n} more.", len(plan.problems) - MAX_LISTED))
        return "\n".join(lines)
    return "\n".join([
        t._("<b>What the import will do</b>"),
        t.ngettext("{n} new training", "{n} new trainings", len(plan.new_trainings)),
        t.ngettext("{n} training changed", "{n} trainings changed", len(plan.changed_trainings)),
        t.ngettext("{n} new session", "{n} new sessions", len(plan.new_sessions)),
        t.ngettext("{n} session changed (its people will be told)",
                   "{n} sessions changed (their people will be told)", len(plan.changed_sessions)),
        t.ngettext("{n} line unchanged", "{n} lines unchanged", plan.unchanged),
    ])


async def _allowed(update: Update, context: BotContext) -> bool:
    if (await context.access()).manages_sessions:
        return True
    text = context.t._("This command is reserved for administrators and national coordinators.")
    await (answer(update, text, alert=True) if update.callback_query else say(update, text))
    return False


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
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    plan = await context.services.catalogue_import.preview(
        data, context.services.settings.workbook_parse_seconds)
    if not plan.ok:
        return await say(update, plan_text(context, plan))
    await context.services.people.save_draft(context.person.user_id, IMPORT, "confirm",
                                             {"file_id": doc.file_id})
    await say(update, plan_text(context, plan), keyboard([
        [button(t._("✅ Apply"), "imp", "go"), button(t._("Cancel"), "imp", "drop")]]))


async def template_command(update: Update, context: BotContext) -> None:
    """/template: the workbook to fill in, with explanations."""
    if not await _allowed(update, context):
        return
    t = context.t
    await update.effective_chat.send_document(
        InputFile(template(t), filename="e-tamkeen-catalogue.xlsx"),
        caption=t._("Fill in this workbook and send it back here: I will check it and show what will "
                    "change before anything is applied."))


class ImportFlow(EscapableFlow):
    """The step between the preview and the decision (kept as a draft: a restart keeps it)."""

    name = IMPORT

    async def handle(self, update: Update, context: BotContext, draft) -> bool | None:
        t = context.t
        people = context.services.people
        query = update.callback_query
        action = (parse(query.data, "imp") or [""])[0] if query else ""
        if action not in ("go", "drop"):
            if update.message and update.message.document:
                await people.drop_draft(draft.user_id, self.name)
                return False  # a new file: the new one is checked instead
            return await say(update, t._("Please press Apply or Cancel under the preview."))
        await people.drop_draft(draft.user_id, self.name)
        if action == "drop" or not await _allowed(update, context):
            return await show(update, t._("Nothing was changed."))
        # The preview loses its buttons at once (no second press) while the file is read again.
        await show(update, t._("⏳ Checking your workbook again and applying it…"))
        file = await context.bot.get_file(draft.data["file_id"])
        plan = await context.services.catalogue_import.apply(
            bytes(await file.download_as_bytearray()), context.person.user_id,
            context.services.settings.workbook_parse_seconds)
        context.services.wake_dispatcher()
        if not plan.ok:
            return await say(update, plan_text(context, plan))
        await say(update, t._("✅ The catalogue is updated.") + "\n" + plan_text(context, plan))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("template", template_command))
    app.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, on_document))
    app.add_handler(CallbackQueryHandler(lambda u, c: answer(u, c.t._("This button is no longer valid."),
                                                             alert=True), pattern=r"^v1:imp:"))
