"""/plans: the national team's cockpit — every plan with its administration, period, version and
status (filtered, paginated), one opened with the decisions its status allows (returning asks a
reason: conversations/plan_return), and the common plan beside demand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role
from bot.services.outcomes import PlanAction
from bot.services.plans import PlanError
from conversations import plan_return, plan_schedule
from handlers import notices, plan_notices
from handlers.access import requires
from handlers.buttons import StaleButton, on
from handlers.plan_buttons import (
    CommonPlan,
    Decide,
    PlanOpen,
    PlansPage,
    ReturnPlan,
    ScheduleFrom,
    ScheduleTheme,
)
from handlers.prc import open_plan, refused
from handlers.prc_text import status_word, track_word
from handlers.ui import answer, button, esc, keyboard, nav_row, pairs, show

PAGE = 10
FILTERS = ("all", "submitted", "validated", "active", "returned", "draft", "closed")
DECISIONS = (PlanAction.VALIDATE, PlanAction.ACTIVATE, PlanAction.CLOSE)


def filter_word(context: BotContext, status: str) -> str:
    return context.t._("All") if status == "all" else status_word(context.t, status)


async def show_plans(update: Update, context: BotContext, status: str = "all", page: int = 0) -> None:
    t = context.t
    status = status if status in FILTERS else "all"
    plans = await context.services.plans.plans(await context.access())
    chosen = [p for p in plans if status == "all" or p["status"] == status]
    pages = max(1, -(-len(chosen) // PAGE))
    page = min(max(page, 0), pages - 1)
    text = [t.ngettext("<b>{n} competence plan</b>", "<b>{n} competence plans</b>", len(chosen))
            + " · " + filter_word(context, status)]
    ref = context.services.reference
    opens = []
    for i, p in enumerate(chosen[page * PAGE:(page + 1) * PAGE], start=page * PAGE + 1):
        admin = ref.get("administrations", p["administration_code"])
        name = t.pick(admin.name_fr, admin.name_ar) if admin else p["administration_code"]
        text.append(t._("{i}. {administration} — {start}–{end} · version {number} · {status}",
                        i=t.number(i), administration=esc(t.iso(name)), start=p["start_year"],
                        end=p["end_year"], number=t.number(p["number"]),
                        status=status_word(t, p["status"])))
        opens.append(button(t._("Open {i}", i=t.number(i)), PlanOpen(p["id"], 0, True)))
    if not chosen:
        text.append(t._("No plan has this status."))
    filters = [button(("• " if f == status else "") + filter_word(context, f), PlansPage(f, 0))
               for f in FILTERS]
    rows = [*pairs(opens, 5), nav_row(t, page, pages, lambda n: PlansPage(status, n)),
            *pairs(filters, 4), [button(t._("🧮 Common plan"), CommonPlan(0))]]
    await show(update, "\n".join(text), keyboard(rows))


@requires(Role.NATIONAL)
async def plans_command(update: Update, context: BotContext) -> None:
    await show_plans(update, context)


async def on_page(update: Update, context: BotContext, press: PlansPage) -> None:
    await show_plans(update, context, press.status, press.page)


async def on_decide(update: Update, context: BotContext, press: Decide) -> None:
    t = context.t
    if press.step not in DECISIONS:
        raise StaleButton
    try:
        await context.services.plans.transition(await context.access(), press.version, press.step)
    except PlanError as error:
        return await refused(update, context, error)
    context.services.wake_dispatcher()
    done = {PlanAction.VALIDATE: t._("Validated: the focal points are told."),
            PlanAction.ACTIVATE: t._("The plan is now active."), PlanAction.CLOSE: t._("The plan is closed.")}
    await answer(update, done[press.step])
    await open_plan(update, context, press.version, national=True)


async def on_return(update: Update, context: BotContext, press: ReturnPlan) -> None:
    await plan_return.begin(update, context, press.version)


async def on_schedule(update: Update, context: BotContext, press: ScheduleFrom) -> None:
    await plan_schedule.begin(update, context, press.line)


async def on_schedule_theme(update: Update, context: BotContext, press: ScheduleTheme) -> None:
    await plan_schedule.begin_theme(update, context, press.theme)


async def on_common(update: Update, context: BotContext, press: CommonPlan) -> None:
    t, ref = context.t, context.services.reference
    rows = await context.services.plan_progress.common_plan()
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(press.page, 0), pages - 1)
    text = [t._("<b>Common plan</b>: targets of the validated and active plans, by theme and "
                "track, beside demand (people on the interest lists)")]
    schedule: dict[str, object] = {}  # a theme with planned lines, once (it may have two tracks)
    for r in rows[page * PAGE:(page + 1) * PAGE]:
        theme = ref.get("themes", r.theme)
        name = t.pick(theme.name_fr, theme.name_ar) if theme else r.theme
        if r.lines and r.theme and r.theme not in schedule:
            schedule[r.theme] = button(t._("📅 Schedule: {theme}", theme=name[:40]), ScheduleTheme(r.theme))
        text.append("")
        text.append(f"<b>{esc(name)}</b> · {track_word(t, r.track)}")
        text.append(t._("🎯 {people} people ({women} women), {hours} h — {lines} lines in {plans} plans",
                        people=t.number(r.people), women=t.number(r.women), hours=t.number(r.hours),
                        lines=t.number(r.lines), plans=t.number(r.plans)))
        text.append(t._("🙋 Demand: {n} people", n=t.number(r.demand)))
    if not rows:
        text.append(t._("No validated plan and no demand yet."))
    await show(update, "\n".join(text), keyboard([
        *pairs(list(schedule.values()), 2), nav_row(t, page, pages, CommonPlan),
        [button(t._("« All plans"), PlansPage())]]))


def register(app: Application) -> None:
    notices.add(plan_notices.RENDERERS)  # what this feature sends on its own (the outbox)
    app.add_handler(CommandHandler("plans", plans_command))
    # The plan service checks the status machine and the national role again.
    for kind, callback in ((PlansPage, on_page), (Decide, on_decide), (ReturnPlan, on_return),
                           (CommonPlan, on_common), (ScheduleFrom, on_schedule),
                           (ScheduleTheme, on_schedule_theme)):
        app.add_handler(on(kind, callback, requires=Role.NATIONAL))
