"""National coordinators manage the questionnaires in the chat: /questionnaires lists every form
at its newest version (a button downloads each as its workbook, another a blank one); a workbook
sent on that screen, or with the caption /questionnaire, is checked in the worker process and
previewed (form, version, questions added, changed, removed, or every problem with its sheet,
row and column); Apply reads the file again and writes the new version all or nothing.

The screen is the `qforms` draft: a restart keeps it, a command leaves it, and the role is
checked again on every update (the router's). Its buttons are typed and handled by `on(...)`,
with or without the draft; Apply and Cancel only under the preview the draft remembers."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Document, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.services.access import Role
from bot.services.people import Draft
from bot.services.workbook import MAX_BYTES, Problem
from conversations.flow import Shown, Step, StepFlow
from handlers.access import refusal, requires
from handlers.buttons import Callback, StaleButton, on
from handlers.questionnaire_texts import listing_text, preview_text, problem_text, problems_text
from handlers.ui import (
    answer,
    button,
    fetch_file,
    keyboard,
    nav_row,
    pairs,
    say,
    send_file,
    show,
)

FLOW = "qforms"
WAIT, CONFIRM = "wait", "confirm"
CAPTION = r"^/questionnaire(@\w+)?(\s|$)"
PAGE = 20  # forms a page: their buttons and lines stay well within one message


@dataclass(frozen=True)
class DownloadForm(Callback, feature="qf", action="get"):
    """A form's newest version as its workbook."""

    form: str


@dataclass(frozen=True)
class FormTemplate(Callback, feature="qf", action="new"):
    """A blank questionnaire workbook."""


@dataclass(frozen=True)
class ApplyForm(Callback, feature="qf", action="go"):
    """Under the preview: apply the workbook the draft remembers."""


@dataclass(frozen=True)
class DropForm(Callback, feature="qf", action="drop"):
    pass


@dataclass(frozen=True)
class FormsPage(Callback, feature="qf", action="p"):
    page: int


