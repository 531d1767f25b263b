"""Adding a line to a draft plan, step by step on the draft row (conversations/flow.py): theme →
training → track → position → level → region → people → women → hours → semester → priority →
summary (Confirm / Change / Cancel). The plan rules check the line at Confirm
(bot/services/plan_lines.py) and every problem is said in the person's language. Declared as
steps (conversations/flow): the step asked is always the first answer missing (or the summary),
and every step reads the same buttons (Change, Cancel... work from any of them)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.plan_lines import LineInvalid
from bot.services.plans import PlanError
from bot.text import ascii_digits, clean_text, parse_int
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.plan_line_steps import (
    CHANGEABLE,
    FORGETS,
    NONE,
    STEPS,
    TYPED,
    Cancel,
    Change,
    ChangeMenu,
    Confirm,
    Pick,
    ask,
    change_label,
    missing,
    summary,
)
from handlers.buttons import on
from handlers.plan_buttons import PlanOpen
from handlers.prc_text import line_error, plan_error
from handlers.ui import answer, button, keyboard, pairs, say, show

PLAN_LINE = "plan_line"
MAX_PEOPLE = 100_000
CONFIRM, CHANGE = "confirm", "change"  # the summary; the menu of what to change


async def begin(update: Update, context: BotContext, version_id: int) -> None:
    try:
        version = await context.services.plans.version(await context.access(), version_id)
    except PlanError as error:
        return await answer(update, plan_error(context.t, error.code), alert=True)
    if version["status"] != "draft":
        return await answer(update, plan_error(context.t, "not_editable"), alert=True)
    data = {"version": version_id, "start": version["start_year"], "end": version["end_year"]}
    await PlanLine().start(update, context, "theme", data)


def _hours(text: str) -> float | None:
    try:
        value = float(ascii_digits(text).replace(",", "."))
    except ValueError:
        return None
    return value if 0 <= value <= 10_000_000 else None


def _current(data: dict) -> str | None:
    """The question being asked: the first answer missing (None: the summary)."""
    return missing(data)


def _fallback(context: BotContext, data: dict) -> str:
    """What an answer that is none of the question's says (as the flow always said it)."""
    step = _current(data)
    problem = _typed(context, step, "", dict(data)) if step in TYPED else None
    return problem or context.t._("Please use the buttons under the question.")


def _typed(context: BotContext, step: str, text: str, data: dict) -> str | None:
    """Store the typed number in `data`, or say what is wrong with it."""
    t = context.t
    if step == "hours":
        hours = _hours(text)
        if hours is None:
            return line_error(t, "hours_invalid")
        data["hours"] = hours
        return None
    number = parse_int(text)
    if step == "people":
        if number is None or not 0 < number <= MAX_PEOPLE:
            return line_error(t, "people_invalid")
        data["people"] = number
        data.pop("women", None)  # asked again against the new number
    else:
        if number is None:
            return line_error(t, "women_invalid")
        if number > data["people"]:
            return line_error(t, "women_above_people")
        data["women"] = number
    return None


async def _pick(context: BotContext, step: str, value: str, data: dict) -> bool:
    ref = context.services.reference
    chosen = None if value == NONE else value
    if step == "theme" and ref.get("themes", value):
        data["theme"] = value
    elif step == "training":
        if chosen is not None:
            training = await context.services.catalogue.training(parse_int(chosen) or 0)
            if training is None or training.theme_code != data["theme"]:
                return False
            data["training_title"] = context.t.pick(training.title_fr, training.title_ar)
            chosen = training.id
        data["training"] = chosen
    elif step == "track" and value in ("strategique", "operationnel", NONE):
        data["track"] = chosen
    elif step in ("position", "region") and (chosen is None or ref.get(f"{step}s", value)):
        data[step] = chosen
    elif step == "level" and value in ("central", "territorial", NONE):
        data["level"] = chosen
        if chosen == "central":
            data.pop("region", None)
    elif step == "semester" and len(value) == 7 and value[:4].isdigit():
        data["semester"] = value
    elif step == "priority" and value in ("1", "2", "3"):
        data["priority"] = int(value)
    else:
        return False
    return True


# --- the readers, the same at every step (data["problems"]: what the last Confirm found) ---------
async def read_text(context: BotContext, data: dict, typed: str) -> Outcome:
    data.pop("problems", None)
    step = _current(data)
    if step not in TYPED:
        return context.t._("Please use the buttons under the question.")
    return _typed(context, step, clean_text(typed), data) or Go(data)


