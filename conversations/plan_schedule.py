"""Scheduling a session from plan lines (national team, from a line of a plan in /plans): tick
the lines of the same theme, of one or several administrations, that the session will serve,
then /newsession opens prefilled from them (conversations/new_session: every prefilled answer
is shown in its summary and can be changed). The rules: bot/services/plan_schedule.py."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services.access import Role
from bot.services.plan_schedule import Candidate, Proposal
from bot.services.plans import PlanError
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.new_session import NewSession, missing
from conversations.new_session_summary import refusal_text
from handlers.buttons import Callback
from handlers.ui import button, esc, keyboard, pairs, say, show

PLAN_SCHEDULE = "plan_schedule"
LINES = "lines"


@dataclass(frozen=True)
class ToggleLine(Callback, feature="psc", action="t"):
    line: int


@dataclass(frozen=True)
class ScheduleGo(Callback, feature="psc", action="go"):
    pass


async def describe(context: BotContext, n: int, c: Candidate, chosen: bool) -> str:
    t, ref = context.t, context.services.reference
    admin = ref.get("administrations", c.administration)
    name = t.pick(admin.name_fr, admin.name_ar) if admin else c.administration
    training = await context.services.catalogue.training(c.training) if c.training else None
    what = t.pick(training.title_fr, training.title_ar) if training else t._("any training of the theme")
    mark = "☑" if chosen else "☐"
    return (f"{mark} " + t._("{n}. {administration} · {semester} · {what}", n=t.number(n),
                             administration=esc(name), semester=t.iso(c.semester), what=esc(what))
            + "\n   " + t.ngettext("{n} person still to train", "{n} people still to train", c.remaining))


async def ask_lines(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    try:
        found = await context.services.plan_schedule.candidates(await context.access(), data.get("origin"),
                                                                data.get("theme"))
    except PlanError as error:
        return await say(update, refusal_text(context, error.code))
    chosen = set(data.get("chosen", []))
    theme = context.services.reference.get("themes", data.get("theme", ""))
    text = [t._("<b>Schedule a session from plan lines</b>")]
    if theme:
        text.append(t._("Theme: {theme}", theme=esc(t.pick(theme.name_fr, theme.name_ar))))
    text.append(t.to_person("Tick the lines the session will serve, then press Schedule (/cancel to stop)."))
    toggles = []
    for n, c in enumerate(found, start=1):
        text += ["", await describe(context, n, c, c.line_id in chosen)]
        toggles.append(button(("☑ " if c.line_id in chosen else "☐ ") + t.number(n), ToggleLine(c.line_id)))
    go = t.ngettext("📅 Schedule a session ({n} line)", "📅 Schedule a session ({n} lines)", len(chosen))
    await show(update, "\n".join(text),
               keyboard([*pairs(toggles, 4), [button(go, ScheduleGo())]]))


async def toggle(context: BotContext, data: dict, press: ToggleLine) -> Outcome:
    try:
        offered = {c.line_id for c in await context.services.plan_schedule.candidates(
            await context.access(), data.get("origin"), data.get("theme"))}
    except PlanError as error:
        return refusal_text(context, error.code)
    if press.line not in offered:
        return None
    chosen = set(data.get("chosen", [])) ^ {press.line}
    return Go({**data, "chosen": sorted(chosen)}, LINES)


async def schedule(context: BotContext, data: dict, press: ScheduleGo) -> Outcome:
    try:
        proposal = await context.services.plan_schedule.proposal(await context.access(),
                                                                 data.get("chosen", []))
    except PlanError as error:
        return refusal_text(context, error.code)
    return Finish(open_new_session, await prefill(context, proposal))


async def prefill(context: BotContext, proposal: Proposal) -> dict:
    """/newsession's answers known from the lines (its flow asks only the rest)."""
    data: dict = {"lines": list(proposal.lines), "theme": proposal.theme,
                  "semester": proposal.semester, "remaining": proposal.remaining}
    training = await context.services.catalogue.training(proposal.training) if proposal.training else None
    if training is not None:  # the lines name it: the session gives it (not changeable)
        data.update(training=training.id, title=context.t.pick(training.title_fr, training.title_ar),
                    named_training=True)
        if training.modality == "distanciel":
            data["online"] = True  # given at a distance: the link is asked, not a place
    if proposal.region:
        data["region"] = proposal.region
    if proposal.capacity > 0:
        data["capacity"] = proposal.capacity
    return data


async def open_new_session(update: Update, context: BotContext, data: dict) -> None:
    await NewSession().start(update, context, missing(data), data)


class PlanScheduleFlow(StepFlow):
    name = PLAN_SCHEDULE
    requires = Role.NATIONAL
    steps = {LINES: Step(ask_lines, buttons={ToggleLine: toggle, ScheduleGo: schedule})}
    stale_elsewhere = True  # a double tap on Schedule must not drop the /newsession it opened

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was scheduled.")


async def begin_theme(update: Update, context: BotContext, theme: str) -> None:
    """Open the choice at a theme of the common plan, nothing ticked yet."""
    found = await context.services.plan_schedule.candidates(await context.access(), None, theme)
    if not found:
        return await say(update, refusal_text(context, "not_schedulable"))
    await PlanScheduleFlow().start(update, context, LINES, {"origin": None, "chosen": [], "theme": theme})


async def begin(update: Update, context: BotContext, line_id: int) -> None:
    """Open the choice at a line (ticked); refused at once when it cannot be scheduled."""
    try:
        proposal = await context.services.plan_schedule.proposal(await context.access(), [line_id])
    except PlanError as error:
        return await say(update, refusal_text(context, error.code))
    await PlanScheduleFlow().start(update, context, LINES,
                                   {"origin": line_id, "chosen": [line_id], "theme": proposal.theme})
