"""/needs: a focal point's needs survey (issue 16, "needs first") — launch it to the officials
of their administration (what will be asked and to how many people, then confirm), see the
results (handlers/needs_text.py) as text or XLSX, and turn a theme into a plan line of their
draft plan, its people and women prefilled from the survey (the plan-line flow, editable before
Confirm). A national coordinator does the same for any administration: `/needs CODE`.
Every action is checked again by the survey service (the administration)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services import needs_files, needs_view
from bot.services.access import Role
from bot.services.needs_survey import NeedsError
from bot.services.plans import PlanError
from conversations.plan_line import PlanLine
from conversations.plan_line_steps import missing
from handlers import needs_notices, notices
from handlers.access import requires
from handlers.buttons import StaleButton, on
from handlers.needs_buttons import LaunchAsk, LaunchYes, NeedsHome, Results, ResultsFile, ToLine
from handlers.needs_text import refusal_text, results_text
from handlers.ui import answer, button, esc, keyboard, send_file, show


async def _refused(update: Update, context: BotContext, code: str) -> None:
    if update.callback_query is not None:
        return await answer(update, refusal_text(context.t, code), alert=True)
    await show(update, refusal_text(context.t, code))


def _admin_name(context: BotContext, code: str) -> str:
    found = context.services.reference.get("administrations", code)
    return context.t.iso(context.t.pick(found.name_fr, found.name_ar) if found else code)


async def home(update: Update, context: BotContext, administration: str, said: str | None = None) -> None:
    t = context.t
    try:
        view = await context.services.needs.overview(await context.access(), administration)
    except NeedsError as error:
        return await _refused(update, context, error.code)
    lines = [t._("<b>Needs survey — {administration}</b>",
                 administration=esc(_admin_name(context, administration)))]
    if said:
        lines.append(said)
    rows = []
    if view.latest is None:
        lines.append(t._("No survey has been launched yet."))
        rows.append([button(t._("🚀 Launch a needs survey"), LaunchAsk(administration))])
    else:
        s = view.latest
        lines.append(t.ngettext(
            "Latest survey, launched on {date}: {n} answer of {recipients} people asked.",
            "Latest survey, launched on {date}: {n} answers of {recipients} people asked.",
            s.respondents, date=t.date(s.launched_at), recipients=t.number(s.recipients)))
        rows.append([button(t._("📊 Results"), Results(s.id)),
                     button(t._("📥 XLSX file"), ResultsFile(s.id))])
        rows.append([button(t._("🚀 Launch a new survey"), LaunchAsk(administration))])
    await show(update, "\n".join(lines), keyboard(rows))


@requires(Role.COORDINATOR)
async def needs_command(update: Update, context: BotContext) -> None:
    access = await context.access()
    args = [a.upper() for a in context.args or []]
    code = args[0] if args else access.focal_administration
    if code is None:
        return await show(update, context.t._("Which administration? Send /needs followed by its code, "
                                              "for example /needs MEF."))
    await home(update, context, code)


async def on_home(update: Update, context: BotContext, press: NeedsHome) -> None:
    await home(update, context, press.administration)


async def on_launch_ask(update: Update, context: BotContext, press: LaunchAsk) -> None:
    t, code = context.t, press.administration
    try:
        view = await context.services.needs.overview(await context.access(), code)
    except NeedsError as error:
        return await _refused(update, context, error.code)
    back = button(t._("✖️ Cancel"), NeedsHome(code))
    if view.audience == 0:
        return await show(update, t._("Nobody of {administration} uses the bot yet: there is nobody to ask.",
                                      administration=esc(_admin_name(context, code))), keyboard([[back]]))
    text = "\n".join([
        t._("The survey asks each official, one tap per answer:"),
        t._("• up to 3 priority themes;"), t._("• their current level in each (1 to 4);"),
        t._("• the way of training they prefer;"),
        t._("• what could keep them from training, and a note if they wish."),
        t.ngettext("It will be sent to {n} person of {administration} (at night it waits for the morning).",
                   "It will be sent to {n} people of {administration} (at night it waits for the morning).",
                   view.audience, administration=esc(_admin_name(context, code)))])
    after = view.latest.id if view.latest else 0
    await show(update, text, keyboard([[button(t._("✅ Send the survey"), LaunchYes(code, after)), back]]))


async def on_launch(update: Update, context: BotContext, press: LaunchYes) -> None:
    t = context.t
    try:
        survey = await context.services.needs.launch(await context.access(), press.administration,
                                                     press.after)
    except NeedsError as error:
        return await _refused(update, context, error.code)
    context.services.wake_dispatcher()
    said = t.ngettext("✅ Sent to {n} person.", "✅ Sent to {n} people.", survey.recipients)
    await home(update, context, press.administration, said)


async def _results(context: BotContext, survey_id: int) -> needs_view.Results:
    try:
        await context.services.needs.survey(await context.access(), survey_id)
    except NeedsError:
        raise StaleButton from None
    found = await needs_view.results(context.services.db, context.services.self_assessment, survey_id)
    if found is None:
        raise StaleButton
    return found


async def on_results(update: Update, context: BotContext, press: Results) -> None:
    t, r = context.t, await _results(context, press.survey)
    rows = [[button(t._("➕ Plan line: {theme}", theme=_theme(context, th.theme))[:60],
                    ToLine(r.survey_id, th.theme))] for th in r.themes[:8]]
    rows.append([button(t._("📥 XLSX file"), ResultsFile(r.survey_id)),
                 button(t._("« Back"), NeedsHome(r.administration))])
    await show(update, results_text(context, r), keyboard(rows))


def _theme(context: BotContext, code: str) -> str:
    found = context.services.reference.get("themes", code)
    return context.t.pick(found.name_fr, found.name_ar) if found else code


async def on_file(update: Update, context: BotContext, press: ResultsFile) -> None:
    t, r = context.t, await _results(context, press.survey)
    await answer(update)
    data = await asyncio.to_thread(needs_files.xlsx, t, r, context.services.reference)
    name = f"etamkeen-needs-{r.administration.lower()}-{r.survey_id}-{t.lang}.xlsx"
    await send_file(update, t, InputFile(data, filename=name), caption=t._("Needs survey results (XLSX)."))


async def on_to_line(update: Update, context: BotContext, press: ToLine) -> None:
    t, r = context.t, await _results(context, press.survey)
    theme = next((th for th in r.themes if th.theme == press.theme), None)
    if theme is None:
        raise StaleButton
    try:
        plans = await context.services.plans.plans(await context.access())
    except PlanError:
        plans = []
    drafts = [p for p in plans if p["administration_code"] == r.administration and p["status"] == "draft"]
    if not drafts:
        return await answer(update, t._("There is no draft plan to add it to: open /prc to create the "
                                        "plan or start a new version."), alert=True)
    version = max(drafts, key=lambda p: (p["start_year"], p["id"]))
    data = {"version": version["id"], "start": version["start_year"], "end": version["end_year"],
            "theme": theme.theme, "people": theme.people,
            "women": needs_view.target_women(theme, r.women_share)}
    # The plan-line flow asks what the survey does not say; people and women stay editable
    # from its summary (Change) before Confirm.
    await PlanLine().start(update, context, missing(data) or "confirm", data)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("needs", needs_command))
    notices.add(needs_notices.RENDERERS)  # the invitations (the outbox)
    for kind, callback in ((NeedsHome, on_home), (LaunchAsk, on_launch_ask), (LaunchYes, on_launch),
                           (Results, on_results), (ResultsFile, on_file), (ToLine, on_to_line)):
        app.add_handler(on(kind, callback, requires=Role.COORDINATOR))
