"""Creating a session in the chat: training → start → end → place in French, then in Arabic
(or Online → its link) → region → language → capacity → approval → summary, where any answer
can be changed → publish (its interest list hears first). Declared as steps (conversations/flow).
Opened from plan lines (conversations/plan_schedule) it comes prefilled, suggests dates in the
lines' semester, asks until when the places reserved for their administrations are held, and
publishes the session linked to the lines with those places (bot/services/plan_schedule)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Role
from bot.services.field_edit import MAX_PLACE, SESSION_LANGUAGES, check_text
from bot.services.links import check_link, link_reason
from bot.services.plan_schedule import default_release
from bot.services.plans import PlanError
from bot.text import clean_text, parse_int
from bot.timeutil import from_db, to_db
from conversations import new_session_questions as q
from conversations.capacity import MAX_PLACES
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from conversations.new_session_summary import refusal_text
from conversations.reschedule import parse_local
from handlers.access import requires
from handlers.ui import esc, show

NEW_SESSION = "new_session"
TRAINING, START, END, PLACE, PLACE_AR, LINK, REGION, LANGUAGE, CAPACITY, APPROVAL, RELEASE, CONFIRM = (
    "training", "start", "end", "place", "place_ar", "link", "region", "language", "capacity",
    "approval", "release", "confirm")
# What the summary's "change" buttons forget, so that the flow asks it again (and what depends
# on it: a new start needs a new end; a new place may become a link and back).
FORGETS = {"training": ("training", "title"), "dates": (START, END, RELEASE),
           "place": ("online", "place_fr", "place_ar", "url", "region"), "region": ("region",),
           "language": ("language",), "capacity": (CAPACITY,), "approval": ("approval",),
           "release": (RELEASE,)}


# The answer a refusal at publishing points to (asked again; the others kept): the release
# date of the reserved places, or a training not of the lines' theme.
REFUSED_ANSWER = {"quota_refused": "release", "mixed_themes": "training", "mixed_trainings": "training"}


def missing(data: dict) -> str:
    """The first thing the session still lacks (CONFIRM when nothing): every step asks it, so a
    field forgotten from the summary is asked again, and only it."""
    where = [(LINK, "url")] if data.get("online") else [(PLACE_AR, "place_ar"), (REGION, "region")]
    wanted = [(TRAINING, "training"), (START, START), (END, END), (PLACE, "online"), *where,
              (LANGUAGE, "language"), (CAPACITY, CAPACITY), (APPROVAL, "approval")]
    if data.get("lines"):  # scheduled from plan lines: until when their places are held
        wanted.append((RELEASE, RELEASE))
    return next((step for step, key in wanted if key not in data), CONFIRM)


# --- reading the answers ---------------------------------------------------------------------------
async def turn_page(context: BotContext, data: dict, press: q.TrainingsPage) -> Outcome:
    return Go({**data, "page": press.page}, TRAINING)


async def pick_training(context: BotContext, data: dict, press: q.PickTraining) -> Outcome:
    training = await context.services.catalogue.training(press.training)
    if training is None:
        return None
    data.pop("page", None)
    return Go({**data, "training": training.id, "title": context.t.pick(training.title_fr,
                                                                        training.title_ar)})


def read_when(key: str):
    async def read(context: BotContext, data: dict, typed: str) -> Outcome:
        if not clean_text(typed):
            return None
        when = parse_local(typed)
        if when is None or when <= context.services.clock.now() or (
                key == END and when <= from_db(data[START])):
            return context.t._("Please write a date and time to come as YYYY-MM-DD HH:MM, after the "
                               "start for the end.")
        return Go({**data, key: to_db(when)})
    return read


def read_place(key: str):
    async def read(context: BotContext, data: dict, typed: str) -> Outcome:
        return _place(context, data, key, clean_text(typed))
    return read


def _place(context: BotContext, data: dict, key: str, typed: str) -> Outcome:
    if not typed:
        return None
    place, reason = check_text("place_fr", typed)
    if reason:
        return context.t.ngettext("This is too long: at most {n} character, please shorten it.",
                                  "This is too long: at most {n} characters, please shorten it.", MAX_PLACE)
    return Go({**data, "online": False, key: place})


async def same_as_french(context: BotContext, data: dict, press: q.SameAsFrench) -> Outcome:
    return _place(context, data, "place_ar", data.get("place_fr", ""))


async def online(context: BotContext, data: dict, press: q.Online) -> Outcome:
    return Go({**data, "online": True})  # the coordinator's own link: the bot cannot invent one


async def read_link(context: BotContext, data: dict, typed: str) -> Outcome:
    # Checked as typed (not cleaned): an invisible character inside is refused, not hidden.
    link, reason = check_link(typed)
    return link_reason(context.t, reason) if reason else Go({**data, "url": link})


async def pick_region(context: BotContext, data: dict, press: q.PickRegion) -> Outcome:
    known = context.services.reference.get("regions", press.code)
    return Go({**data, "region": press.code}) if known else None


async def pick_language(context: BotContext, data: dict, press: q.PickLanguage) -> Outcome:
    if not 0 <= press.index < len(SESSION_LANGUAGES):
        return None
    return Go({**data, "language": SESSION_LANGUAGES[press.index]})


async def read_capacity(context: BotContext, data: dict, typed: str) -> Outcome:
    if not clean_text(typed):
        return None
    places = parse_int(typed)
    if places is None or not 0 < places <= MAX_PLACES:
        return context.t._("Please type a whole number of places, from 1 to 10000.")
    return Go({**data, CAPACITY: places})


async def approval(context: BotContext, data: dict, press: q.Approval) -> Outcome:
    return Go({**data, "approval": press.needed})


async def change(context: BotContext, data: dict, press: q.Change) -> Outcome:
    if press.what not in FORGETS:
        return None
    return Go({k: v for k, v in data.items() if k not in FORGETS[press.what]})


async def read_release(context: BotContext, data: dict, typed: str) -> Outcome:
    if not clean_text(typed):
        return None
    when = parse_local(typed if " " in typed.strip() else f"{typed.strip()} 00:00")
    if when is None or not context.services.clock.now() < when < from_db(data[START]):
        return context.t._("Please write a date to come and before the start, as YYYY-MM-DD "
                           "(or YYYY-MM-DD HH:MM).")
    return Go({**data, RELEASE: to_db(when)})


async def pick_release(context: BotContext, data: dict, press: q.Release) -> Outcome:
    if not press.default:
        return Go({**data, RELEASE: ""})  # held until registration closes
    when = default_release(from_db(data[START]), context.services.clock.now())
    return Go({**data, RELEASE: to_db(when) if when else ""})


async def publish(context: BotContext, data: dict, press: q.Publish) -> Outcome:
    return Finish(published, data)


async def create(context: BotContext, data: dict) -> tuple[int, int]:
    fields = dict(training_id=data["training"], starts_at=from_db(data[START]),
                  ends_at=from_db(data[END]), place_fr=data.get("place_fr", ""),
                  place_ar=data.get("place_ar", ""),
                  region_code=None if data.get("online") else data.get("region"),
                  online_url=data.get("url"), capacity=data[CAPACITY], needs_approval=data["approval"],
                  language=data["language"])
    if not data.get("lines"):
        return await context.services.sessions.create(context.person.user_id, **fields)
    return await context.services.plan_schedule.create(
        await context.access(), data["lines"], from_db(data[RELEASE] or None), **fields)


async def published(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    if from_db(data[START]) <= context.services.clock.now():  # the summary waited too long
        return await refused(update, context, data, "dates", t._(
            "The start has passed meanwhile: nothing was published. Please write new dates."))
    try:
        sid, told = await create(context, data)
    except PlanError as error:  # a line's plan or the release date moved: nothing was created
        return await refused(update, context, data, REFUSED_ANSWER.get(error.code),
                             refusal_text(context, error.code))
    context.services.wake_dispatcher()
    link = f"https://t.me/{context.services.bot_username}?start=s_{sid}"
    await show(update, "\n".join([
        t._("✅ The session is published."),
        t.ngettext("{n} person waiting for it is being told.",
                   "{n} people waiting for it are being told.", told),
        esc(t.iso(link))]))


async def refused(update: Update, context: BotContext, data: dict, forget: str | None, why: str) -> None:
    """Publishing was refused: the answers are kept (the draft written again), the refused one
    forgotten so that it is asked again, then Publish works as before."""
    kept = {k: v for k, v in data.items() if k not in FORGETS.get(forget or "", ())}
    step = missing(kept)
    await context.services.people.save_draft(context.person.user_id, NEW_SESSION, step, kept)
    await show(update, why)  # in place of the summary and its Publish button
    query = update.callback_query
    # The question in a new message below, so that a question that edits (the training's)
    # does not overwrite the refusal.
    below = Update(update.update_id, message=query.message) if query and isinstance(
        query.message, Message) else update
    await NewSession.steps[step].ask(below, context, kept)


class NewSession(StepFlow):
    name = NEW_SESSION
    requires = Role.NATIONAL
    stale_elsewhere = True  # an old summary's Publish or Change does nothing outside it
    steps = {
        TRAINING: Step(q.ask_training, buttons={q.TrainingsPage: turn_page, q.PickTraining: pick_training}),
        START: Step(q.ask_start, text=read_when(START)),
        END: Step(q.ask_end, text=read_when(END)),
        PLACE: Step(q.ask_place, text=read_place("place_fr"), buttons={q.Online: online}),
        PLACE_AR: Step(q.ask_place_ar, text=read_place("place_ar"),
                       buttons={q.SameAsFrench: same_as_french}),
        LINK: Step(q.ask_link, text=read_link),
        REGION: Step(q.ask_region, buttons={q.PickRegion: pick_region}),
        LANGUAGE: Step(q.ask_language, buttons={q.PickLanguage: pick_language}),
        CAPACITY: Step(q.ask_capacity, text=read_capacity),
        APPROVAL: Step(q.ask_approval, buttons={q.Approval: approval}),
        RELEASE: Step(q.ask_release, text=read_release, buttons={q.Release: pick_release}),
        CONFIRM: Step(q.ask_confirm, buttons={q.Change: change, q.Publish: publish}),
    }

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was created.")

    def next_step(self, data: dict) -> str:
        return missing(data)


@requires(Role.NATIONAL)
async def newsession_command(update: Update, context: BotContext) -> None:
    """/newsession: create a session (national coordinators and admins)."""
    await NewSession().start(update, context, TRAINING, {})


def register(app: Application) -> None:
    app.add_handler(CommandHandler("newsession", newsession_command))
