"""The one place where the Application is assembled: services, handlers (in order), start-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotContext, Services
from bot.dispatcher import Dispatcher
from bot.i18n import LANGUAGES, check_catalogs, translator
from bot.processor import PerUserUpdateProcessor
from bot.ratelimit import Pacer
from bot.services.broadcasts import BroadcastService
from bot.services.catalogue import CatalogueService
from bot.services.people import PeopleService
from bot.services.quiet import in_quiet_hours
from bot.services.reference import ReferenceData
from bot.services.registrations import RegistrationService
from bot.services.sessions import SessionAdmin
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import Clock, check_tzdata

log = logging.getLogger("etamkeen")


def build_application(settings: Settings, request: BaseRequest | None = None,
                      clock: Clock | None = None, rate_limiter: bool = True) -> Application:
    """Build the bot; nothing touches the network or the database until start-up."""
    from conversations.announce import Announce
    from conversations.flow import FlowRouter
    from conversations.onboarding import Onboarding
    from conversations.profile_edit import ProfileEdit
    from conversations.refusal import Refusal
    from conversations.reschedule import Reschedule
    from handlers import (
        approvals,
        broadcast,
        catalogue,
        demand,
        fallback,
        gate,
        language,
        menu,
        profile,
        registration,
        search,
        session_admin,
        status,
        trainer,
    )
    from handlers.errors import AlertBudget, make_error_handler

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=Services))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=None))
        .concurrent_updates(PerUserUpdateProcessor(settings.concurrent_updates))
        .post_init(startup)
        .post_shutdown(shutdown)
    )
    if rate_limiter:
        # Spreads our own sends to stay within Telegram's limits, and retries after a 429.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    services: Services = app.bot_data
    services.settings = settings
    services.clock = clock or Clock()

    onboarding, profile_edit = Onboarding(), ProfileEdit()
    # Order matters: the gatekeeper loads the person and the language for everything after it;
    # then open flows (and newcomers) are routed before any feature sees the update. Both run
    # in one handler: they always run together, and each PTB dispatch costs (see the bench).
    flows = FlowRouter([onboarding, profile_edit, Refusal(), Announce(), Reschedule()], onboarding)

    async def first(update: object, context: BotContext) -> None:
        await gate.gate(update, context)
        await flows(update, context)

    app.add_handler(TypeHandler(object, first), group=-10)
    menu.register(app)
    language.register(app)
    profile.register(app, profile_edit)
    catalogue.register(app)
    registration.register(app)
    approvals.register(app)
    demand.register(app)
    trainer.register(app)
    broadcast.register(app)
    session_admin.register(app)
    status.register(app)
    search.register(app)
    fallback.register(app)  # last: what nobody else wanted
    app.add_error_handler(make_error_handler(AlertBudget(settings.admin_error_alerts_per_hour)))
    return app


async def startup(app: Application) -> None:
    """Open and migrate the database, load reference data, check catalogs and time zones."""
    from handlers import notices

    services: Services = app.bot_data
    check_tzdata()
    check_catalogs()
    services.db = await Database.open(services.settings.db_path)
    applied = await migrate(services.db)
    if applied:
        log.info("database migrated to version %s", applied[-1])
    services.people = PeopleService(services.db, services.clock)
    services.catalogue = CatalogueService(services.db, services.clock)
    services.registrations = RegistrationService(services.db, services.clock, services.settings,
                                                 on_change=services.catalogue.changed)
    services.sessions = SessionAdmin(services.db, services.clock, services.settings,
                                     on_change=services.catalogue.changed)
    services.broadcasts = BroadcastService(services.db, services.clock)
    services.reference = await ReferenceData.load(services.db)
    services.started_at = services.clock.now()
    services.bot_username = app.bot.username
    settings = services.settings
    pacer = Pacer(settings.send_rate_per_s, settings.per_chat_interval_s)
    services.dispatcher = Dispatcher(app.bot, services.db, services.clock, pacer,
                                     partial(notices.render, services),
                                     on_unreachable=services.people.forget,
                                     quiet=partial(in_quiet_hours, start_hour=settings.quiet_start_hour,
                                                   end_hour=settings.quiet_end_hour))
    await services.dispatcher.recover()
    await set_commands(app)
    if settings.background_jobs:
        # Offers and requests expire, and the outbox is sent, from the database alone: nothing
        # here depends on in-memory jobs, so a restart picks up exactly where it stopped.
        async def housekeeping() -> None:
            await services.registrations.expire_due()
            await services.broadcasts.report_finished()

        services.dispatcher_task = asyncio.create_task(services.dispatcher.run(before=housekeeping))


async def shutdown(app: Application) -> None:
    services: Services = app.bot_data
    task = services.dispatcher_task
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if services.db is not None:
        await services.db.close()
        services.db = None


def command_menu(lang: str, admin: bool = False) -> list[BotCommand]:
    t = translator(lang)
    commands = [
        BotCommand("start", t._("Start or go back to the main menu")),
        BotCommand("catalogue", t._("Browse the training catalogue")),
        BotCommand("mytrainings", t._("My registrations")),
        BotCommand("profile", t._("See or change my profile")),
        BotCommand("language", t._("Français / العربية")),
        BotCommand("help", t._("What this bot can do")),
        BotCommand("cancel", t._("Stop what I am doing")),
    ]
    if admin:
        commands.append(BotCommand("status", t._("Health of the bot (administrators)")))
    return commands


async def set_commands(app: Application) -> None:
    """Per-language command menus, and the admins' own menu in their chats."""
    try:
        await app.bot.set_my_commands(command_menu("fr"), scope=BotCommandScopeDefault())
        for lang in LANGUAGES:
            await app.bot.set_my_commands(command_menu(lang), scope=BotCommandScopeDefault(),
                                          language_code=lang)
    except TelegramError as exc:  # menus are a comfort: never fail start-up over them
        log.warning("could not set the command menus: %s", exc)
    for admin in app.bot_data.settings.admins:
        try:
            for lang in LANGUAGES:
                await app.bot.set_my_commands(command_menu(lang, admin=True),
                                              scope=BotCommandScopeChat(admin), language_code=lang)
        except TelegramError as exc:  # e.g. an admin who never opened the bot: chat not found
            log.info("no admin command menu for %s: %s", admin, exc)