async def read_pick(context: BotContext, data: dict, press: Pick) -> Outcome:
    data.pop("problems", None)
    step = _current(data)
    if step in TYPED or not await _pick(context, step or CONFIRM, press.value, data):
        return _fallback(context, data)
    return Go(data)


async def read_change(context: BotContext, data: dict, press: Change) -> Outcome:
    data.pop("problems", None)
    if press.field not in CHANGEABLE:
        return _fallback(context, data)
    for key in FORGETS.get(press.field, (press.field,)):
        data.pop(key, None)
        data.pop(f"{key}_title", None)
    return Go(data)


async def read_menu(context: BotContext, data: dict, press: ChangeMenu) -> Outcome:
    data.pop("problems", None)
    return Go(data, CHANGE)


async def read_cancel(context: BotContext, data: dict, press: Cancel) -> Outcome:
    return Finish(cancelled, data)


async def read_confirm(context: BotContext, data: dict, press: Confirm) -> Outcome:
    data.pop("problems", None)
    if missing(data) is not None:
        return _fallback(context, data)
    raw = {"theme_code": data["theme"], "training_id": data.get("training"),
           "track": data.get("track"), "position_code": data.get("position"),
           "level": data.get("level"), "region_code": data.get("region"),
           "target_people": data["people"], "target_women": data["women"],
           "target_hours": data["hours"], "semester": data["semester"], "priority": data["priority"]}
    plans, access = context.services.plans, await context.access()
    try:
        if data.get("line"):  # editing a line (conversations/plan_line_edit)
            version = await plans.update_line(access, data["line"], raw, data.get("stored"))
            return Finish(edited, {**data, "new_version": version != data["version"], "version": version})
        await plans.add_line(access, data["version"], raw)
    except LineInvalid as invalid:  # said, then the summary again
        return Go({**data, "problems": [e.code for e in invalid.errors]}, CONFIRM)
    except PlanError as error:
        return Finish(refused, {**data, "error": error.code})
    return Finish(added, data)


# --- what is said ---------------------------------------------------------------------------------
def _asker(step: str | None):
    async def ask_step(update: Update, context: BotContext, data: dict) -> None:
        t = context.t
        if step is None and data.get("problems"):
            problems = "\n".join(f"• {line_error(t, code)}" for code in data["problems"])
            said = (t._("The line cannot be changed:\n{problems}", problems=problems) if data.get("line")
                    else t._("The line cannot be added:\n{problems}", problems=problems))
            await say(update, said)
        await ask(update, context, step, data)

    return ask_step


async def ask_change(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await show(update, t._("What do you want to change?"), keyboard(
        pairs([button(change_label(t, f), Change(f)) for f in CHANGEABLE])))


def back(context: BotContext, data: dict) -> object:
    return keyboard([[button(context.t._("« Back to the plan"),
                             PlanOpen(data["version"], 0, data.get("national", False)))]])


async def cancelled(update: Update, context: BotContext, data: dict) -> None:
    text = context.t._("Nothing was changed.") if data.get("line") else PlanLine().cancelled_text(context)
    await show(update, text, back(context, data))


async def refused(update: Update, context: BotContext, data: dict) -> None:
    await say(update, plan_error(context.t, data["error"]))


async def added(update: Update, context: BotContext, data: dict) -> None:
    said = [context.t._("✅ Line added."), summary(context, data)]
    await show(update, "\n".join(said), back(context, data))


async def edited(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    said = [t._("✅ Line changed.")]
    if data["new_version"]:
        said.append(t._("A new draft version was started with this change; the returned one "
                        "stays as it was."))
    await show(update, "\n".join([*said, summary(context, data)]), back(context, data))


def _step(ask_step) -> Step:
    return Step(ask_step, text=read_text, buttons={
        Pick: read_pick, Change: read_change, ChangeMenu: read_menu, Confirm: read_confirm,
        Cancel: read_cancel})


class PlanLine(StepFlow):
    name = PLAN_LINE
    steps = {**{s: _step(_asker(s)) for s in STEPS}, CONFIRM: _step(_asker(None)), CHANGE: _step(ask_change)}
    stale_elsewhere = True  # its buttons are stale outside it (see `register`)

    def next_step(self, data: dict) -> str:
        return _current(data) or CONFIRM

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("No line was added.")

    def off_question(self, update: Update, context: BotContext) -> str:
        draft = context.person.draft
        return _fallback(context, dict(draft.data)) if draft else super().off_question(update, context)


async def stale(update: Update, context: BotContext, press: object) -> None:
    """A button of a line flow that was left or finished."""
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    for kind in (Pick, Change, ChangeMenu, Confirm, Cancel):
        app.add_handler(on(kind, stale))
