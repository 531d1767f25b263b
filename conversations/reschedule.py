"""Moving a session: new start (date and time, Moroccan time) → new end, or the same length →
new place (a new link for an online session), or the same → confirm. Everyone concerned is
told, with an updated calendar file. Cancelling one (reason → confirm) is a step of this same
flow: see conversations/cancel_session."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.services.links import check_link, link_reason
from bot.services.people import Draft
from bot.text import ascii_digits, clean_text
from bot.timeutil import from_db, from_local, to_db
from conversations import cancel_session
from conversations.flow import EscapableFlow
from handlers.cards import when
from handlers.ui import answer, button, esc, keyboard, parse, say, show

RESCHEDULE = "reschedule"
START, END, PLACE, CONFIRM = "start", "end", "place", "confirm"
FORMAT = "%Y-%m-%d %H:%M"


def parse_local(text: str) -> datetime | None:
    """'2026-12-10 09:30' typed in Moroccan time (Eastern Arabic digits accepted) → UTC."""
    try:
        return from_local(datetime.strptime(ascii_digits(clean_text(text)), FORMAT))
    except ValueError:
        return None


async def begin(update: Update, context: BotContext, session_id: int) -> None:
    s = await context.services.catalogue.session(session_id)
    if s is None:
        return await answer(update, context.t._("This session no longer exists."), alert=True)
    await context.services.people.save_draft(context.person.user_id, RESCHEDULE, START,
                                             {"session": session_id, "online": bool(s.online_url)})
    await answer(update)
    await say(update, context.t.to_person("New start, in Moroccan time, as YYYY-MM-DD HH:MM (for example "
                                  "{example}). Send /cancel to stop.",
                                  example=s.starts_at.strftime(FORMAT)),
              keyboard([[button(context.t._("Keep the same date and time"), "rs", "keep")]]))


class Reschedule(EscapableFlow):
    name = RESCHEDULE

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        access = await context.access()
        if not access.manages_sessions:
            await people.drop_draft(draft.user_id, self.name)
            return await say(update, t._("This button is no longer valid."))
        data = dict(draft.data)
        query = update.callback_query
        action = (parse(query.data, "rs") or [""])[0] if query else None
        cancelling = draft.step in cancel_session.STEPS
        if query is not None and action not in (("cancel",) if cancelling else ("keep", "go")):
            await people.drop_draft(draft.user_id, self.name)
            return False
        if cancelling:
            return await cancel_session.handle(update, context, draft, action)
        await answer(update)
        typed = update.message.text if update.message and update.message.text else None
        if draft.step in (START, END):
            if action != "keep":
                when = parse_local(typed or "")
                if when is None:
                    return await say(update, t._("Please write the date and time as YYYY-MM-DD HH:MM, "
                                                 "for example 2026-12-10 09:30."))
                data[draft.step] = to_db(when)
            nxt = END if draft.step == START else PLACE
            await people.save_draft(draft.user_id, self.name, nxt, data)
            online = nxt == PLACE and data.get("online")
            question = (t._("New end, as YYYY-MM-DD HH:MM — or keep the same length.") if nxt == END
                        else t._("New link of the online meeting (https://…), or keep the same link.")
                        if online else t.to_person("New place (type it), or keep the same place."))
            keep = (t._("Keep the same length") if nxt == END else t._("Keep the same link") if online
                    else t._("Keep the same place"))
            return await say(update, question, keyboard([[button(keep, "rs", "keep")]]))
        if draft.step == PLACE:
            if action != "keep" and data.get("online"):
                # Checked as typed (not cleaned): an invisible character inside is refused.
                link, reason = check_link(typed or "")
                if reason:
                    return await say(update, link_reason(t, reason))
                data["url"] = link
            elif action != "keep":
                place = clean_text(typed or "")[:200]
                if not place:
                    return await say(update, t._("Please type the place, or keep the same place."))
                data["place"] = place
            await people.save_draft(draft.user_id, self.name, CONFIRM, data)
            return await self._summary(update, context, data)
        if action == "go":
            await people.drop_draft(draft.user_id, self.name)
            return await self._apply(update, context, data)
        return await self._summary(update, context, data)

    async def _summary(self, update: Update, context: BotContext, data: dict) -> None:
        t = context.t
        s = await context.services.catalogue.session(data["session"])
        start = from_db(data.get(START)) or s.starts_at
        end = from_db(data.get(END)) or start + (s.ends_at - s.starts_at)
        lines = [t._("<b>The session will be:</b>"), when(t, start, end)]
        if data.get("place"):
            lines.append(t._("📍 {place}", place=esc(data["place"])))
        if data.get("url"):
            lines.append(t._("💻 Online: {link}", link=esc(t.iso(data["url"]))))
        await say(update, "\n".join(lines), keyboard([
            [button(t._("✅ Apply and tell everyone"), "rs", "go")]]))

    async def _apply(self, update: Update, context: BotContext, data: dict) -> None:
        from handlers.session_admin import refusal

        t = context.t
        place = data.get("place")
        change = await context.services.sessions.reschedule(
            data["session"], actor_id=context.person.user_id, starts_at=from_db(data.get(START)),
            ends_at=from_db(data.get(END)), place_fr=place, place_ar=place, online_url=data.get("url"))
        context.services.wake_dispatcher()
        if change.outcome == "refused":
            return await show(update, refusal(context, change.refusal))
        if change.outcome == "unchanged":
            return await show(update, t._("Nothing was changed."))
        await show(update, t.ngettext("Done: {n} person is being told.", "Done: {n} people are being told.",
                                      change.told))
