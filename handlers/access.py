"""Role checks as a declaration: `@requires(Role.COORDINATOR)` on a command handler, `requires=`
on a button (handlers.buttons.on), and one refusal text per role, said the same everywhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from handlers.ui import answer, show


def refusal(t: Translator, role: Role) -> str:
    """What a person without the role is told."""
    if role is Role.ADMIN:
        return t._("This command is reserved for the bot's administrators.")
    if role is Role.NATIONAL:
        return t._("This command is reserved for administrators and national coordinators.")
    if role is Role.COORDINATOR:
        return t._("This command is reserved for coordinators and focal points.")
    # TRANSLATORS: said to someone who used a trainer's command or button without the role.
    return t._("This command is reserved for trainers.")


Handler = Callable[..., Awaitable[Any]]


def requires(role: Role) -> Callable[[Handler], Handler]:
    """Checked on every use (roles change, buttons outlive them): refused politely, in place of
    the screen (a button's message is edited, a command answered)."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(update: Update, context: BotContext, *args: Any, **kwargs: Any) -> Any:
            if not (await context.access()).has(role):
                await answer(update, refusal(context.t, role), alert=True)
                if update.callback_query is None:
                    await show(update, refusal(context.t, role))
                return None
            return await handler(update, context, *args, **kwargs)

        return checked

    return decorate
