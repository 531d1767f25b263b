"""Offering the self-assessment again (issue 17): six months after a person's newest one, and when
they complete a learning path (so the profile shows what the path changed: "Sécurité 2 → 4").

Each offer is an outbox message whose key names its occasion — the assessment it follows, or the
path — so it is queued once per person and occasion however often the job looks (hourly, and
again after a restart). A path counts only when completed in the last 30 days (a path finished
long before the feature existed is no occasion) and after the person's newest assessment. At
send time the notice is skipped if an assessment was taken since it was queued."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services.hourly import Hourly
from bot.services.paths import PathService
from bot.storage import outbox
from bot.storage.db import Database
from bot.timeutil import Clock, from_db, to_db

KIND = "profile_again"
AGAIN_AFTER = timedelta(days=182)  # six months
PATH_RECENT = timedelta(days=30)


def _latest(conn) -> dict[int, tuple[int, datetime]]:
    """Each person's newest assessment: user → (id, taken_at)."""
    return {r[0]: (r[1], from_db(r[2])) for r in conn.execute(
        """SELECT a.user_id, a.id, a.taken_at FROM assessments a
            WHERE a.id = (SELECT b.id FROM assessments b WHERE b.user_id = a.user_id
                           ORDER BY b.taken_at DESC, b.id DESC LIMIT 1)""")}


def _booked(conn) -> list[tuple[int, int, str, str]]:
    """(user, path, French title, Arabic title) of every booked path."""
    return [(r[0], r[1], r[2], r[3]) for r in conn.execute(
        """SELECT DISTINCT m.user_id, c.path_id, p.title_fr, p.title_ar FROM cohort_members m
             JOIN cohorts c ON c.id = m.cohort_id JOIN paths p ON p.id = c.path_id
            WHERE m.status = 'booked' ORDER BY m.user_id, c.path_id""")]


class ProfileOffers:
    """The housekeeping loop runs every second; looking once an hour is enough."""

    def __init__(self, db: Database, clock: Clock, paths: PathService) -> None:
        self.db, self.clock, self.paths = db, clock, paths
        self.hourly = Hourly(clock)

    async def tick(self) -> int | None:
        """How many offers were queued, or None when it was not time to look."""
        return await self.queue() if self.hourly.due() else None

    async def queue(self) -> int:
        now = self.clock.now()
        latest = await self.db.read(_latest)
        messages: list[outbox.Message] = [
            (uid, KIND, {"occasion": "six_months", "since": to_db(at)}, f"{KIND}:{uid}:a{aid}", now, False)
            for uid, (aid, at) in latest.items() if at <= now - AGAIN_AFTER]
        for uid, path_id, title_fr, title_ar in await self.db.read(_booked):
            progress = await self.paths.progress(uid, path_id)
            ends = [s.ends_at for s in progress.steps if s.ends_at is not None]
            if not progress.complete or not ends:
                continue
            done_at = max(ends)
            taken = latest.get(uid)
            if done_at < now - PATH_RECENT or (taken is not None and taken[1] >= done_at):
                continue
            payload = {"occasion": "path", "path": path_id, "title_fr": title_fr, "title_ar": title_ar,
                       "since": to_db(now)}
            messages.append((uid, KIND, payload, f"{KIND}:{uid}:p{path_id}", now, False))
        return await self.db.write(outbox.enqueue_many, messages, now)

    async def taken_since(self, user_id: int, since: datetime) -> bool:
        """Whether the person took a self-assessment after `since` (the offer is then moot)."""
        row = await self.db.read(lambda conn: conn.execute(
            "SELECT 1 FROM assessments WHERE user_id = ? AND taken_at > ? LIMIT 1",
            (user_id, to_db(since))).fetchone())
        return row is not None
