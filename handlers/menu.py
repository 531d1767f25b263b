"""The main menu, /start for people already registered (deep links included), /help."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.access import Access
from bot.services.catalogue import Filters
from handlers import catalogue, roles
from handlers.browse_buttons import CatalogueHome, Help, LanguageMenu, MainMenu
from handlers.buttons import on
from handlers.commands import role_sections
from handlers.digital_profile_buttons import DigitalProfile
from handlers.my_trainings import MyTrainings
from handlers.profile import ShowProfile
from handlers.ui import PageCounter, answer, button, esc, keyboard, say, show

SESSION_PAYLOAD = re.compile(r"^s_([0-9]{1,12})$")  # ASCII: \d takes any script's digits
INVITE_PAYLOAD = re.compile(r"^i_[A-Za-z0-9_-]{16}$")


def main_menu_markup(context: BotContext):
    t = context.t
    return keyboard([
        [button(t._("📚 Training catalogue"), CatalogueHome())],
        [button(t._("🗓 My trainings"), MyTrainings())],
        [button(t._("🧭 My digital profile"), DigitalProfile())],
        # TRANSLATORS: buttons of the main menu.
        [button(t._("👤 My profile"), ShowProfile()), button(t._("🌐 Language"), LanguageMenu())],
        [button(t._("❓ Help"), Help())],
    ])


def main_menu_text(context: BotContext) -> str:
    t = context.t
    name = context.person.profile.full_name if context.person.profile else ""
    return t.to_person("<b>e-TAMKEEN</b> — hello {name}!\nWhat would you like to do? You can also type "
               "a word (for example “cybersécurité” or “البيانات”) to search the trainings.",
               name=esc(t.iso(name or "")))


async def send_main_menu(update: Update, context: BotContext) -> None:
    await say(update, main_menu_text(context), main_menu_markup(context))


async def show_session_link(update: Update, context: BotContext, session_id: int) -> None:
    """Open the session a link pointed to (after onboarding, or for a registered person)."""
    await catalogue.show_session(update, context, session_id, Filters())


async def start(update: Update, context: BotContext) -> None:
    """/start [payload]: the main menu, or the session of a shared link."""
    payload = context.args[0] if context.args else ""
    if not payload:
        return await send_main_menu(update, context)
    match = SESSION_PAYLOAD.match(payload)
    if match:
        return await show_session_link(update, context, int(match.group(1)))
    if INVITE_PAYLOAD.match(payload):
        return await roles.redeem(update, context, payload[2:])
    if payload.startswith("c_"):  # a scanned check-in QR code (the service checks the rest)
        from handlers.attendance import check_in_link

        return await check_in_link(update, context, payload)
    await say(update, context.t._("This link is not valid (it may be incomplete or expired). "
                                  "Here is the main menu."))
    await send_main_menu(update, context)


def help_text(context: BotContext, access: Access | None = None) -> str:
    """What everyone can do, then the commands of each role the person holds (and only those)."""
    t = context.t
    lines = [
        t._("<b>How to use e-TAMKEEN</b>"),
        t._("/catalogue — browse the trainings and their sessions"),
        t._("/mytrainings — your registrations, waitlists and offers"),
        t._("/evaluations — the evaluations of your trainings to fill in"),
        t._("/attestation — your attestations of participation (PDF)"),
        t._("/verify CODE — check whether an attestation is genuine"),
        t._("/profile — see or change your profile"),
        t._("/language — choose French or Arabic"),
        t._("/privacy — your personal data: what is kept, /mydata for a copy, /deleteme to erase it"),
        t._("/menu — the main menu"),
        t._("/cancel — stop what you are doing"),
        t.to_person("Type any word to search the trainings, in French or in Arabic."),
    ]
    for heading, commands in role_sections(t, access) if access else ():
        lines.append("")
        lines.append(f"<b>{esc(heading)}</b>")
        lines += [f"/{name} — {esc(description)}" for name, description in commands]
    return "\n".join(lines)


async def help_command(update: Update, context: BotContext) -> None:
    """/help: what the bot can do."""
    await say(update, help_text(context, await context.access()), main_menu_markup(context))


async def menu_command(update: Update, context: BotContext) -> None:
    """/menu: the main menu."""
    await send_main_menu(update, context)


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel outside any flow: nothing to stop."""
    await say(update, context.t._("There is nothing to cancel."), main_menu_markup(context))


async def on_home(update: Update, context: BotContext, press: MainMenu) -> None:
    await show(update, main_menu_text(context), main_menu_markup(context))


async def on_help(update: Update, context: BotContext, press: Help) -> None:
    await show(update, help_text(context, await context.access()), main_menu_markup(context))


async def noop(update: Update, context: BotContext, press: PageCounter) -> None:
    """The page counter between ◀ and ▶: nothing to do, but the query must be answered."""
    await answer(update)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu_command))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("cancel", cancel_command))
    app.add_handler(on(MainMenu, on_home))
    app.add_handler(on(Help, on_help))
    app.add_handler(on(PageCounter, noop))
