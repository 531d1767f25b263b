"""The gatekeeper: runs first for every update (group -10, order matters).

It loads who is writing (one read), sets the translator, keeps the bot to private chats, and
notes people who block or unblock the bot.
"""

from __future__ import annotations

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import resolve_language, translator


async def gate(update: Update, context: BotContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or user.is_bot:
        raise ApplicationHandlerStop  # channel posts, service updates: nothing for us
    if update.my_chat_member is not None:
        await _membership(update.my_chat_member, context)
        raise ApplicationHandlerStop
    if chat is not None and chat.type != ChatType.PRIVATE:
        await _group(update, context)
        raise ApplicationHandlerStop
    person = await context.services.people.load(user.id)
    if person.profile is not None and person.profile.unreachable:
        # They write to us again: what waited for them in the outbox can go out now.
        await context.services.people.set_reachable(user.id, True)
        context.services.wake_dispatcher()
    context.set_person(person, user.language_code)


async def _membership(change: ChatMemberUpdated, context: BotContext) -> None:
    """A private chat's member status changed: blocked (kicked) or unblocked (member)."""
    if change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    reachable = status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    await context.services.people.set_reachable(change.from_user.id, reachable)


async def _group(update: Update, context: BotContext) -> None:
    """In a group, answer commands with a pointer to the private chat; ignore the rest."""
    message = update.effective_message
    if message is None or not message.text or not message.text.startswith("/"):
        return
    user = update.effective_user
    t = translator(resolve_language(None, user.language_code if user else None))
    await message.reply_text(t.to_person("I only work in a private chat: open @{bot} and write to me "
                                 "there.", bot=context.services.bot_username))
