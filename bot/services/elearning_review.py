"""What trainers confirm and whom the weekly nudge goes to, for e-learning modules (issue 17).
The nudge is an outbox message, one per person, module and week (its key), so a restart or a
second run in the same week queues nothing twice, and it is skipped at send time once the
module is complete or declared."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.elearning import ElearningService
from bot.services.hourly import Hourly
from bot.storage import outbox
from bot.storage.db import Database
from bot.timeutil import Clock, from_db, to_local

NUDGE = "elearning_nudge"


@dataclass(frozen=True)
class Declaration:
    user_id: int
    full_name: str
    training_id: int
    title_fr: str
    title_ar: str
    declared_at: object


async def pending(db: Database, limit: int = 20) -> list[Declaration]:
    """Declarations awaiting a trainer's confirmation, oldest first."""
    rows = await db.read(lambda c: c.execute(
        """SELECT e.user_id, IFNULL(u.full_name, '—'), e.training_id, t.title_fr, t.title_ar,
                  e.recorded_at FROM elearning_completion e JOIN users u ON u.id = e.user_id
             JOIN trainings t ON t.id = e.training_id
            WHERE e.source = 'self' ORDER BY e.recorded_at LIMIT ?""", (limit,)).fetchall())
    return [Declaration(r[0], r[1], r[2], r[3], r[4], from_db(r[5])) for r in rows]


async def queue_nudges(db: Database, clock: Clock, elearning: ElearningService) -> int:
    """This week's nudges for the unfinished e-learning modules of booked paths; returns how
    many were queued (0 when this week's are queued already)."""
    now = clock.now()
    year, week, _ = to_local(now).isocalendar()
    messages = [(u.user_id, NUDGE, {"training": u.training_id},
                 f"{NUDGE}:{u.user_id}:{u.training_id}:{year}-W{week:02d}", now, False)
                for u in await elearning.unfinished()]
    return await db.write(outbox.enqueue_many, messages, now)


async def state(db: Database, user_id: int, training_id: int) -> tuple[str | None, str | None]:
    """(completion source or None, the module's link) for one person and module."""
    def read(conn):
        done = conn.execute("SELECT source FROM elearning_completion WHERE user_id = ? AND training_id = ?",
                            (user_id, training_id)).fetchone()
        url = conn.execute("SELECT elearning_url FROM trainings WHERE id = ?", (training_id,)).fetchone()
        return (done[0] if done else None), (url[0] if url else None)

    return await db.read(read)


class Nudges:
    """The housekeeping loop runs every second; looking for unfinished modules once an hour is
    enough (a week's key keeps them to one a week; a restart looks again at once)."""

    def __init__(self, db: Database, clock: Clock, elearning: ElearningService) -> None:
        self.db, self.clock, self.elearning = db, clock, elearning
        self.hourly = Hourly(clock)

    async def tick(self) -> int | None:
        """How many nudges were queued, or None when it was not time to look."""
        return await queue_nudges(self.db, self.clock, self.elearning) if self.hourly.due() else None
