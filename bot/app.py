"""The one place where the Application is assembled: services, handlers (in order), start-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial

from telegram import BotCommandScopeDefault, Update
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
from telegram.request import BaseRequest, HTTPXRequest

from bot.compose import build_services
from bot.config import Settings
from bot.context import Boot, BotContext, Services
from bot.dispatcher import Dispatcher
from bot.flow_list import declared_flows
from bot.i18n import LANGUAGES, check_catalogs
from bot.inbox import DurableQueue, Inbox, ReceiptRequest
from bot.processor import PerUserUpdateProcessor
from bot.ratelimit import Pacer
from bot.routing import index_group
from bot.services import elearning_review
from bot.services.quiet import in_quiet_hours
from bot.storage.attestations import declare_personal_data
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import Clock, check_tzdata

log = logging.getLogger("etamkeen")


class BotApplication(Application):
    """PTB's Application, minus a memory that only a persistence needs.

    PTB notes the id of every chat and user it handles an update for, so that its persistence
    saves their data; only a persistence run empties those two sets. Ours keeps everything in
    its own database and has no persistence, so the sets would grow by every official who ever
    wrote, never freed. Nothing is noted when there is no persistence to tell."""

    def _mark_for_persistence_update(self, *, update: object | None = None,
                                     job: object | None = None) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)


def build_application(settings: Settings, request: BaseRequest | None = None,
                      clock: Clock | None = None, rate_limiter: bool = True) -> Application:
    """Build the bot; nothing touches the network or the database until start-up."""
    from conversations import needs_answer, new_session, plan_line, plan_line_edit, questionnaire
    from conversations.flow import FlowRouter
    from handlers import (
        approvals,
        attendance,
        attestation,
        broadcast,
        catalogue,
        catalogue_admin,
        charts,
        coaching,
        dashboard,
        demand,
        digital_profile,
        elearning,
        exports,
        fallback,
        gate,
        knowledge_test,
        language,
        learning_gains,
        menu,
        needs,
        part_attendance,
        parts_admin,
        paths,
        plans,
        prc,
        privacy,
        profile,
        questionnaire_upload,
        registration,
        results,
        roles,
        roster,
        search,
        semester_report,
        semester_report_notices,
        session_manage,
        session_quotas,
        status,
        test_results,
        trainer,
    )
    from handlers.errors import AlertBudget, make_error_handler

    inbox = Inbox(clock or Clock())
    builder = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=Boot))  # Services at start-up
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=None))
        .concurrent_updates(PerUserUpdateProcessor(settings.concurrent_updates, inbox))
        .update_queue(DurableQueue(inbox))
        .post_init(startup)
        .post_shutdown(shutdown)
    )
    if rate_limiter:
        # Spreads our own sends to stay within Telegram's limits, and retries after a 429.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    # getUpdates answers are written to the inbox before the Updater queues them.
    polling = request or HTTPXRequest(connection_pool_size=1)  # PTB's own default for getUpdates
    builder = builder.get_updates_request(ReceiptRequest(polling, inbox))
    if request is not None:
        builder = builder.request(request)
    app = builder.build()
    app.bot_data = Boot(settings, inbox.clock, inbox)

    # Order matters: the gatekeeper loads the person and the language for everything after it;
    # then open flows (and newcomers) are routed before any feature sees the update. Both run
    # in one handler: they always run together, and each PTB dispatch costs (see the bench).
    onboarding, profile_edit, every_flow = declared_flows()
    flows = FlowRouter(every_flow, onboarding)

    async def first(update: object, context: BotContext) -> None:
        services = context.services
        if isinstance(update, Update) and update.effective_user:
            services.activity.seen(update.effective_user.id)  # a visit: batched, never waited for
        await gate.gate(update, context)
        await flows(update, context)

    attestation.register_early(app, group=-11)  # /verify answers anyone, newcomers included
    app.add_handler(TypeHandler(object, first), group=-10)
    menu.register(app)
    language.register(app)
    profile.register(app, profile_edit)
    catalogue.register(app)
    registration.register(app)
    approvals.register(app)
    demand.register(app)
    dashboard.register(app)  # /dashboard
    roster.register(app)  # /roster
    exports.register(app)  # /export
    charts.register(app)  # /charts
    trainer.register(app)
    broadcast.register(app)
    session_manage.register(app)
    session_quotas.register(app)  # reserved places, from Manage this session
    parts_admin.register(app)  # a session's days and parts
    paths.register(app)  # /paths, /mypath
    elearning.register(app)  # /elearning, declarations, the learner code
    coaching.register(app)  # coaching slots: book from the card, /coaching for coaches
    roles.register(app)
    questionnaire_upload.register(app)  # /questionnaires; before the catalogue's document handler
    catalogue_admin.register(app)
    new_session.register(app)
    status.register(app)
    privacy.register(app)  # /privacy /mydata /deleteme; notes visits; daily retention
    attendance.register(app)  # rosters, check-in QR codes
    part_attendance.register(app)  # attendance per part
    questionnaire.register(app)  # /evaluations and questionnaire buttons outside the flow
    knowledge_test.register(app)  # pre- and post-tests, one tap per answer
    digital_profile.register(app)  # /digitalprofile: the self-assessment and its result
    test_results.register(app)  # the trainer's view of a session's tests
    learning_gains.register(app)  # /dashboard → learning gains
    results.register(app)
    attestation.register(app)  # /attestation
    semester_report.register(app)
    semester_report_notices.register(app)  # /prc_report; daily requests for the focal points' commentaries
    search.register(app)
    prc.register(app)  # /prc: a focal point's competence plan
    needs.register(app)  # /needs: the needs survey, its results, plan lines from them
    needs_answer.register(app)  # the survey's invitation button; its choices after the flow
    plans.register(app)  # /plans: every plan, decisions, the common plan
    plan_line_edit.register(app)  # a plan line's fields, each a button
    plan_line.register(app)  # the line flow's buttons pressed after it ended
    fallback.register(app)  # last: what nobody else wanted
    index_group(app)  # the main group asks only the handlers an update's command or button names
    index_group(app, -11)  # and /verify's early handlers are not asked about every button
    app.add_error_handler(make_error_handler(AlertBudget(settings.admin_error_alerts_per_hour)))
    return app


async def startup(app: Application) -> None:
    """Open and migrate the database, load reference data, check catalogs and time zones."""
    from handlers import notices

    boot: Boot = app.bot_data
    check_tzdata()
    check_catalogs()
    db = await Database.open(boot.settings.db_path)
    applied = await migrate(db)
    if applied:
        log.info("database migrated to version %s", applied[-1])
    inbox = boot.inbox
    inbox.attach(db)
    # What was received and never handled before the last stop goes first, in order.
    await inbox.replay(app.update_queue, app.bot)
    services = await build_services(boot.settings, boot.clock, db)
    services.inbox = inbox
    app.bot_data = services  # PTB's own persistence replaces bot_data the same way
    declare_personal_data()  # evaluation answers and attestations, for /mydata and erasure
    services.started_at = services.clock.now()
    services.bot_username = app.bot.username
    settings = services.settings
    pacer = Pacer(settings.send_rate_per_s, settings.per_chat_interval_s)
    services.dispatcher = Dispatcher(app.bot, services.db, services.clock, pacer,
                                     partial(notices.render, services),
                                     on_unreachable=services.people.forget,
                                     quiet=partial(in_quiet_hours, start_hour=settings.quiet_start_hour,
                                                   end_hour=settings.quiet_end_hour),
                                     prepare=services.catalogue.look_for_writers,
                                     admins=settings.admins, alert_after_s=settings.outage_alert_minutes * 60)
    await services.dispatcher.recover()
    await set_commands(app)
    if settings.background_jobs:
        # Offers and requests expire, and the outbox is sent, from the database alone: nothing
        # here depends on in-memory jobs, so a restart picks up exactly where it stopped.
        nudges = elearning_review.Nudges(services.db, services.clock, services.elearning)

        async def housekeeping() -> None:
            await services.inbox.housekeeping()
            await services.activity.flush()
            await services.registrations.expire_due()
            await services.broadcasts.report_finished()
            await nudges.tick()  # weekly e-learning nudges, looked for hourly
            await services.profile_offers.tick()  # the self-assessment offered again, looked for hourly

        services.dispatcher_task = asyncio.create_task(services.dispatcher.run(before=housekeeping))


async def shutdown(app: Application) -> None:
    services = app.bot_data
    if not isinstance(services, Services) or services.closed:
        return  # never started, or already stopped
    task = services.dispatcher_task
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if services.inbox is not None:
        await services.inbox.flush()  # updates handled without a change of their own
    await services.activity.flush()  # the visits noted since the last housekeeping
    await services.db.close()
    services.closed = True


async def set_commands(app: Application) -> None:
    """Per-language command menus, and the admins' own menu in their chats."""
    from bot.services.access import access_of
    from handlers.commands import menu, set_personal_menu

    try:
        await app.bot.set_my_commands(menu("fr"), scope=BotCommandScopeDefault())
        for lang in LANGUAGES:
            await app.bot.set_my_commands(menu(lang), scope=BotCommandScopeDefault(),
                                          language_code=lang)
    except TelegramError as exc:  # menus are a comfort: never fail start-up over them
        log.warning("could not set the command menus: %s", exc)
    services: Services = app.bot_data
    for admin in services.settings.admins:  # other role holders get theirs when granted
        await set_personal_menu(app.bot, admin, await access_of(services.db, admin, services.settings.admins))
