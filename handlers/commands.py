"""Command menus: per language for everyone, and per role in the chat of each role holder."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import LANGUAGES, translator
from bot.services.access import Access

log = logging.getLogger(__name__)


def everyone_commands(t) -> list[tuple[str, str]]:
    return [
        ("start", t._("Start or go back to the main menu")),
        ("catalogue", t._("Browse the training catalogue")),
        ("mytrainings", t._("My registrations")),
        ("paths", t._("Learning paths")),
        ("mypath", t._("My paths and my progress")),
        ("evaluations", t._("Evaluations to fill in")),
        ("attestation", t._("My attestations of participation")),
        ("digitalprofile", t._("My digital profile: a self-assessment")),
        ("verify", t._("Check an attestation's code")),
        ("privacy", t._("My personal data: what is kept, a copy, erasure")),
        ("profile", t._("See or change my profile")),
        # TRANSLATORS: description of /language in Telegram's command menu: keep both language names as they
        # are.
        ("language", t._("Français / العربية")),
        ("help", t._("What this bot can do")),
        ("cancel", t._("Stop what I am doing")),
    ]


def role_sections(t, access: Access) -> list[tuple[str, list[tuple[str, str]]]]:
    """The commands each role the person holds adds, under the role's name, in their language.
    One list for the command menu and /help, so the two never disagree."""
    trainer = [("mysessions", t._("My sessions as a trainer")),
               ("elearning", t._("E-learning completions to confirm")),
               ("coaching", t._("My coaching slots"))]
    coordination = [
        ("approvals", t._("Registration requests waiting for me")),
        ("broadcast", t._("Send a message to many people")),
        ("broadcasts", t._("Delivery of the messages sent")),
        ("demand", t._("Demand for new sessions")),
        ("dashboard", t._("Indicators")),
        ("export", t._("Export data (XLSX or CSV)")),
        ("roster", t._("Session rosters and fill rates")),
        ("charts", t._("Charts of the indicators")),
        ("prc_report", t._("Semi-annual report of the competence plan")),
    ]
    focal = [("prc", t._("My administration's competence plan")),
             ("needs", t._("Training needs survey of the officials"))]
    management = [
        ("newsession", t._("Create a session")),
        ("template", t._("Catalogue workbook template")),
        ("catalogue_export", t._("The current catalogue as a workbook, to edit and send back")),
        ("invite", t._("Invite a trainer, focal point or coordinator")),
        ("roles", t._("Who holds which role")),
        ("plans", t._("Every competence plan, and the common plan")),
        ("questionnaires", t._("Questionnaires: download them, send a new version")),
    ]
    sections = []
    if access.trainer:
        # TRANSLATORS: heading of a role's commands in /help (the person holds this role).
        sections.append((t._("Trainer"), trainer))
    if access.focal_administration and not access.manages_sessions:
        sections.append((t._("Focal point"), coordination + focal))
    if access.manages_sessions:  # administrators hold every national coordinator's power
        sections.append((t._("National coordinator"),
                         coordination + focal + management + ([] if access.trainer else trainer)))
    if access.admin:
        sections.append((t._("Administrator"), [("status", t._("Health of the bot (administrators)")),
                                                ("audit", t._("Audit log (administrators)"))]))
    return sections


def menu(lang: str, access: Access | None = None) -> list[BotCommand]:
    """The commands a person with these roles can use, described in their language."""
    t = translator(lang)
    commands = everyone_commands(t)
    for _, section in role_sections(t, access) if access else ():
        commands += [c for c in section if c not in commands]
    return [BotCommand(name, description) for name, description in commands]


async def set_personal_menu(bot: Bot, user_id: int, access: Access) -> None:
    """Give a role holder their menu in their private chat (both languages)."""
    for lang in LANGUAGES:
        try:
            await bot.set_my_commands(menu(lang, access), scope=BotCommandScopeChat(user_id),
                                      language_code=lang)
        except TelegramError as exc:  # a menu is a comfort: never fail the action over it
            log.info("no personal command menu for %s: %s", user_id, exc)
            return
