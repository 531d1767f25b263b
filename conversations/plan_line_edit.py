"""Editing a plan line in place, one field at a time (the field-edit style): from a line of a
draft or returned plan, a button per field → the line flow (conversations/plan_line) opens with
the line's answers, asks only that field (and what depends on it), and its summary shows old →
new before Confirm. The plan service keeps the version rules (a returned plan is changed in a
new version; a submitted, validated or active one is not changed in place) and audits the
change (bot/services/plans.update_line)."""

from __future__ import annotations

import sqlite3

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services.access import Role
from bot.services.plans import PlanError, stored_line
from conversations.plan_line import PlanLine
from conversations.plan_line_steps import missing
from handlers.buttons import on
from handlers.plan_buttons import EditField, EditLine, PlanOpen
from handlers.prc_text import plan_error
from handlers.ui import answer, button, keyboard, pairs, show

# Each button forgets these answers, so the flow asks them again (a theme brings its training
# and track, a level its region, a number of people the women among them).
FIELDS = {"people": ("people", "women"), "women": ("women",), "hours": ("hours",),
          "semester": ("semester",), "priority": ("priority",),
          "where": ("position", "level", "region"), "track": ("track",),
          "theme": ("theme", "training", "training_title", "track")}


def field_label(context: BotContext, field: str) -> str:
    t = context.t
    return {"people": t._("Target people"), "women": t._("Women"), "hours": t._("Hours"),
            "semester": t._("Semester"), "priority": t._("Priority"),
            "where": t._("Position, level and region"), "track": t._("Track"),
            "theme": t._("Theme and training")}[field]


async def line_data(context: BotContext, line: sqlite3.Row, version: sqlite3.Row) -> dict:
    """The line as the flow's answers (what its summary shows and Confirm sends)."""
    training = (await context.services.catalogue.training(line["training_id"])
                if line["training_id"] is not None else None)
    data = {"theme": line["theme_code"] or (training.theme_code if training else None),
            "training": line["training_id"], "track": line["track"],
            "position": line["position_code"], "level": line["level"], "region": line["region_code"],
            "people": line["target_people"], "women": line["target_women"],
            "hours": line["target_hours"], "semester": line["semester"], "priority": line["priority"]}
    if training is not None:
        data["training_title"] = context.t.pick(training.title_fr, training.title_ar)
    return data


async def _editable(update: Update, context: BotContext, line_id: int):
    try:
        return await context.services.plans.editable_line(await context.access(), line_id)
    except PlanError as error:
        await answer(update, plan_error(context.t, error.code), alert=True)
        return None


async def on_menu(update: Update, context: BotContext, press: EditLine) -> None:
    t = context.t
    found = await _editable(update, context, press.line)
    if found is None:
        return
    line, version = found
    rows = pairs([button(field_label(context, f), EditField(press.line, f, press.national)) for f in FIELDS])
    rows.append([button(t._("« Back to the plan"), PlanOpen(version["id"], 0, press.national))])
    note = (t.to_person("This plan was returned: your change will start a new version, and the "
                        "returned one stays as the national team saw it.")
            if version["status"] == "returned" else "")
    text = [t._("Which field of the line do you want to change?"), *([note] if note else [])]
    await show(update, "\n".join(text), keyboard(rows))


async def on_field(update: Update, context: BotContext, press: EditField) -> None:
    if press.field not in FIELDS:
        return await answer(update, context.t._("This button is no longer valid."), alert=True)
    found = await _editable(update, context, press.line)
    if found is None:
        return
    line, version = found
    old = await line_data(context, line, version)
    data = {k: v for k, v in old.items() if k not in FIELDS[press.field]}
    data.update({"version": version["id"], "start": version["start_year"], "end": version["end_year"],
                 "line": press.line, "old": old, "national": press.national,
                 "stored": stored_line(line)})  # Confirm is refused if it changed meanwhile
    await PlanLine().start(update, context, missing(data) or "confirm", data)


def register(app: Application) -> None:
    # The plan service checks the administration and the version's status again at Confirm.
    app.add_handler(on(EditLine, on_menu, requires=Role.COORDINATOR))
    app.add_handler(on(EditField, on_field, requires=Role.COORDINATOR))
