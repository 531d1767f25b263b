"""Personal data rights (law 09-08): a copy of everything stored about a person, erasure on
request, and the retention rule that erases people inactive for too long."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.services.people import PeopleService
from bot.services.registrations import RegistrationService
from bot.storage import catalogue as sessions_repo
from bot.storage import knowledge_tests, needs, self_assessment
from bot.storage import privacy as repo
from bot.storage import registrations as regs_repo
from bot.storage.attestations import declare_personal_data
from bot.storage.db import Database
from bot.timeutil import Clock

log = logging.getLogger("etamkeen.privacy")

FORMAT_VERSION = 1  # of the exported file


@dataclass(frozen=True)
class Erased:
    """What an erasure did: places given up, rows kept anonymously, rows deleted."""

    cancelled: int
    tombstone_id: int | None
    counts: dict[str, int] = field(default_factory=dict)


class PrivacyService:
    def __init__(self, db: Database, clock: Clock, settings: Settings, people: PeopleService,
                 registrations: RegistrationService) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.people = people
        self.registrations = registrations
        # Every feature's personal data must be known wherever erasure runs (the bot, and the
        # command line's purge-inactive, which does not start the bot).
        declare_personal_data()
        knowledge_tests.declare_personal_data()
        self_assessment.declare_personal_data()
        needs.declare_personal_data()

    # --- the right of access -------------------------------------------------------------------
    async def export(self, user_id: int, lang: str) -> dict:
        """Everything stored about the person, source by source (codes with their names)."""
        sources = await self.db.read_heavy(repo.export_all, user_id, lang)
        return {
            "format": f"e-TAMKEEN personal data export, version {FORMAT_VERSION}",
            "law": "Loi 09-08 / القانون 09-08",
            "generated_at": self.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "times": "UTC",
            "telegram_user_id": user_id,
            "retention_years": self.settings.retention_years,
            **sources,
        }

    @staticmethod
    def as_file(data: dict) -> tuple[str, bytes]:
        """The export as a readable UTF-8 JSON file (Arabic left as letters, not \\u escapes)."""
        return "e-tamkeen-my-data.json", json.dumps(data, ensure_ascii=False, indent=2).encode()

    async def upcoming(self, user_id: int) -> int:
        """How many places (or places awaited) an erasure would give up."""
        return len(await self.db.read(repo.upcoming, user_id, self.clock.now()))

    # --- the right to erasure ------------------------------------------------------------------
    async def erase(self, user_id: int, reason: str = "request", scrub: bool = True) -> Erased | None:
        """Erase the person in one transaction; None if nothing was stored about them. Then
        (unless the caller scrubs once for a batch) empty the write-ahead log, which still holds
        the rows as they were before the erasure."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Erased | None:
            if not repo.known(conn, user_id):
                return None
            cancelled = self._withdraw(conn, user_id, now)
            erasure = repo.erase_all(conn, user_id, now)
            repo.record_erasure(conn, reason, cancelled, now)
            return Erased(cancelled, erasure.tombstone_id, erasure.counts)

        self.people.forget(user_id)
        try:
            result = await self.db.write(tx)
        finally:
            self.people.forget(user_id)
            self.registrations.on_change()  # places were freed: cached seat counts are stale
        if result is not None and scrub:
            await self.db.scrub()
        if result is not None:
            # The id only (so an operator can answer "was I erased?"), never the tombstone: the
            # log must not become the link back from the anonymous rows to the person.
            log.info("erased user=%s reason=%s places_cancelled=%s", user_id, reason, result.cancelled)
        return result

    def _withdraw(self, conn: sqlite3.Connection, user_id: int, now: datetime) -> int:
        """Cancel the person's places in sessions to come, passing seats down the waitlists."""
        ids = repo.upcoming(conn, user_id, now)
        for reg_id in ids:
            reg = regs_repo.existing(conn, reg_id)
            regs_repo.set_status(conn, reg.id, "cancelled", now)
            if reg.status in regs_repo.SEAT:
                # RegistrationService.cancel runs its own transaction (and refuses after the
                # cancel deadline); erasure must be one transaction and always withdraw, so the
                # service's public in-transaction step (offer_next) is used directly.
                session = sessions_repo.existing_session(conn, reg.session_id)
                self.registrations.offer_next(conn, session, now)
        return len(ids)

    # --- retention ---------------------------------------------------------------------------
    def cutoff(self) -> datetime | None:
        years = self.settings.retention_years
        return self.clock.now() - timedelta(days=round(365.25 * years)) if years > 0 else None

    async def due_for_retention(self, limit: int = 1000) -> list[int]:
        cutoff = self.cutoff()
        return [] if cutoff is None else await self.db.read_heavy(repo.inactive, cutoff, limit)

    async def purge_inactive(self, batch: int = 200) -> int:
        """Erase everyone inactive for longer than the retention period; one transaction each."""
        cutoff = self.cutoff()
        if cutoff is None:
            return 0
        erased = 0
        while True:
            due = await self.db.read_heavy(repo.inactive, cutoff, batch)
            done = 0
            for user_id in due:
                if await self.erase(user_id, reason="retention", scrub=False) is not None:
                    done += 1
            if done:
                await self.db.scrub()  # one checkpoint for the batch, not one per person
            erased += done
            if len(due) < batch:
                break
        drafts = await self.db.write(repo.stale_drafts, cutoff)
        if erased or drafts:
            log.info("retention: erased %s people and %s abandoned onboardings inactive since %s",
                     erased, drafts, cutoff.date())
        return erased


class Activity:
    """Notes when people use the bot (the retention rule counts from it): once a day per person
    at most, remembered in memory, and written in batches by the housekeeping loop, so no update
    ever waits for it or costs a transaction of its own."""

    def __init__(self, db: Database, clock: Clock, people: PeopleService) -> None:
        self.db = db
        self.clock = clock
        self.people = people
        self._today = self._tomorrow = datetime.min.replace(tzinfo=UTC)
        self._seen: set[int] = set()
        self._pending: set[int] = set()

    def first_today(self, user_id: int) -> bool:
        """True once a day per person: the visit is worth writing down."""
        now = self.clock.now()
        if not self._today <= now < self._tomorrow:  # another (UTC) day: first visits again
            self._today = now.replace(hour=0, minute=0, second=0, microsecond=0)
            self._tomorrow = self._today + timedelta(days=1)
            self._seen = set()
        if user_id in self._seen:
            return False
        if len(self._seen) >= 200_000:  # bounded: forgetting only costs a no-op write
            self._seen.clear()
        self._seen.add(user_id)
        return True

    def seen(self, user_id: int) -> None:
        """Someone wrote to the bot: noted in memory now, in the database at the next flush."""
        if self.first_today(user_id):
            self._pending.add(user_id)

    async def flush(self) -> int:
        """Write the visits noted since the last flush, in one transaction."""
        pending, self._pending = self._pending, set()
        if not pending:
            return 0
        now = self.clock.now()
        return await self.db.write(lambda conn: sum(repo.note_seen(conn, u, now) for u in pending))

    async def note(self, user_id: int) -> None:
        """Note one visit now."""
        self._pending.add(user_id)
        await self.flush()
