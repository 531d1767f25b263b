"""The questions of /newsession (conversations/new_session) and their typed buttons."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services import plan_choices
from bot.services.catalogue import PAGE_SIZE
from bot.services.field_edit import SESSION_LANGUAGES
from bot.services.plan_schedule import default_release, suggested_days
from bot.timeutil import from_db
from conversations.new_session_summary import change_buttons, summary
from handlers import labels
from handlers.buttons import Callback
from handlers.ui import button, keyboard, nav_row, pairs, say, show


@dataclass(frozen=True)
class TrainingsPage(Callback, feature="ns", action="p"):
    page: int


@dataclass(frozen=True)
class PickTraining(Callback, feature="ns", action="t"):
    training: int


@dataclass(frozen=True)
class Online(Callback, feature="ns", action="online"):
    pass


@dataclass(frozen=True)
class SameAsFrench(Callback, feature="ns", action="same"):
    pass


@dataclass(frozen=True)
class PickRegion(Callback, feature="ns", action="r"):
    code: str


@dataclass(frozen=True)
class PickLanguage(Callback, feature="ns", action="l"):
    index: int  # in SESSION_LANGUAGES ("fr+ar" cannot go in callback data as it is)


@dataclass(frozen=True)
class Approval(Callback, feature="ns", action="a"):
    needed: bool


@dataclass(frozen=True)
class Change(Callback, feature="ns", action="e"):
    what: str  # a key of new_session.FORGETS


@dataclass(frozen=True)
class Publish(Callback, feature="ns", action="go"):
    pass


@dataclass(frozen=True)
class Release(Callback, feature="ns", action="rel"):
    default: bool  # a week before the start; False: until registration closes


async def ask_training(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    if data.get("theme"):  # scheduled from plan lines of a theme: its trainings
        rows = await plan_choices.theme_trainings(context.services.plans, data["theme"])
        trainings = [(r["id"], r["title_fr"], r["title_ar"]) for r in rows]
    else:
        trainings = await context.services.catalogue.training_titles()
    pages = max(1, -(-len(trainings) // PAGE_SIZE))
    page = min(max(0, data.get("page", 0)), pages - 1)
    rows = [[button(t.pick(title_fr, title_ar), PickTraining(tid))]
            for tid, title_fr, title_ar in trainings[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
    rows.append(nav_row(t, page, pages, TrainingsPage))
    await show(update, t._("New session: which training? (/cancel to stop)"), keyboard(rows))


async def ask_start(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    text = t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.")
    if data.get("semester"):  # the plan lines' semester suggests when
        first, last = suggested_days(data["semester"])
        text += "\n" + t._("Suggested for {semester}: between {first} and {last}.",
                           semester=t.iso(data["semester"]), first=t.date(first), last=t.date(last))
    await say(update, text)


async def ask_end(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t._("End, as YYYY-MM-DD HH:MM."))


async def ask_place(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Place in French (type it), or press Online."),
              keyboard([[button(t._("Online"), Online())]]))


async def ask_place_ar(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Place in Arabic (type it), or keep the same as in French."),
              keyboard([[button(t._("Same as in French"), SameAsFrench())]]))


async def ask_link(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t._("Link of the online meeting, starting with https:// (Teams, Zoom, Meet…)."))


async def ask_region(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    rows = pairs([button(t.pick(r.name_fr, r.name_ar), PickRegion(r.code))
                  for r in context.services.reference.regions])
    await say(update, t._("In which region?"), keyboard(rows))


async def ask_language(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t._("In which language will the session be given?"), keyboard([
        [button(labels.session_language(t, code), PickLanguage(i))
         for i, code in enumerate(SESSION_LANGUAGES)]]))


async def ask_capacity(update: Update, context: BotContext, data: dict) -> None:
    await say(update, context.t._("How many places?"))


async def ask_approval(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t._("Must the focal point approve each registration?"), keyboard([
        [button(t._("Yes"), Approval(True)), button(t._("No"), Approval(False))]]))


async def ask_release(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    rows = []
    week = default_release(from_db(data["start"]), context.services.clock.now())
    if week is not None:
        rows.append([button(t._("A week before the start ({date})", date=t.date(week)), Release(True))])
    rows.append([button(t._("Until registration closes"), Release(False))])
    await say(update, t.to_person("Until when are the places held for the plans' administrations? Type "
                                  "a date as YYYY-MM-DD (or YYYY-MM-DD HH:MM), or press a button."),
              keyboard(rows))


async def ask_confirm(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, summary(context, data), keyboard([
        [button(t._("✅ Publish"), Publish())],
        *pairs([button(label, Change(key)) for key, label in change_buttons(t, data)])]))
