"""The buttons of a flow whose state a service keeps (flow.py's `service_step`: the questionnaire,
the knowledge test). Each button has one action — it asks the service, which checks and records
in one transaction and returns its new view — and `after` shows that view. The same action runs
from the open flow's step (a reader answering `Shown`) and, with no flow open, from its `on`
handler (an invitation's button, or a button left above after a command)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from conversations.flow import ReadButton, Shown
from handlers.buttons import Callback, on

Act = Callable[[BotContext, Any], Awaitable[Any]]  # (context, button) -> the service's new view
After = Callable[[Update, BotContext, Any, bool], Awaitable[object]]  # shows a view (edit or not)
# Each button's action, and whether its view replaces the pressed message (True) or follows it.
Actions = Mapping[type[Callback], tuple[Act, bool]]


def readers(actions: Actions, after: After) -> dict[type[Callback], ReadButton]:
    """The step's readers: the action runs, then the router lets `after` show its view."""
    def reader(act: Act, edit: bool) -> ReadButton:
        async def read(context: BotContext, data: dict, value: Any) -> Shown:
            view = await act(context, value)
            return Shown(lambda update, ctx: after(update, ctx, view, edit))
        return read
    return {kind: reader(act, edit) for kind, (act, edit) in actions.items()}


def handlers(actions: Actions, after: After) -> list[CallbackQueryHandler]:
    """The same buttons when no flow is open."""
    def pressed(act: Act, edit: bool):
        async def callback(update: Update, context: BotContext, value: Any) -> None:
            await after(update, context, await act(context, value), edit)
        return callback
    return [on(kind, pressed(act, edit)) for kind, (act, edit) in actions.items()]
