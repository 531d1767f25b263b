"""The self-assessment of "My digital profile" (issue 17): twenty statements, one message edited
in place, one tap per answer on the five levels, its progress ("7/20") and a Back button.
Declared as one step (conversations/flow): the answers so far are on the person's `selfassess`
draft, written before every reply, so a restart resumes at the same statement (its buttons keep
working). A command or another feature's button leaves the flow with the draft kept: the
statement's buttons still answer, words typed afterwards search the trainings as usual, and
/digitalprofile (or the menu entry) offers to continue where it stopped or to start again
(`resume`). Nothing is recorded before the last answer, and
/cancel drops the draft: nothing half-done is kept. The last answer records the assessment and
shows the result (handlers/digital_profile_result.py)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.outcomes import RatingProblem
from conversations.flow import LEFT, Finish, Go, Outcome, Step, StepFlow
from handlers.buttons import StaleButton
from handlers.digital_profile_buttons import Previous, Rate, Resume
from handlers.digital_profile_result import area_name, send_result
from handlers.ui import button, esc, keyboard, say, show

FLOW = "selfassess"
RATE = "rate"


async def begin(update: Update, context: BotContext) -> None:
    """Open the self-assessment at its first statement."""
    framework = await context.services.self_assessment.framework()
    await SelfAssessmentFlow().start(update, context, RATE, {"v": framework.version, "i": 0, "r": {}})


async def left_at(context: BotContext) -> dict | None:
    """The answers of a self-assessment left by a command, if one is waiting to be continued."""
    draft = await context.services.people.draft(context.person.user_id, FLOW)
    return draft.data if draft is not None else None


async def resume(update: Update, context: BotContext, press: Resume) -> None:
    """Continue where it stopped: the draft is written again, so it is the flow the person's
    next answers go to even if another flow was opened since."""
    data = await left_at(context)
    if data is None:
        raise StaleButton  # finished, cancelled or started again since
    data = {k: v for k, v in data.items() if k != LEFT}  # back in it: typing is answered here again
    await context.services.people.save_draft(context.person.user_id, FLOW, RATE, data)
    await ask(update, context, data)


def _ours(update: Update) -> bool:
    """A press on one of the flow's own buttons: its message becomes the next statement."""
    query = update.callback_query
    return query is not None and any(k.unpack(query.data) for k in (Rate, Previous, Resume))


async def ask(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    framework = await context.services.self_assessment.framework()
    if framework.version != data["v"]:  # a new version of the framework since it began
        return await begin(update, context)
    statement = framework.statements[data["i"]]
    lines = [t._("🧭 <b>My digital profile</b> · {area}", area=esc(area_name(t, framework, statement.area))),
             t._("Statement {position}/{total}", position=t.number(data["i"] + 1),
                 total=t.number(len(framework.statements))), "",
             f"<b>{esc(t.pick(statement.label_fr, statement.label_ar))}</b>",
             t.to_person("Tap what describes you best.")]
    chosen = data["r"].get(statement.qid)
    rows = [[button(("✅ " if chosen == int(code) else "") + t.pick(fr, ar), Rate(statement.qid, int(code)))]
            for code, fr, ar in framework.levels]
    if data["i"] > 0:
        rows.append([button(t._("⬅ Back"), Previous(statement.qid))])
    await (show if _ours(update) else say)(update, "\n".join(lines), keyboard(rows))


async def read_rate(context: BotContext, data: dict, press: Rate) -> Outcome:
    framework = await context.services.self_assessment.framework()
    statements = framework.statements
    if framework.version != data["v"] or statements[data["i"]].qid != press.statement \
            or not 1 <= press.level <= len(framework.levels):
        return None  # an earlier statement's button, or forged: the current one is asked again
    ratings = {**data["r"], press.statement: press.level}
    if data["i"] + 1 < len(statements):
        return Go({**data, "i": data["i"] + 1, "r": ratings})
    return Finish(finished, {**data, "r": ratings})


async def read_previous(context: BotContext, data: dict, press: Previous) -> Outcome:
    framework = await context.services.self_assessment.framework()
    if framework.statements[data["i"]].qid != press.statement or data["i"] == 0:
        return None
    return Go({**data, "i": data["i"] - 1})


async def finished(update: Update, context: BotContext, data: dict) -> None:
    service = context.services.self_assessment
    recorded = await service.record(context.person.user_id, data["r"])
    if isinstance(recorded, RatingProblem):  # the framework changed under the draft: nothing was stored
        return await show(update, context.t._("The self-assessment changed while you answered: nothing was "
                                             "recorded. Please start it again with /digitalprofile."))
    await show(update, context.t._("✅ Your answers are recorded. Here is your digital profile."))
    await send_result(update, context, await service.history(context.person.user_id))


class SelfAssessmentFlow(StepFlow):
    name = FLOW
    steps = {RATE: Step(ask, buttons={Rate: read_rate, Previous: read_previous})}
    keeps_draft_on_leave = True  # a command mid-way (/help, /mytrainings) loses no answer
    cancel_drops_kept_draft = True
    typing_goes_on_once_left = True  # words typed after leaving search the trainings, as usual

    def next_step(self, data: dict) -> str:
        return RATE  # one step, asked again for the next statement

    def off_question(self, update: Update, context: BotContext) -> str:
        return context.t.to_person("Please tap one of the answers below.")

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("The self-assessment is stopped: nothing was recorded.")
