"""Writing a message to many people (a trainer to a session, a coordinator to an audience):
type the text → see the preview and the number of recipients → send, rewrite or cancel."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services.broadcasts import TEXT_MAX, Audience
from bot.services.people import Draft
from bot.services.quiet import quiet_until
from bot.text import clean_text
from conversations.flow import EscapableFlow
from handlers.announce_access import may_send
from handlers.buttons import Callback
from handlers.ui import answer, button, esc, keyboard, say, show

ANNOUNCE = "announce"
TEXT, CONFIRM = "text", "confirm"


# The preview's buttons, read by the flow while its draft is open; pressed once it is closed,
# they are stale buttons like any other (handlers.fallback).
@dataclass(frozen=True)
class Send(Callback, feature="an", action="send"):
    pass


@dataclass(frozen=True)
class Rewrite(Callback, feature="an", action="edit"):
    pass


@dataclass(frozen=True)
class Drop(Callback, feature="an", action="drop"):
    pass


def audience_of(data: dict) -> Audience:
    a = data["audience"]
    return Audience(a["kind"], a.get("value", ""), a.get("scope"))


async def begin(update: Update, context: BotContext, data: dict) -> None:
    """Open the flow for a chosen audience (`data`: kind, audience, session)."""
    await context.services.people.save_draft(context.person.user_id, ANNOUNCE, TEXT, data)
    await answer(update)
    await say(update, context.t.to_person("Type your message ({max} characters at most). /cancel to stop.",
                                  max=context.t.number(TEXT_MAX)))


class Announce(EscapableFlow):
    name = ANNOUNCE

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was sent.")

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        t = context.t
        people = context.services.people
        query = update.callback_query
        if query is not None:
            press = Send.unpack(query.data) or Rewrite.unpack(query.data) or Drop.unpack(query.data)
            if draft.step != CONFIRM or press is None:
                await people.drop_draft(draft.user_id, self.name)
                return False  # a button of something else: the message is abandoned
            if isinstance(press, Rewrite):
                await people.save_draft(draft.user_id, self.name, TEXT, draft.data)
                await answer(update)
                return await say(update, t.to_person("Type the new text of your message."))
            await people.drop_draft(draft.user_id, self.name)
            if isinstance(press, Drop):
                return await show(update, t._("Nothing was sent."))
            return await self._send(update, context, draft.data)
        if draft.step != TEXT:
            return await say(update, t._("Please use the buttons under the preview."))
        message = update.message
        text = clean_text(message.text) if message and message.text else ""
        if not text:
            return await say(update, t._("Please type the message as text."))
        if len(text) > TEXT_MAX:
            return await say(update, t._("That is too long: {max} characters at most.",
                                         max=t.number(TEXT_MAX)))
        data = {**draft.data, "text": text}
        count = await context.services.broadcasts.count(audience_of(data))
        await people.save_draft(draft.user_id, self.name, CONFIRM, data)
        preview = "\n".join([
            t.ngettext("<b>Preview</b> — it will be sent to {n} person:",
                       "<b>Preview</b> — it will be sent to {n} people:", count),
            "", esc(text)])
        rows = [[button(t._("✅ Send"), Send()), button(t._("✏️ Rewrite"), Rewrite())],
                [button(t._("Cancel"), Drop())]]
        await say(update, preview, keyboard(rows))

    async def _send(self, update: Update, context: BotContext, data: dict) -> None:
        t = context.t
        # The audience was authorised when chosen; roles can change since, so check again.
        if not await may_send(context, data):
            return await show(update, t._("You are no longer allowed to send this message."))
        bid, count = await context.services.broadcasts.send(
            context.person.user_id, data["kind"], audience_of(data), data["text"], data.get("session"))
        context.services.wake_dispatcher()
        lines = [t.nto_person(
            "📣 Sending to {n} person. You will get the figures when it is done (/broadcasts).",
            "📣 Sending to {n} people. You will get the figures when it is done (/broadcasts).", count)]
        held = _held_until(context)
        if held is not None and count:
            lines.append(t._("🌙 It is quiet hours: your message will be sent at {time}.", time=held))
        await show(update, "\n".join(lines))


def _held_until(context: BotContext) -> str | None:
    """When quiet hours let a message that can wait go (the dispatcher holds it till then)."""
    settings, t = context.services.settings, context.t
    now = context.services.clock.now()
    until = quiet_until(now, settings.quiet_start_hour, settings.quiet_end_hour)
    if until is None:
        return None
    return t.time(until) if t.date(until) == t.date(now) else t.datetime(until)
