"""Creating a session in the chat: training → start → end → place in French, then in Arabic
(or Online → its link) → region → language → capacity → approval → summary, where any answer
can be changed → publish (its interest list hears first)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.catalogue import PAGE_SIZE
from bot.services.field_edit import MAX_PLACE, SESSION_LANGUAGES, check_text
from bot.services.links import check_link, link_reason
from bot.services.people import Draft
from bot.text import clean_text, parse_int
from bot.timeutil import from_db, to_db
from conversations.capacity import MAX_PLACES
from conversations.flow import EscapableFlow
from conversations.new_session_summary import change_buttons, summary
from conversations.reschedule import parse_local
from handlers import labels
from handlers.ui import answer, button, esc, keyboard, nav_row, pairs, parse, say, show, to_int

NEW_SESSION = "new_session"
TRAINING, START, END, PLACE, PLACE_AR, LINK, REGION, LANGUAGE, CAPACITY, APPROVAL, CONFIRM = (
    "training", "start", "end", "place", "place_ar", "link", "region", "language", "capacity",
    "approval", "confirm")
# What the summary's "change" buttons forget, so that the flow asks it again (and what depends
# on it: a new start needs a new end; a new place may become a link and back).
FORGETS = {"training": ("training", "title"), "dates": (START, END),
           "place": ("online", "place_fr", "place_ar", "url", "region"), "region": ("region",),
           "language": ("language",), "capacity": (CAPACITY,), "approval": ("approval",)}


def missing(data: dict) -> str:
    """The first thing the session still lacks (CONFIRM when nothing): every step asks it, so a
    field forgotten from the summary is asked again, and only it."""
    if "training" not in data:
        return TRAINING
    for step in (START, END):
        if step not in data:
            return step
    if "online" not in data:
        return PLACE
    if data["online"]:
        if "url" not in data:
            return LINK
    elif "place_ar" not in data:
        return PLACE_AR
    elif "region" not in data:
        return REGION
    for step in (LANGUAGE, CAPACITY, "approval"):
        if step not in data:
            return APPROVAL if step == "approval" else step
    return CONFIRM


async def newsession_command(update: Update, context: BotContext) -> None:
    """/newsession: create a session (national coordinators and admins)."""
    if not (await context.access()).manages_sessions:
        return await say(update, context.t._("This command is reserved for administrators and national "
                                             "coordinators."))
    await context.services.people.save_draft(context.person.user_id, NEW_SESSION, TRAINING, {})
    await NewSession().ask(update, context, TRAINING, {}, 0)


class NewSession(EscapableFlow):
    name = NEW_SESSION

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was created.")

    async def ask(self, update: Update, context: BotContext, step: str, data: dict, page: int = 0) -> None:
        t = context.t
        if step == TRAINING:
            trainings = await context.services.db.read(lambda c: c.execute(
                "SELECT id, title_fr, title_ar FROM trainings ORDER BY title_fr").fetchall())
            pages = max(1, -(-len(trainings) // PAGE_SIZE))
            page = min(max(0, page), pages - 1)
            rows = [[button(t.pick(r[1], r[2]), "ns", "t", r[0])]
                    for r in trainings[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
            rows.append(nav_row(t, page, pages, "ns", "p"))
            return await show(update, t._("New session: which training? (/cancel to stop)"), keyboard(rows))
        prompts = {
            START: t._("Start, in Moroccan time, as YYYY-MM-DD HH:MM."),
            END: t._("End, as YYYY-MM-DD HH:MM."),
            PLACE: t.to_person("Place in French (type it), or press Online."),
            PLACE_AR: t.to_person("Place in Arabic (type it), or keep the same as in French."),
            LINK: t._("Link of the online meeting, starting with https:// (Teams, Zoom, Meet…)."),
            CAPACITY: t._("How many places?"),
        }
        if step in prompts:
            rows = ([[button(t._("Online"), "ns", "online")]] if step == PLACE
                    else [[button(t._("Same as in French"), "ns", "same")]] if step == PLACE_AR else [])
            return await say(update, prompts[step], keyboard(rows))
        if step == REGION:
            ref = context.services.reference
            rows = pairs([button(t.pick(r.name_fr, r.name_ar), "ns", "r", r.code) for r in ref.regions])
            return await say(update, t._("In which region?"), keyboard(rows))
        if step == LANGUAGE:
            return await say(update, t._("In which language will the session be given?"), keyboard([
                [button(labels.session_language(t, code), "ns", "l", code) for code in SESSION_LANGUAGES]]))
        if step == APPROVAL:
            return await say(update, t._("Must the focal point approve each registration?"), keyboard([
                [button(t._("Yes"), "ns", "a", 1), button(t._("No"), "ns", "a", 0)]]))
        await say(update, summary(context, data), keyboard([
            [button(t._("✅ Publish"), "ns", "go")],
            *pairs([button(label, "ns", "e", key) for key, label in change_buttons(t, data)])]))

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        if not (await context.access()).manages_sessions:
            await people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        data, step = dict(draft.data), draft.step
        query = update.callback_query
        parts = parse(query.data, "ns") if query else None
        if query is not None and parts is None:
            await people.drop_draft(draft.user_id, self.name)
            return False
        await answer(update)
        typed = clean_text(update.message.text) if update.message and update.message.text else ""
        done = False
        if step == TRAINING and parts and parts[0] == "p" and len(parts) == 2:
            return await self.ask(update, context, TRAINING, data, to_int(parts[1]) or 0)
        if step == TRAINING and parts and parts[0] == "t" and len(parts) == 2:
            training = await context.services.catalogue.training(to_int(parts[1]) or 0)
            if training:
                data.update(training=training.id, title=t.pick(training.title_fr, training.title_ar))
                done = True
        elif step in (START, END) and typed:
            when = parse_local(typed)
            now = context.services.clock.now()
            if when is None or when <= now or (step == END and when <= from_db(data[START])):
                return await say(update, t._("Please write a date and time to come as YYYY-MM-DD HH:MM, "
                                             "after the start for the end."))
            data[step], done = to_db(when), True
        elif step == PLACE and parts == ["online"]:
            data["online"], done = True, True  # the coordinator's own link: the bot cannot invent one
        elif step in (PLACE, PLACE_AR) and (typed or parts == ["same"] and step == PLACE_AR):
            place, reason = check_text("place_fr", typed or data.get("place_fr", ""))
            if reason:
                return await say(update, t.ngettext(
                    "This is too long: at most {n} character, please shorten it.",
                    "This is too long: at most {n} characters, please shorten it.", MAX_PLACE))
            data.update({"online": False, "place_fr" if step == PLACE else "place_ar": place})
            done = True
        elif step == LINK and update.message and update.message.text:
            # Checked as typed (not cleaned): an invisible character inside is refused, not hidden.
            link, reason = check_link(update.message.text)
            if reason:
                return await say(update, link_reason(t, reason))
            data["url"], done = link, True
        elif step == REGION and parts and parts[0] == "r" and len(parts) == 2:
            if context.services.reference.get("regions", parts[1]):
                data["region"], done = parts[1], True
        elif step == LANGUAGE and parts and parts[0] == "l" and parts[1:] and parts[1] in SESSION_LANGUAGES:
            data["language"], done = parts[1], True
        elif step == CAPACITY and typed:
            places = parse_int(typed)
            if places is None or not 0 < places <= MAX_PLACES:
                return await say(update, t._("Please type a whole number of places, from 1 to 10000."))
            data[CAPACITY], done = places, True
        elif step == APPROVAL and parts and parts[0] == "a" and len(parts) == 2:
            data["approval"], done = parts[1] == "1", True
        elif step == CONFIRM and parts and parts[0] == "e" and len(parts) == 2 and parts[1] in FORGETS:
            for key in FORGETS[parts[1]]:
                data.pop(key, None)
            done = True
        elif step == CONFIRM and parts == ["go"]:
            await people.drop_draft(draft.user_id, self.name)
            return await self.publish(update, context, data)
        if not done:
            await say(update, t._("Please answer the question below."))
            return await self.ask(update, context, step, data)
        nxt = missing(data)
        await people.save_draft(draft.user_id, self.name, nxt, data)
        await self.ask(update, context, nxt, data)

    async def publish(self, update: Update, context: BotContext, data: dict) -> None:
        t = context.t
        sid, told = await context.services.sessions.create(
            context.person.user_id, training_id=data["training"], starts_at=from_db(data[START]),
            ends_at=from_db(data[END]), place_fr=data.get("place_fr", ""),
            place_ar=data.get("place_ar", ""), region_code=data.get("region"),
            online_url=data.get("url"), capacity=data[CAPACITY], needs_approval=data["approval"],
            language=data["language"])
        context.services.wake_dispatcher()
        link = f"https://t.me/{context.services.bot_username}?start=s_{sid}"
        await show(update, "\n".join([
            t._("✅ The session is published."),
            t.ngettext("{n} person waiting for it is being told.",
                       "{n} people waiting for it are being told.", told),
            esc(t.iso(link))]))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("newsession", newsession_command))
