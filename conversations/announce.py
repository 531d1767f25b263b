"""Writing a message to many people (a trainer to a session, a coordinator to an audience):
type the text → see the preview and the number of recipients → send, rewrite or cancel."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext
from bot.services.broadcasts import TEXT_MAX, Audience
from bot.services.quiet import quiet_until
from bot.text import clean_text
from conversations.flow import Finish, Go, Outcome, Step, StepFlow
from handlers.announce_access import may_send
from handlers.buttons import Callback
from handlers.ui import button, esc, keyboard, say, show

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
    await Announce().start(update, context, TEXT, data)


async def ask_text(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    await say(update, t.to_person("Type the new text of your message.") if data.get("rewrite") else
              t.to_person("Type your message ({max} characters at most). /cancel to stop.",
                          max=t.number(TEXT_MAX)))


async def read_text(context: BotContext, data: dict, typed: str) -> Outcome:
    t = context.t
    text = clean_text(typed)
    if not text:
        return t._("Please type the message as text.")
    if len(text) > TEXT_MAX:
        return t._("That is too long: {max} characters at most.", max=t.number(TEXT_MAX))
    return Go({**data, "text": text}, CONFIRM)


async def ask_confirm(update: Update, context: BotContext, data: dict) -> None:
    t = context.t
    count = await context.services.broadcasts.count(audience_of(data))
    preview = "\n".join([
        t.ngettext("<b>Preview</b> — it will be sent to {n} person:",
                   "<b>Preview</b> — it will be sent to {n} people:", count),
        "", esc(data["text"])])
    rows = [[button(t._("✅ Send"), Send()), button(t._("✏️ Rewrite"), Rewrite())],
            [button(t._("Cancel"), Drop())]]
    await say(update, preview, keyboard(rows))


async def send(context: BotContext, data: dict, press: Send) -> Outcome:
    return Finish(_send, data)


async def rewrite(context: BotContext, data: dict, press: Rewrite) -> Outcome:
    return Go({**data, "rewrite": True}, TEXT)


async def drop(context: BotContext, data: dict, press: Drop) -> Outcome:
    return Finish(_dropped, data)


async def _dropped(update: Update, context: BotContext, data: dict) -> None:
    await show(update, context.t._("Nothing was sent."))


async def _send(update: Update, context: BotContext, data: dict) -> None:
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


class Announce(StepFlow):
    name = ANNOUNCE
    # Who may send is decided by the audience, not one role: checked again when sending.
    steps = {TEXT: Step(ask_text, text=read_text),
             CONFIRM: Step(ask_confirm, buttons={Send: send, Rewrite: rewrite, Drop: drop})}

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was sent.")

    def off_question(self, update: Update, context: BotContext) -> str:
        message = update.message
        if message is not None and message.text:  # typed under the preview
            return context.t._("Please use the buttons under the preview.")
        if message is not None:
            return context.t._("Please type the message as text.")
        return super().off_question(update, context)


def _held_until(context: BotContext) -> str | None:
    """When quiet hours let a message that can wait go (the dispatcher holds it till then)."""
    settings, t = context.services.settings, context.t
    now = context.services.clock.now()
    until = quiet_until(now, settings.quiet_start_hour, settings.quiet_end_hour)
    if until is None:
        return None
    return t.time(until) if t.date(until) == t.date(now) else t.datetime(until)
