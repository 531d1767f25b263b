"""/profile: what we know about the person, with a button to change each answer."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.people import PROFILE_FIELDS
from conversations.profile_steps import EDITABLE, edit_label, profile_lines
from handlers.browse_buttons import MainMenu
from handlers.buttons import Callback, on
from handlers.elearning import learner_line
from handlers.ui import button, keyboard, say, show


@dataclass(frozen=True)
class ShowProfile(Callback, feature="pf", action="show"):
    pass


@dataclass(frozen=True)
class EditField(Callback, feature="pf", action="edit"):
    """Change one answer (conversations/profile_edit asks it again)."""

    field: str

    @classmethod
    def unpack(cls, data: str | None) -> EditField | None:
        press = super().unpack(data)
        return press if press is not None and press.field in EDITABLE else None


async def show_profile(update: Update, context: BotContext, edit: bool = True) -> None:
    t = context.t
    p = context.person.profile
    data = {k: getattr(p, k) for k in PROFILE_FIELDS} if p else {}
    text = "\n".join([t._("<b>Your profile</b>"), *profile_lines(t, context, data),
                      await learner_line(context)])
    rows = [[button(edit_label(t, f), EditField(f))] for f in EDITABLE]
    rows.append([button(t._("⬅ Main menu"), MainMenu())])
    await (show if edit else say)(update, text, keyboard(rows))


async def profile_command(update: Update, context: BotContext) -> None:
    """/profile: show the profile."""
    await show_profile(update, context, edit=False)


async def on_show(update: Update, context: BotContext, press: ShowProfile) -> None:
    await show_profile(update, context)


def register(app: Application, edit_flow) -> None:
    app.add_handler(CommandHandler("profile", profile_command))
    app.add_handler(on(ShowProfile, on_show))
    app.add_handler(on(EditField, edit_flow.begin))
