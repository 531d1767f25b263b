"""/language: French or Arabic, changeable at any time; what follows speaks the new language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import LANGUAGES
from handlers.labels import LANGUAGE_NAMES
from handlers.menu import main_menu_markup, main_menu_text
from handlers.ui import answer, button, keyboard, parse, say, show


def _choices(context: BotContext):
    current = context.t.lang
    return keyboard([[button(("✓ " if code == current else "") + LANGUAGE_NAMES[code], "lang",
                             "set", code) for code in LANGUAGES]])


async def language_command(update: Update, context: BotContext) -> None:
    """/language: offer both languages."""
    await say(update, context.t.to_person("Which language do you prefer?"), _choices(context))


async def on_button(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "lang") or []
    if parts == ["menu"]:
        return await show(update, context.t.to_person("Which language do you prefer?"), _choices(context))
    if len(parts) != 2 or parts[0] != "set" or parts[1] not in LANGUAGES:
        await answer(update, context.t._("This button is no longer valid."), alert=True)
        return
    await context.services.people.set_language(context.person.user_id, parts[1])
    context.use_language(parts[1])
    await answer(update, context.t._("Language changed."))
    await show(update, main_menu_text(context), main_menu_markup(context))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", language_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^v1:lang:"))
