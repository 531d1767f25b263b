"""What is left after every feature had its chance (registered last, order matters)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from handlers.menu import main_menu_markup
from handlers.ui import answer, say


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command nobody handles."""
    await say(update, context.t._("I do not know this command. Here is what I can do:"),
              main_menu_markup(context))


async def not_text(update: Update, context: BotContext) -> None:
    """Photos, stickers, voice, locations, files: not understood here."""
    await say(update, context.t.to_person("I can only read text messages and buttons here. Type a word to "
                                  "search the trainings, or use the menu."),
              main_menu_markup(context))


async def edited(update: Update, context: BotContext) -> None:
    """An edited message: its first version was already handled."""
    await say(update, context.t._("Edited messages are not read: please send a new message."))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button of an unknown kind or from an older version of the bot."""
    await answer(update, context.t._("This button is no longer valid."), alert=True)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, edited))
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private & ~filters.TEXT, not_text))
    app.add_handler(CallbackQueryHandler(stale_button))