async def _screen(context: BotContext, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the forms, a download button each, and the blank workbook."""
    t = context.t
    found = await context.services.questionnaire_forms.listing()
    pages = max(1, -(-len(found) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = found[page * PAGE:(page + 1) * PAGE]
    rows = pairs([button(f"📥 {f.form} · v{t.number(f.version)}", DownloadForm(f.form)) for f in shown])
    rows.append(nav_row(t, page, pages, FormsPage))
    # TRANSLATORS: a button: download an empty questionnaire workbook to fill in.
    rows.append([button(t._("📄 Blank workbook"), FormTemplate())])
    return listing_text(t, shown), keyboard(rows)


@requires(Role.NATIONAL)
async def questionnaires_command(update: Update, context: BotContext) -> None:
    """/questionnaires: the forms, their downloads, and the screen that reads a workbook."""
    await context.services.people.save_draft(context.person.user_id, FLOW, WAIT, {})
    await say(update, *await _screen(context, 0))


async def on_page(update: Update, context: BotContext, value: FormsPage) -> None:
    await answer(update)
    await show(update, *await _screen(context, value.page))


async def on_download(update: Update, context: BotContext, value: DownloadForm) -> None:
    data = await context.services.questionnaire_forms.export(value.form)
    if data is None:  # a button of a list older than the database (cannot happen today: never deleted)
        raise StaleButton
    await answer(update)
    await send_file(update, context.t, InputFile(data, filename=f"{value.form}.xlsx"))


async def on_template(update: Update, context: BotContext, value: FormTemplate) -> None:
    t = context.t
    await answer(update)
    blank = await context.services.questionnaire_forms.template()
    await send_file(
        update, t, InputFile(blank, filename="questionnaire.xlsx"),
        t.to_person("Fill in the three sheets (survey, choices, settings) and send the workbook back here."))


async def preview(update: Update, context: BotContext, doc: Document) -> None:
    """Check a workbook and show what it would do; the draft remembers the file under the preview."""
    t = context.t
    people = context.services.people
    if doc.file_size and doc.file_size > MAX_BYTES:
        too_big = Problem(None, None, None, "too_big", str(MAX_BYTES // 1_000_000))
        return await say(update, problem_text(t, too_big))
    await say(update, t._("⏳ Checking your workbook…"))
    data = await fetch_file(update, context.bot, context.t, doc.file_id)
    if data is None:
        return
    limit = context.services.settings.workbook_parse_seconds
    plan = await context.services.questionnaire_forms.preview(data, limit)
    if not plan.ok:
        await people.save_draft(context.person.user_id, FLOW, WAIT, {})  # a corrected file is read too
        return await say(update, problems_text(t, plan))
    await people.save_draft(context.person.user_id, FLOW, CONFIRM, {"file_id": doc.file_id})
    await say(update, preview_text(t, plan), _decide(context))


def _decide(context: BotContext) -> InlineKeyboardMarkup | None:
    t = context.t
    # TRANSLATORS: buttons under the preview of a questionnaire workbook.
    return keyboard([[button(t._("✅ Apply"), ApplyForm()), button(t._("Cancel"), DropForm())]])


def _under_preview(context: BotContext) -> Draft:
    draft = context.person.draft
    if draft is None or draft.flow != FLOW or draft.step != CONFIRM:
        raise StaleButton  # applied, cancelled, or replaced by another file already
    return draft


async def on_apply(update: Update, context: BotContext, value: ApplyForm) -> None:
    t = context.t
    services = context.services
    draft = _under_preview(context)
    await services.people.save_draft(draft.user_id, FLOW, WAIT, {})  # a second tap finds nothing
    # The preview loses its buttons at once while the file is read again.
    await show(update, t._("⏳ Checking your workbook again and applying it…"))
    data = await fetch_file(update, context.bot, context.t, draft.data["file_id"], _decide(context))
    if data is None:  # Apply and Cancel again, under the same preview
        return await services.people.save_draft(draft.user_id, FLOW, CONFIRM, draft.data)
    plan = await services.questionnaire_forms.apply(data, draft.user_id,
                                                    services.settings.workbook_parse_seconds)
    if not plan.ok:  # something changed in between (another version saved): nothing was written
        return await say(update, problems_text(t, plan))
    form = plan.form
    assert form is not None  # an applied plan carries its form
    await say(update, t._("✅ Version {version} of <code>{form}</code> is saved: the questionnaires "
                          "opened from now on use it.", version=t.number(form["version"]), form=form["form"]))


async def on_drop(update: Update, context: BotContext, value: DropForm) -> None:
    draft = _under_preview(context)
    await context.services.people.save_draft(draft.user_id, FLOW, WAIT, {})
    await show(update, context.t._("Nothing was changed."))


async def on_caption(update: Update, context: BotContext) -> None:
    """A workbook sent with the caption /questionnaire, from any screen."""
    if not (await context.access()).has(Role.NATIONAL):
        return await say(update, refusal(context.t, Role.NATIONAL))
    await preview(update, context, update.message.document)


async def _asked_above(update: Update, context: BotContext, data: dict) -> None:
    """The question is the screen (or the preview) already shown: off_question says what to do."""


def _run(handler):
    """A button of the screen read at either step: the screen's own handler answers it (and
    checks it: Apply or Cancel without a preview open is stale), the draft it writes itself."""

    async def read(context: BotContext, data: dict, value: Callback) -> Shown:
        return Shown(lambda update, context: handler(update, context, value))

    return read


async def _read_document(context: BotContext, data: dict, document: Document) -> Shown:
    return Shown(lambda update, context: preview(update, context, document))


class FormUpload(StepFlow):
    """The /questionnaires screen: a document is a workbook to check, the screen's buttons work
    at either step (another feature's leaves the screen), text is answered with what to do."""

    name = FLOW
    requires = Role.NATIONAL
    steps = {step: Step(_asked_above, document=_read_document,
                        buttons={FormsPage: _run(on_page), DownloadForm: _run(on_download),
                                 FormTemplate: _run(on_template), ApplyForm: _run(on_apply),
                                 DropForm: _run(on_drop)})
             for step in (WAIT, CONFIRM)}

    def off_question(self, update: Update, context: BotContext) -> str:
        t = context.t
        draft = context.person.draft
        return (t._("Please press Apply or Cancel under the preview.") if draft and draft.step == CONFIRM
                else t.to_person("Send the questionnaire workbook as a file (.xlsx), or /cancel."))


def register(app: Application) -> None:
    """Before the catalogue's document handler: a captioned workbook is a questionnaire."""
    app.add_handler(CommandHandler("questionnaires", questionnaires_command))
    app.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE
                                   & filters.CaptionRegex(CAPTION), on_caption))
    app.add_handler(on(FormsPage, on_page, requires=Role.NATIONAL))
    app.add_handler(on(DownloadForm, on_download, requires=Role.NATIONAL))
    app.add_handler(on(FormTemplate, on_template, requires=Role.NATIONAL))
    app.add_handler(on(ApplyForm, on_apply, requires=Role.NATIONAL))
    app.add_handler(on(DropForm, on_drop, requires=Role.NATIONAL))
