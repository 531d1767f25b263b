"""Needs surveys (issue 16, "needs first"): a focal point asks the officials of their
administration (a national coordinator: of any administration) which themes they need, their
level in each, the modality they prefer and what holds them back. Launching queues one invitation
per official through the outbox (not urgent: quiet hours apply; a dedupe key per survey and
person: once each). Answers are written at every tap, so a person who leaves resumes where they
were, and answering again edits the one answer they have. Results: bot/services/needs_view.py."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.i18n import Translator
from bot.services.access import Access
from bot.storage import audit
from bot.storage import needs as repo
from bot.storage.db import Database
from bot.timeutil import Clock, from_db

MAX_THEMES = 3
LEVELS = (1, 2, 3, 4)
MODALITIES = ("presentiel", "distanciel", "hybride", "coaching")


class Constraint(StrEnum):
    """What may hold a person back from training (several may be chosen)."""

    TIME = "time"
    TRAVEL = "travel"
    EQUIPMENT = "equipment"
    LANGUAGE = "language"
    APPROVAL = "approval"


def constraint_word(t: Translator, code: str) -> str:
    """A constraint as the survey and its results say it (services word the XLSX too)."""
    words: dict[str, str] = {
        Constraint.TIME: t._("Lack of time (workload)"),
        Constraint.TRAVEL: t._("Distance or travel"),
        Constraint.EQUIPMENT: t._("Equipment or internet connection"),
        Constraint.LANGUAGE: t._("Language of the training"),
        Constraint.APPROVAL: t._("My manager's approval")}
    return words.get(code, code)


class NeedsRefusal(StrEnum):
    NOT_ALLOWED = "not_allowed"  # another administration's survey, or no role
    UNKNOWN_ADMINISTRATION = "unknown_administration"
    ALREADY_LAUNCHED = "already_launched"  # a double tap, or someone launched one meanwhile


class NeedsError(ValueError):
    def __init__(self, code: NeedsRefusal) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Survey:
    id: int
    administration: str
    launched_at: datetime
    recipients: int
    respondents: int


@dataclass(frozen=True)
class Overview:
    administration: str
    audience: int  # officials a new survey would go to
    latest: Survey | None


def may_see(access: Access, administration: str) -> bool:
    return access.admin or access.national or access.focal_administration == administration


def _survey(conn: sqlite3.Connection, row: sqlite3.Row | None) -> Survey | None:
    if row is None:
        return None
    answered = conn.execute("SELECT COUNT(*) FROM needs_answers WHERE survey_id = ? AND completed_at"
                            " IS NOT NULL", (row["id"],)).fetchone()[0]
    return Survey(row["id"], row["administration_code"], from_db(row["launched_at"]), row["recipients"],
                  answered)


def _known(conn: sqlite3.Connection, administration: str) -> bool:
    found = conn.execute("SELECT 1 FROM administrations WHERE code = ?", (administration,)).fetchone()
    return found is not None


class NeedsSurveys:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def overview(self, access: Access, administration: str) -> Overview:
        if not may_see(access, administration):
            raise NeedsError(NeedsRefusal.NOT_ALLOWED)

        def read(conn: sqlite3.Connection) -> Overview:
            if not _known(conn, administration):
                raise NeedsError(NeedsRefusal.UNKNOWN_ADMINISTRATION)
            return Overview(administration, repo.audience(conn, administration, access.user_id),
                            _survey(conn, repo.latest(conn, administration)))

        return await self.db.read(read)

    async def launch(self, access: Access, administration: str, after: int) -> Survey:
        """Launch a survey if the latest one is still `after` (0: none), so that a double tap
        on the confirmation, or two focal points at once, launch one survey."""
        if not may_see(access, administration):
            raise NeedsError(NeedsRefusal.NOT_ALLOWED)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Survey:
            if not _known(conn, administration):
                raise NeedsError(NeedsRefusal.UNKNOWN_ADMINISTRATION)
            latest = repo.latest(conn, administration)
            if (latest["id"] if latest else 0) != after:
                raise NeedsError(NeedsRefusal.ALREADY_LAUNCHED)
            sid, sent = repo.launch(conn, administration, access.user_id, now)
            audit.record(conn, access.user_id, "needs_survey_launched", f"needs_survey:{sid}", now,
                         administration=administration, recipients=sent)
            return Survey(sid, administration, now, sent, 0)

        return await self.db.write(tx)

    async def survey(self, access: Access, survey_id: int) -> Survey:
        """A survey its reader may see (their administration's, or any for the national team)."""
        def read(conn: sqlite3.Connection) -> Survey | None:
            return _survey(conn, repo.survey(conn, survey_id))

        found = await self.db.read(read)
        if found is None or not may_see(access, found.administration):
            raise NeedsError(NeedsRefusal.NOT_ALLOWED)
        return found

    async def administration_of(self, survey_id: int) -> str | None:
        """The administration a survey was sent to (None: gone), for its invitation's wording."""
        row = await self.db.read(repo.survey, survey_id)
        return row["administration_code"] if row else None

    async def answer(self, user_id: int, administration: str | None,
                     survey_id: int) -> tuple[dict, bool] | None:
        """The person's answer so far and whether it was completed, or None when the survey is
        gone or not addressed to their administration (a forwarded or forged button)."""
        def read(conn: sqlite3.Connection) -> tuple[dict, bool] | None:
            found = repo.survey(conn, survey_id)
            if found is None or found["administration_code"] != administration:
                return None
            row = repo.answer_of(conn, survey_id, user_id)
            return (json.loads(row["answer"]), row["completed_at"] is not None) if row else ({}, False)

        return await self.db.read(read)

    async def save(self, user_id: int, survey_id: int, answer: dict, completed: bool = False) -> None:
        await self.db.write(repo.save, survey_id, user_id, answer, completed, self.clock.now())
