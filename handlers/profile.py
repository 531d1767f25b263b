"""/profile: what we know about the person, with a button to change each answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.storage.users import PROFILE_FIELDS
from conversations.profile_steps import EDITABLE, edit_label, profile_lines
from handlers.browse_buttons import MainMenu
from handlers.ui import button, keyboard, say, show


async def show_profile(update: Update, context: BotContext, edit: bool = True) -> None:
    t = context.t
    p = context.person.profile
    data = {k: getattr(p, k) for k in PROFILE_FIELDS} if p else {}
    text = "\n".join([t._("<b>Your profile</b>"), *profile_lines(t, context, data)])
    rows = [[button(edit_label(t, f), "pf", "edit", f)] for f in EDITABLE]
    rows.append([button(t._("⬅ Main menu"), MainMenu())])
    await (show if edit else say)(update, text, keyboard(rows))


async def profile_command(update: Update, context: BotContext) -> None:
    """/profile: show the profile."""
    await show_profile(update, context, edit=False)


def register(app: Application, edit_flow) -> None:
    app.add_handler(CommandHandler("profile", profile_command))
    app.add_handler(CallbackQueryHandler(show_profile, pattern=r"^v1:pf:show$"))
    app.add_handler(CallbackQueryHandler(edit_flow.begin, pattern=r"^v1:pf:edit:"))
