"""Adding a line to a draft plan, step by step on the draft row (conversations/flow.py): theme →
training → track → position → level → region → people → women → hours → semester → priority →
summary (Confirm / Change / Cancel). The plan rules check the line at Confirm
(bot/services/plan_lines.py) and every problem is said in the person's language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.people import Draft
from bot.services.plan_lines import LineInvalid
from bot.services.plans import PlanError
from bot.text import ascii_digits, clean_text, parse_int
from conversations.flow import EscapableFlow
from conversations.plan_line_steps import (
    CHANGEABLE,
    FORGETS,
    NONE,
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


async def begin(update: Update, context: BotContext, version_id: int) -> None:
    try:
        version = await context.services.plans.version(await context.access(), version_id)
    except PlanError as error:
        return await answer(update, plan_error(context.t, error.code), alert=True)
    if version["status"] != "draft":
        return await answer(update, plan_error(context.t, "not_editable"), alert=True)
    data = {"version": version_id, "start": version["start_year"], "end": version["end_year"]}
    await context.services.people.save_draft(context.person.user_id, PLAN_LINE, "theme", data)
    await answer(update)
    await ask(update, context, "theme", data)


def _hours(text: str) -> float | None:
    try:
        value = float(ascii_digits(text).replace(",", "."))
    except ValueError:
        return None
    return value if 0 <= value <= 10_000_000 else None


class PlanLine(EscapableFlow):
    name = PLAN_LINE

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("No line was added.")

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t, people = context.t, context.services.people
        data, query = dict(draft.data), update.callback_query
        pressed = None
        if query is not None:
            for kind in (Pick, Change, ChangeMenu, Confirm, Cancel):
                pressed = kind.unpack(query.data)
                if pressed is not None:
                    break
            if pressed is None:  # another screen's button: the flow is left
                await people.drop_draft(draft.user_id, self.name)
                return False
        await answer(update)
        if isinstance(pressed, Cancel):
            await people.drop_draft(draft.user_id, self.name)
            return await show(update, self.cancelled_text(context),
                              keyboard([[button(t._("« Back to the plan"), PlanOpen(data["version"]))]]))
        if isinstance(pressed, ChangeMenu):
            return await show(update, t._("What do you want to change?"), keyboard(
                pairs([button(change_label(t, f), Change(f)) for f in CHANGEABLE])))
        if isinstance(pressed, Change) and pressed.field in CHANGEABLE:
            for key in FORGETS.get(pressed.field, (pressed.field,)):
                data.pop(key, None)
                data.pop(f"{key}_title", None)
        elif isinstance(pressed, Confirm) and missing(data) is None:
            return await self._confirm(update, context, draft, data)
        elif draft.step in TYPED:
            problem = self._typed(context, draft.step, update, data)
            if problem:
                return await say(update, problem)
        elif isinstance(pressed, Pick):
            if not await self._pick(context, draft.step, pressed.value, data):
                return await say(update, t._("Please use the buttons under the question."))
        elif draft.step is not None:
            return await say(update, t._("Please use the buttons under the question."))
        step = missing(data)
        await people.save_draft(draft.user_id, self.name, step or "confirm", data)
        await ask(update, context, step, data)

    def _typed(self, context: BotContext, step: str, update: Update, data: dict) -> str | None:
        """Store the typed number, or say what is wrong with it."""
        t = context.t
        text = clean_text(update.message.text) if update.message and update.message.text else ""
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

    async def _pick(self, context: BotContext, step: str, value: str, data: dict) -> bool:
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

    async def _confirm(self, update: Update, context: BotContext, draft: Draft, data: dict) -> None:
        t = context.t
        raw = {"theme_code": data["theme"], "training_id": data.get("training"),
               "track": data.get("track"), "position_code": data.get("position"),
               "level": data.get("level"), "region_code": data.get("region"),
               "target_people": data["people"], "target_women": data["women"],
               "target_hours": data["hours"], "semester": data["semester"], "priority": data["priority"]}
        try:
            await context.services.plans.add_line(await context.access(), data["version"], raw)
        except LineInvalid as invalid:
            problems = "\n".join(f"• {line_error(t, e.code)}" for e in invalid.errors)
            await say(update, t._("The line cannot be added:\n{problems}", problems=problems))
            return await ask(update, context, None, data)
        except PlanError as error:
            await context.services.people.drop_draft(draft.user_id, self.name)
            return await say(update, plan_error(t, error.code))
        await context.services.people.drop_draft(draft.user_id, self.name)
        await show(update, "\n".join([t._("✅ Line added."), summary(context, data)]),
                   keyboard([[button(t._("« Back to the plan"), PlanOpen(data["version"]))]]))


async def stale(update: Update, context: BotContext, press: object) -> None:
    """A button of a line flow that was left or finished."""
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    for kind in (Pick, Change, ChangeMenu, Confirm, Cancel):
        app.add_handler(on(kind, stale))
