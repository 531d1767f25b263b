"""Typed callback data: one small codec per button action, and one PTB handler per action.

A button's data is `v1:<feature>:<action>:<field>...` (at most 64 bytes, checked here once).
Each action is a frozen dataclass declared with its feature and action:

    @dataclass(frozen=True)
    class Approve(Callback, feature="apr", action="ok"):
        registration: int

    button(t._("✅ Approve"), Approve(reg.id))          # packs itself
    on(Approve, decide, requires=Role.COORDINATOR)      # CallbackQueryHandler(pattern=...)

The handler receives the unpacked value. Data that does not unpack (forged, stale, from an
older release: a field missing, "²" as an id) and a person without the role get the same
polite answers everywhere, by construction; no handler parses callback data by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.access import Role
from handlers.access import refusal
from handlers.callback import Callback, registered
from handlers.ui import answer

__all__ = ["Callback", "StaleButton", "no_longer_valid", "on", "registered", "stale_text"]


class StaleButton(Exception):
    """Raised by a button's callback when what the button points to is gone or is not the
    presser's (a registration of someone else, an administration no longer listed): `on`
    answers it as it answers forged data, so no feature keeps its own copy of that answer."""


def stale_text(t: Translator) -> str:
    """What a button that is forged, stale, foreign or of no feature we know is answered."""
    return t._("This button is no longer valid.")


async def no_longer_valid(update: Update, context: BotContext) -> None:
    await answer(update, stale_text(context.t), alert=True)


Press = Callable[[Update, BotContext, Any], Awaitable[object]]


def on(kind: type[Callback], callback: Press, requires: Role | None = None) -> CallbackQueryHandler:
    """The one handler of a button action: unpacks, checks the role, then calls
    `callback(update, context, value)` (which raises StaleButton for what no longer exists)."""

    async def pressed(update: Update, context: BotContext) -> None:
        value = kind.unpack(update.callback_query.data)
        if value is None:
            return await no_longer_valid(update, context)
        if requires is not None and not (await context.access()).has(requires):
            await answer(update, refusal(context.t, requires), alert=True)
            return
        try:
            await callback(update, context, value)
        except StaleButton:
            await no_longer_valid(update, context)

    pressed.__qualname__ = f"on({kind.__name__})"
    return CallbackQueryHandler(pressed, pattern=kind.pattern())
