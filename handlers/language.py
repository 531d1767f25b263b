"""/language: French or Arabic, changeable at any time; what follows speaks the new language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.i18n import LANGUAGES
from handlers.browse_buttons import LanguageMenu, SetLanguage
from handlers.buttons import on
from handlers.labels import LANGUAGE_NAMES
from handlers.menu import main_menu_markup, main_menu_text
from handlers.ui import answer, button, keyboard, say, show


def _choices(context: BotContext):
    current = context.t.lang
    return keyboard([[button(("✓ " if code == current else "") + LANGUAGE_NAMES[code],
                             SetLanguage(code)) for code in LANGUAGES]])


async def language_command(update: Update, context: BotContext) -> None:
    """/language: offer both languages."""
    await say(update, context.t.to_person("Which language do you prefer?"), _choices(context))


async def on_menu(update: Update, context: BotContext, press: LanguageMenu) -> None:
    await show(update, context.t.to_person("Which language do you prefer?"), _choices(context))


async def on_set(update: Update, context: BotContext, press: SetLanguage) -> None:
    """Only a language we speak unpacks (SetLanguage.unpack)."""
    await context.services.people.set_language(context.person.user_id, press.language)
    context.use_language(press.language)
    await answer(update, context.t._("Language changed."))
    await show(update, main_menu_text(context), main_menu_markup(context))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", language_command))
    app.add_handler(on(LanguageMenu, on_menu))
    app.add_handler(on(SetLanguage, on_set))
