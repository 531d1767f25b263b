"""/prc: a focal point's competence plan — its current version with planned against achieved,
created for a period when there is none, lines added (conversations/plan_line), deleted while a
draft, linked to the sessions that serve them, submitted, and revised after a return."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services import plan_choices
from bot.services.access import Role
from bot.services.outcomes import PlanAction
from bot.services.plans import PlanError
from bot.timeutil import from_db, to_local
from conversations import plan_line
from handlers.access import requires
from handlers.buttons import on
from handlers.needs_buttons import NeedsHome
from handlers.plan_buttons import (
    AddLine,
    CreatePlan,
    DeleteLine,
    DeleteLineYes,
    LinkLine,
    LinkSession,
    NewVersion,
    PlanOpen,
    Submit,
)
from handlers.plan_view import render
from handlers.prc_text import plan_error
from handlers.ui import answer, button, esc, keyboard, show


async def refused(update: Update, context: BotContext, error: PlanError) -> None:
    text = plan_error(context.t, error.code)
    if update.callback_query is not None:
        return await answer(update, text, alert=True)
    await show(update, text)


async def open_plan(update: Update, context: BotContext, version_id: int, page: int = 0,
                    national: bool = False) -> None:
    access = await context.access()
    national = national and access.manages_sessions
    try:
        version = await context.services.plans.version(access, version_id)
    except PlanError as error:
        return await refused(update, context, error)
    progress = await context.services.plan_progress.of_version(version_id)
    # A focal point's other periods are a button away (national: /plans lists them all).
    others = [] if national else await context.services.plans.plans(access)
    text, markup = await render(context, version, progress, page, national, others)
    if not national and access.focal_administration == version["administration_code"]:
        # Needs first (issue 16): the survey of the administration's officials, one tap away.
        rows = [list(row) for row in (markup.inline_keyboard if markup else ())]
        needs = button(context.t._("📋 Needs survey"), NeedsHome(version["administration_code"]))
        markup = keyboard([*rows, [needs]])
    await show(update, text, markup)


@requires(Role.COORDINATOR)
async def prc_command(update: Update, context: BotContext) -> None:
    t = context.t
    access = await context.access()
    if access.focal_administration is None:
        return await show(update, t.to_person("You answer for no administration's plan: /plans shows "
                                              "every plan."))
    plans = await context.services.plans.plans(access)
    if plans:
        latest = max(plans, key=lambda p: (p["start_year"], p["id"]))
        return await open_plan(update, context, latest["id"])
    year = to_local(context.services.clock.now()).year
    periods = [(year, year + 1), (year + 1, year + 2)]
    await show(update, t.to_person("Your administration has no competence plan yet. For which period "
                                   "do you create it?"),
               keyboard([[button(f"{a}–{b}", CreatePlan(a, b)) for a, b in periods]]))


async def on_open(update: Update, context: BotContext, press: PlanOpen) -> None:
    await open_plan(update, context, press.version, press.page, press.national)


async def on_create(update: Update, context: BotContext, press: CreatePlan) -> None:
    access = await context.access()
    if access.focal_administration is None:
        return await answer(update, plan_error(context.t, "not_allowed"), alert=True)
    try:
        version = await context.services.plans.create(access, access.focal_administration,
                                                      press.start, press.end)
    except PlanError as error:
        return await refused(update, context, error)
    await open_plan(update, context, version)


async def on_add(update: Update, context: BotContext, press: AddLine) -> None:
    await plan_line.begin(update, context, press.version)


async def on_delete(update: Update, context: BotContext, press: DeleteLine) -> None:
    t = context.t
    try:
        line = await plan_choices.line(context.services.plans, await context.access(), press.line)
    except PlanError as error:
        return await refused(update, context, error)
    theme = context.services.reference.get("themes", line["theme_code"])
    what = t.pick(theme.name_fr, theme.name_ar) if theme else "—"
    await show(update, t._("Delete the line “{what}”, {semester}?", what=esc(what),
                           semester=t.iso(line["semester"])),
               keyboard([[button(t._("🗑 Delete"), DeleteLineYes(press.line)),
                          button(t._("Keep it"), PlanOpen(line["version_id"]))]]))


async def on_delete_yes(update: Update, context: BotContext, press: DeleteLineYes) -> None:
    access = await context.access()
    try:
        line = await plan_choices.line(context.services.plans, access, press.line)
        await context.services.plans.delete_line(access, press.line)
    except PlanError as error:
        return await refused(update, context, error)
    await answer(update, context.t._("Line deleted."))
    await open_plan(update, context, line["version_id"])


async def show_links(update: Update, context: BotContext, line_id: int) -> None:
    t = context.t
    access = await context.access()
    try:
        line = await plan_choices.line(context.services.plans, access, line_id)
        sessions = await plan_choices.line_sessions(context.services.plans, access, line_id)
    except PlanError as error:
        return await refused(update, context, error)
    rows = []
    for s in sessions:
        mark = "☑️" if s["linked"] else "⬜"
        when = t.short_date(from_db(s["starts_at"]))
        rows.append([button(f"{mark} {when} · {t.pick(s['title_fr'], s['title_ar'])}"[:60],
                            LinkSession(line_id, s["id"], not s["linked"]))])
    rows.append([button(t._("« Back to the plan"), PlanOpen(line["version_id"]))])
    text = (t._("Sessions serving this line (☑️ linked). Press one to link or unlink it:") if sessions
            else t._("No session of this line's theme falls within the plan's years yet."))
    await show(update, text, keyboard(rows))


async def on_link(update: Update, context: BotContext, press: LinkLine) -> None:
    await show_links(update, context, press.line)


async def on_link_session(update: Update, context: BotContext, press: LinkSession) -> None:
    try:
        await context.services.plans.link(await context.access(), press.line, press.session,
                                          press.linked)
    except PlanError as error:
        return await refused(update, context, error)
    await answer(update, context.t._("Session linked.") if press.linked else context.t._("Session unlinked."))
    await show_links(update, context, press.line)


async def on_submit(update: Update, context: BotContext, press: Submit) -> None:
    try:
        await context.services.plans.transition(await context.access(), press.version, PlanAction.SUBMIT)
    except PlanError as error:
        return await refused(update, context, error)
    await answer(update, context.t._("Submitted: the national team will validate it or return it."))
    await open_plan(update, context, press.version)


async def on_new_version(update: Update, context: BotContext, press: NewVersion) -> None:
    try:
        version = await context.services.plans.new_version(await context.access(), press.version)
    except PlanError as error:
        return await refused(update, context, error)
    await answer(update, context.t._("A new draft version was started from this one."))
    await open_plan(update, context, version)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("prc", prc_command))
    # Every action is checked again by the plan service (administration, status).
    for kind, callback in ((PlanOpen, on_open), (CreatePlan, on_create), (AddLine, on_add),
                           (DeleteLine, on_delete), (DeleteLineYes, on_delete_yes), (LinkLine, on_link),
                           (LinkSession, on_link_session), (Submit, on_submit),
                           (NewVersion, on_new_version)):
        app.add_handler(on(kind, callback, requires=Role.COORDINATOR))
