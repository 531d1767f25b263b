"""The composition root: every service, built in one place from the settings, a clock and an
open database, and wired to each other (who tells whom that seats or sessions changed).

The bot (bot/app.py start-up), every command of the command line and the tests' fixtures build
their services here, so that a service wired one way in the bot is never wired another way
elsewhere (the command line's imports used to skip the catalogue's cache and the seat offers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.services.attendance import AttendanceService
from bot.services.attestations import AttestationService
from bot.services.broadcasts import BroadcastService
from bot.services.catalogue import CatalogueService
from bot.services.catalogue_import import CatalogueImport
from bot.services.charts import ChartService
from bot.services.checkin import CheckinService
from bot.services.coaching import CoachingService
from bot.services.elearning import ElearningService
from bot.services.evaluations import EvaluationService
from bot.services.exports import ExportService
from bot.services.indicators import IndicatorsService
from bot.services.knowledge_tests import KnowledgeTests
from bot.services.needs_survey import NeedsSurveys
from bot.services.path_catalogue import PathCatalogue
from bot.services.paths import PathService
from bot.services.people import PeopleService
from bot.services.people_indicators import PeopleIndicatorsService
from bot.services.plan_progress import PlanProgressService
from bot.services.plan_schedule import PlanSchedule
from bot.services.plans import PlanService
from bot.services.prc_commentary import CommentaryRequests
from bot.services.prc_report import ReportService
from bot.services.privacy import Activity, PrivacyService
from bot.services.profile_offers import ProfileOffers
from bot.services.questionnaire_forms import QuestionnaireForms
from bot.services.reference import ReferenceData
from bot.services.registrations import RegistrationService
from bot.services.roles import RoleService
from bot.services.self_assessment import SelfAssessment
from bot.services.session_parts import PartsService
from bot.services.sessions import SessionAdmin
from bot.services.test_taking import TestTaking
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import Clock

if TYPE_CHECKING:  # the running bot's parts; the command line has none of them
    from bot.dispatcher import Dispatcher
    from bot.inbox import Inbox


@dataclass(eq=False)
class Services:
    """Every service of one database. Built by `build_services`, never field by field."""

    settings: Settings
    clock: Clock
    db: Database
    reference: ReferenceData
    people: PeopleService
    catalogue: CatalogueService
    registrations: RegistrationService
    sessions: SessionAdmin
    roles: RoleService
    activity: Activity
    catalogue_import: CatalogueImport
    broadcasts: BroadcastService
    attendance: AttendanceService
    checkin: CheckinService
    evaluations: EvaluationService
    attestations: AttestationService
    privacy: PrivacyService
    indicators: IndicatorsService
    exports: ExportService
    charts: ChartService
    parts: PartsService
    paths: PathService
    elearning: ElearningService
    knowledge_tests: KnowledgeTests
    questionnaire_forms: QuestionnaireForms
    self_assessment: SelfAssessment
    profile_offers: ProfileOffers  # the self-assessment offered again (6 months, a path completed)
    plans: PlanService
    plan_progress: PlanProgressService
    plan_schedule: PlanSchedule
    people_indicators: PeopleIndicatorsService
    path_catalogue: PathCatalogue
    coaching: CoachingService
    prc_reports: ReportService
    prc_commentary: CommentaryRequests
    test_taking: TestTaking
    needs: NeedsSurveys
    # Set by the running bot at start-up (bot/app.py), absent on the command line.
    inbox: Inbox | None = None
    dispatcher: Dispatcher | None = None
    dispatcher_task: asyncio.Task[Any] | None = None
    started_at: datetime | None = None
    bot_username: str = ""
    # Broadcast texts read by the outbox renderer, kept while a broadcast is being sent.
    broadcast_cache: dict[int, Any] = field(default_factory=dict)
    closed: bool = False  # the database is closed (after shutdown)

    def wake_dispatcher(self) -> None:
        """Something was queued in the outbox: send it now rather than at the next tick."""
        if self.dispatcher is not None:
            self.dispatcher.wake()


async def build_services(settings: Settings, clock: Clock, db: Database) -> Services:
    """Every service on `db` (opened and migrated by the caller, who closes it)."""
    reference = await ReferenceData.load(db)
    people = PeopleService(db, clock)
    catalogue = CatalogueService(db, clock)
    registrations = RegistrationService(db, clock, settings, on_change=catalogue.seats_changed)
    sessions = SessionAdmin(db, clock, settings, on_change=catalogue.changed,
                            offer_seats=registrations.offer_free_seats)
    indicators = IndicatorsService(db, clock)
    paths = PathService(db, clock, registrations)
    knowledge_tests = KnowledgeTests(db, clock)
    return Services(
        settings=settings, clock=clock, db=db, reference=reference, people=people,
        catalogue=catalogue, registrations=registrations, sessions=sessions,
        roles=RoleService(db, clock, on_change=people.forget),
        activity=Activity(db, clock, people),
        catalogue_import=CatalogueImport(
            db, clock,
            reference_codes=lambda: ({t.code for t in reference.themes}, {r.code for r in reference.regions}),
            on_session_change=sessions.tell_change, on_seats=registrations.offer_free_seats,
            on_change=catalogue.changed, on_reference=lambda: reference.reload(db)),
        broadcasts=BroadcastService(db, clock),
        attendance=AttendanceService(db, clock, settings, on_change=catalogue.seats_changed),
        checkin=await CheckinService.open(db, clock, settings),
        evaluations=EvaluationService(db, clock, settings, forget=people.forget),
        attestations=AttestationService(db, clock, settings),
        privacy=PrivacyService(db, clock, settings, people, registrations),
        indicators=indicators,
        exports=ExportService(db.path, reference, clock),
        charts=ChartService(indicators, reference),
        parts=PartsService(db, clock, settings, on_change=catalogue.changed),
        paths=paths,
        elearning=ElearningService(db, clock),
        knowledge_tests=knowledge_tests,
        questionnaire_forms=QuestionnaireForms(db, clock),
        self_assessment=SelfAssessment(db, clock),
        profile_offers=ProfileOffers(db, clock, paths),
        plans=PlanService(db, clock),
        plan_progress=PlanProgressService(db, clock),
        plan_schedule=PlanSchedule(db, clock, sessions.create, registrations.offer_free_seats),
        people_indicators=PeopleIndicatorsService(db),
        path_catalogue=PathCatalogue(db, clock, paths),
        coaching=CoachingService(db, clock),
        prc_reports=ReportService(db, clock),
        prc_commentary=CommentaryRequests(db, clock),
        test_taking=TestTaking(db, clock, knowledge_tests, people.forget),
        needs=NeedsSurveys(db, clock),
    )


@asynccontextmanager
async def open_services(settings: Settings, clock: Clock | None = None, *,
                        upgrade: bool = False) -> AsyncIterator[Services]:
    """The command line's services on the configured database, closed afterwards. `upgrade`
    migrates first (commands that may run beside the bot leave that to `etamkeen run`)."""
    db = await Database.open(settings.db_path)
    try:
        if upgrade:
            await migrate(db)
        yield await build_services(settings, clock or Clock(), db)
    finally:
        await db.close()
