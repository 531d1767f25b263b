"""Coaching (issue 17): a coach (a trainer) publishes slots of a coaching training; an official
books one from the training's card (one statement, so two people tapping at once cannot both
have it); after the slot the coach records whether the person came and the next objective,
which the person receives through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services.outcomes import SlotBooking, SlotRecord
from bot.storage import coaching as repo
from bot.storage import outbox
from bot.storage.coaching import Slot
from bot.storage.db import Database
from bot.timeutil import Clock

FOLLOW_UP = "coaching_follow_up"
MAX_HOURS = 8


class CoachingService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def trainings(self) -> list:
        """The coaching trainings a slot can be published for."""
        return await self.db.read(lambda c: c.execute(
            "SELECT id, title_fr, title_ar FROM trainings WHERE modality = 'coaching'"
            " ORDER BY code").fetchall())

    async def publish(self, coach_id: int, training_id: int, starts_at: datetime,
                      ends_at: datetime, place: str) -> int | None:
        """A new free slot; None when its times are not valid (past, or longer than a day's work)."""
        now = self.clock.now()
        if starts_at <= now or not timedelta(0) < ends_at - starts_at <= timedelta(hours=MAX_HOURS):
            return None
        return await self.db.write(repo.insert, training_id, coach_id, starts_at, ends_at, place, now)

    async def free(self, training_id: int) -> list[Slot]:
        return await self.db.read(repo.free, training_id, self.clock.now())

    async def slot(self, slot_id: int) -> Slot | None:
        return await self.db.read(repo.get, slot_id)

    async def mine(self, coach_id: int) -> list[Slot]:
        """The coach's slots still to come and those of the last week (to record)."""
        return await self.db.read(repo.of_coach, coach_id, self.clock.now() - timedelta(days=7))

    async def book(self, user_id: int, slot_id: int) -> SlotBooking:
        """booked, own (the coach's own slot) or taken (by someone else, or past)."""
        now = self.clock.now()

        def tx(conn):
            slot = repo.get(conn, slot_id)
            if slot is None:
                return SlotBooking.TAKEN
            if slot.coach_id == user_id:
                return SlotBooking.OWN
            return SlotBooking.BOOKED if repo.book(conn, slot_id, user_id, now) else SlotBooking.TAKEN

        return await self.db.write(tx)

    async def record(self, coach_id: int, slot_id: int, attended: bool,
                     objective: str | None = None) -> SlotRecord:
        """ok, not_yours, not_booked or not_yet (before the slot starts). With an objective, the
        person is told it (once per slot)."""
        now = self.clock.now()

        def tx(conn):
            slot = repo.get(conn, slot_id)
            if slot is None or slot.coach_id != coach_id:
                return SlotRecord.NOT_YOURS
            if slot.user_id is None:
                return SlotRecord.NOT_BOOKED
            if slot.starts_at > now:
                return SlotRecord.NOT_YET
            repo.record(conn, slot_id, attended, objective, now)
            if objective:
                outbox.enqueue(conn, slot.user_id, FOLLOW_UP, {"slot": slot_id},
                               f"{FOLLOW_UP}:{slot_id}", now)
            return SlotRecord.OK

        return await self.db.write(tx)
