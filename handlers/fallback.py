"""What is left after every feature had its chance (registered last, order matters)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from handlers.buttons import no_longer_valid
from handlers.menu import main_menu_markup
from handlers.ui import say


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


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, edited))
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private & ~filters.TEXT, not_text))
    # A button of an unknown feature or from an older version of the bot (those of a known
    # action that do not unpack are answered the same by handlers.buttons.on).
    app.add_handler(CallbackQueryHandler(no_longer_valid))
