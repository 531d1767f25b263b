"""The steps of adding a plan line (conversations/plan_line.py): what each asks, its buttons,
and the summary with Confirm / Change / Cancel. A step is asked when its answer is missing from
the draft, so "Change" forgets an answer (and what depends on it) and the flow asks it again."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services import plan_choices
from handlers.buttons import Callback
from handlers.prc_text import level_word, track_word
from handlers.ui import button, esc, keyboard, pairs, say

NONE = "_"  # "any" / "not given", in button data
STEPS = ("theme", "training", "track", "position", "level", "region", "people", "women", "hours",
         "semester", "priority")
TYPED = ("people", "women", "hours")
# What changing an answer forgets too: a training belongs to its theme, a region to its level.
FORGETS = {"theme": ("theme", "training"), "level": ("level", "region")}
CHANGEABLE = ("theme", "track", "position", "level", "people", "women", "hours", "semester", "priority")


@dataclass(frozen=True)
class Pick(Callback, feature="prl", action="v"):
    value: str


@dataclass(frozen=True)
class Change(Callback, feature="prl", action="ch"):
    field: str


@dataclass(frozen=True)
class ChangeMenu(Callback, feature="prl", action="chm"):
    pass


@dataclass(frozen=True)
class Confirm(Callback, feature="prl", action="ok"):
    pass


@dataclass(frozen=True)
class Cancel(Callback, feature="prl", action="no"):
    pass


def missing(data: dict) -> str | None:
    """The first step still unanswered (None: the summary)."""
    for step in STEPS:
        if step == "region" and data.get("level") == "central":
            continue
        if step not in data:
            return step
    return None


def semesters(data: dict) -> list[str]:
    return [f"{y}-S{h}" for y in range(data["start"], data["end"] + 1) for h in (1, 2)]


async def ask(update: Update, context: BotContext, step: str | None, data: dict) -> None:
    t, ref = context.t, context.services.reference
    any_button = [button(t._("Any"), Pick(NONE))]
    if step is None:
        return await say(update, summary(context, data), keyboard([
            [button(t._("✅ Confirm"), Confirm())],
            [button(t._("✏️ Change"), ChangeMenu()), button(t._("✖️ Cancel"), Cancel())]]))
    if step == "theme":
        rows = pairs([button(t.pick(r.name_fr, r.name_ar), Pick(r.code)) for r in ref.themes])
        return await say(update, t._("New plan line: which theme? (/cancel to stop)"), keyboard(rows))
    if step == "training":
        trainings = await plan_choices.theme_trainings(context.services.plans, data["theme"])
        rows = [[button(t.pick(r["title_fr"], r["title_ar"])[:60], Pick(str(r["id"])))] for r in trainings]
        rows.append([button(t._("Any training of the theme"), Pick(NONE))])
        return await say(update, t._("A precise training, or any training of the theme?"), keyboard(rows))
    if step == "track":
        return await say(update, t._("Which track?"), keyboard([
            [button(track_word(t, "strategique"), Pick("strategique")),
             button(track_word(t, "operationnel"), Pick("operationnel"))],
            [button(t._("As the theme or training says"), Pick(NONE))]]))
    if step == "position":
        rows = pairs([button(t.pick(r.name_fr, r.name_ar), Pick(r.code)) for r in ref.positions])
        return await say(update, t._("For which position? (optional)"), keyboard([*rows, any_button]))
    if step == "level":
        return await say(update, t._("At which level? (optional)"), keyboard([
            [button(level_word(t, "central"), Pick("central")),
             button(level_word(t, "territorial"), Pick("territorial"))], any_button]))
    if step == "region":
        rows = pairs([button(t.pick(r.name_fr, r.name_ar), Pick(r.code)) for r in ref.regions])
        return await say(update, t._("In which region? (optional)"), keyboard([*rows, any_button]))
    if step == "semester":
        rows = pairs([button(s, Pick(s)) for s in semesters(data)])
        return await say(update, t._("In which semester?"), keyboard(rows))
    if step == "priority":
        return await say(update, t._("Which priority?"), keyboard([[
            button(priority_word(t, 1), Pick("1")), button(priority_word(t, 2), Pick("2")),
            button(priority_word(t, 3), Pick("3"))]]))
    prompts = {"people": t._("How many people to train? Type a whole number."),
               "women": t._("Of whom how many women? Type a whole number (0 if none is set)."),
               "hours": t._("How many training hours in all (person-hours)? Type a number.")}
    await say(update, prompts[step])


def priority_word(t: Translator, priority: int) -> str:
    return {1: t._("1 — high"), 2: t._("2 — medium"), 3: t._("3 — low")}.get(priority, str(priority))


def summary(context: BotContext, data: dict) -> str:
    t, ref = context.t, context.services.reference

    def name(kind: str, code: str | None) -> str:
        found = ref.get(kind, code)
        return t.pick(found.name_fr, found.name_ar) if found else t._("any")

    rows = [t._("<b>The line, changed:</b>") if data.get("old") else t._("<b>The new line:</b>"),
            t._("Theme: {theme}", theme=esc(name("themes", data["theme"]))),
            t._("Training: {training}", training=esc(data.get("training_title") or t._("any"))),
            t._("Track: {track}", track=track_word(t, data.get("track")) if data.get("track")
                else t._("as the theme or training says")),
            t._("For: {who}", who=esc(whom(context, data))),
            t._("People: {people}, of whom women: {women}", people=t.number(data["people"]),
                women=t.number(data["women"])),
            t._("Hours: {hours}", hours=t.number(data["hours"])),
            t._("Semester: {semester}", semester=t.iso(data["semester"])),
            t._("Priority: {priority}", priority=priority_word(t, data["priority"]))]
    if data.get("old"):  # editing: what changes, old → new
        rows += changes(context, data["old"], data)
    return "\n".join(rows)


def whom(context: BotContext, data: dict) -> str:
    t, ref = context.t, context.services.reference

    def name(kind: str, code: str | None) -> str:
        found = ref.get(kind, code)
        return t.pick(found.name_fr, found.name_ar) if found else t._("any")

    who = [name("positions", data.get("position")), level_word(t, data.get("level"))]
    if data.get("level") != "central":
        who.append(name("regions", data.get("region")))
    return t.join(who)


def shown(context: BotContext, field: str, data: dict) -> str:
    """One field of a line as the summary says it (for old → new)."""
    t, ref = context.t, context.services.reference
    if field == "theme":
        theme = ref.get("themes", data.get("theme"))
        what = t.pick(theme.name_fr, theme.name_ar) if theme else "—"
        training = data.get("training_title") or t._("any")
        return f"{what} · {training}"
    if field == "track":
        return track_word(t, data["track"]) if data.get("track") else t._("as the theme or training says")
    if field == "where":
        return whom(context, data)
    if field == "priority":
        return priority_word(t, data["priority"])
    if field == "semester":
        return t.iso(data["semester"])
    return t.number(data[field])


def changes(context: BotContext, old: dict, new: dict) -> list[str]:
    t = context.t
    keys = {"theme": ("theme", "training"), "track": ("track",), "where": ("position", "level", "region"),
            "people": ("people",), "women": ("women",), "hours": ("hours",), "semester": ("semester",),
            "priority": ("priority",)}
    changed = [f for f, ks in keys.items() if any(old.get(k) != new.get(k) for k in ks)]
    if not changed:
        return [t._("Nothing changes yet.")]
    return [t._("<b>Changes</b>")] + [
        t._("{field}: {old} → {new}", field=t._("Position, level and region") if f == "where"
            else change_label(t, f),
            old=esc(shown(context, f, old)), new=esc(shown(context, f, new))) for f in changed]


def change_label(t: Translator, field: str) -> str:
    return {"theme": t._("Theme and training"), "track": t._("Track"), "position": t._("Position"),
            "level": t._("Level and region"), "people": t._("People"), "women": t._("Women"),
            "hours": t._("Hours"), "semester": t._("Semester"), "priority": t._("Priority")}[field]
