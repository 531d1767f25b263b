"""The typed callback context and the services every handler reaches through it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.i18n import Translator, resolve_language, translator
from bot.inbox import Inbox
from bot.services.access import Access, access_of
from bot.services.attendance import AttendanceService
from bot.services.attestations import AttestationService
from bot.services.broadcasts import BroadcastService
from bot.services.catalogue import CatalogueService
from bot.services.catalogue_import import CatalogueImport
from bot.services.checkin import CheckinService
from bot.services.coaching import CoachingService
from bot.services.elearning import ElearningService
from bot.services.evaluations import EvaluationService
from bot.services.path_catalogue import PathCatalogue
from bot.services.paths import PathService
from bot.services.people import PeopleService, Person
from bot.services.plan_progress import PlanProgressService
from bot.services.plans import PlanService
from bot.services.prc_commentary import CommentaryRequests
from bot.services.prc_report import ReportService
from bot.services.privacy import Activity
from bot.services.reference import ReferenceData
from bot.services.registrations import RegistrationService
from bot.services.roles import RoleService
from bot.services.session_parts import PartsService
from bot.services.sessions import SessionAdmin
from bot.storage.db import Database
from bot.timeutil import Clock


@dataclass
class Services:
    """Created once per Application (PTB instantiates it as bot_data); filled at start-up."""

    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=Clock)
    db: Database | None = None
    people: PeopleService | None = None
    catalogue: CatalogueService | None = None
    reference: ReferenceData = field(default_factory=ReferenceData)
    registrations: RegistrationService | None = None
    sessions: SessionAdmin | None = None
    roles: RoleService | None = None
    activity: Activity | None = None
    catalogue_import: CatalogueImport | None = None
    broadcasts: BroadcastService | None = None
    # Attendance, check-in, evaluations and attestations (issue: evaluations).
    attendance: AttendanceService | None = None
    checkin: CheckinService | None = None
    evaluations: EvaluationService | None = None
    attestations: AttestationService | None = None
    # Competence plans (issue 16): /prc and /plans.
    plans: PlanService | None = None
    plan_progress: PlanProgressService | None = None
    # Semi-annual reports of the competence plans and the requests for commentaries (issue 16).
    prc_reports: ReportService | None = None
    prc_commentary: CommentaryRequests | None = None
    parts: PartsService | None = None  # sessions in parts (issue 17)
    paths: PathService | None = None  # paths and cohorts (issue 17)
    path_catalogue: PathCatalogue | None = None
    elearning: ElearningService | None = None  # e-learning completions (issue 17)
    coaching: CoachingService | None = None  # coaching slots (issue 17)
    dispatcher: Dispatcher | None = None
    inbox: Inbox | None = None
    started_at: datetime | None = None
    bot_username: str = ""
    dispatcher_task: asyncio.Task | None = None
    # Broadcast texts read by the outbox renderer, kept while a broadcast is being sent.
    broadcast_cache: dict = field(default_factory=dict)

    def wake_dispatcher(self) -> None:
        """Something was queued in the outbox: send it now rather than at the next tick."""
        if self.dispatcher is not None:
            self.dispatcher.wake()


class BotContext(CallbackContext[ExtBot, dict, dict, Services]):
    """`context.services`, `context.person` and `context.t` for every handler."""

    _person: Person | None = None
    _t: Translator | None = None

    @property
    def services(self) -> Services:
        return self._application.bot_data  # what bot_data gives, two properties fewer

    @property
    def person(self) -> Person:
        if self._person is None:
            raise RuntimeError("the gatekeeper did not run for this update")
        return self._person

    async def access(self) -> Access:
        """This person's roles, read afresh (privileged actions check on every update)."""
        s = self.services
        return await access_of(s.db, self.person.user_id, s.settings.admins)

    @property
    def t(self) -> Translator:
        if self._t is None:
            return translator(resolve_language(None, None))
        return self._t

    def set_person(self, person: Person, telegram_language: str | None) -> None:
        self._person = person
        # The recorded sex picks the grammatical gender of "you" (the draft's during onboarding).
        draft = person.draft.data if person.draft else {}
        sex = person.profile.sex if person.profile else draft.get("sex")
        self._t = translator(resolve_language(person.stored_language, telegram_language), sex)

    def address(self, sex: str) -> None:
        """Address the person in this grammatical gender from now on in this update (the answer
        to the sex question, so that the very next question already agrees)."""
        self._t = translator(self.t.lang, sex)

    def use_language(self, lang: str) -> None:
        """Speak another language from now on in this update (after /language), to the same person."""
        self._t = translator(lang, "F" if self._t is not None and self._t.female else None)
