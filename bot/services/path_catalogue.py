"""What the chat shows of paths: the list, a path's card (modules in order, cohorts with their
dates and places left), a person's paths with their progress, and the path attestation (issued
once every module is complete, kept as printed, verified like the others)."""

from __future__ import annotations

import asyncio
import builtins
from dataclasses import dataclass
from datetime import datetime

from bot.services import path_attestation_pdf
from bot.services.paths import PathService, Progress
from bot.storage import catalogue as sessions_repo
from bot.storage import path_attestations as records
from bot.storage import paths as repo
from bot.storage.db import Database
from bot.storage.paths import Module
from bot.timeutil import Clock


@dataclass(frozen=True)
class Cohort:
    id: int
    code: str
    starts_at: datetime
    ends_at: datetime
    seats_left: int  # the fewest places left in its sessions
    open: bool  # every session still takes registrations
    membership: str | None  # the person's: booked, waitlisted, cancelled


@dataclass(frozen=True)
class PathCard:
    id: int
    title_fr: str
    title_ar: str
    modules: list[Module]
    cohorts: list[Cohort]


@dataclass(frozen=True)
class MyPath:
    card: PathCard
    progress: Progress
    membership: str  # booked or waitlisted
    position: int | None


class PathCatalogue:
    def __init__(self, db: Database, clock: Clock, paths: PathService) -> None:
        self.db = db
        self.clock = clock
        self.paths = paths

    async def list(self) -> list:
        return await self.db.read(lambda c: c.execute(
            "SELECT p.id, p.title_fr, p.title_ar, COUNT(m.position) AS modules FROM paths p"
            " JOIN path_modules m ON m.path_id = p.id GROUP BY p.id ORDER BY p.title_fr").fetchall())

    def _card(self, conn, path_id: int, user_id: int) -> PathCard | None:
        path = repo.path(conn, path_id)
        if path is None:
            return None
        now = self.clock.now()
        cohorts = []
        for row in conn.execute("SELECT id, code FROM cohorts WHERE path_id = ? ORDER BY id", (path_id,)):
            sessions = [sessions_repo.existing_session(conn, sid)  # a cohort's sessions are rows
                        for sid in repo.cohort_sessions(conn, row["id"]).values()]
            if not sessions:
                continue
            cohorts.append(Cohort(row["id"], row["code"], min(s.starts_at for s in sessions),
                                  max(s.ends_at for s in sessions), min(s.seats_left for s in sessions),
                                  all(sessions_repo.closed(s, now) is None for s in sessions),
                                  repo.membership(conn, row["id"], user_id)))
        return PathCard(path_id, path["title_fr"], path["title_ar"], repo.modules(conn, path_id), cohorts)

    async def card(self, path_id: int, user_id: int) -> PathCard | None:
        return await self.db.read(self._card, path_id, user_id)

    async def mine(self, user_id: int) -> builtins.list[MyPath]:  # `list` here: the method above
        def read(conn):
            rows = conn.execute(
                "SELECT c.path_id, m.cohort_id, m.status FROM cohort_members m JOIN cohorts c"
                " ON c.id = m.cohort_id WHERE m.user_id = ? AND m.status IN ('booked', 'waitlisted')"
                " ORDER BY m.status = 'booked' DESC, m.updated_at DESC", (user_id,)).fetchall()
            out, seen = [], set()
            for row in rows:
                if row["path_id"] in seen:
                    continue
                seen.add(row["path_id"])
                out.append(MyPath(self._card(conn, row["path_id"], user_id),
                                  self.paths._progress(conn, user_id, row["path_id"]), row["status"],
                                  repo.waitlist_position(conn, row["cohort_id"], user_id)))
            return out

        return await self.db.read(read)

    async def attestation(self, user_id: int, path_id: int):
        """The person's path attestation (issued the first time), or None before the path is
        complete."""
        data = await self.paths.attestation(user_id, path_id)
        if data is None:
            return None
        now = self.clock.now()

        def tx(conn):
            path = repo.path(conn, path_id)
            sex = conn.execute("SELECT sex FROM users WHERE id = ?", (user_id,)).fetchone()
            steps = data.steps
            record = {
                "full_name": data.full_name, "sex": sex[0] if sex else None, "code": path["code"],
                "title_fr": data.title_fr, "title_ar": data.title_ar,
                "starts_at": min(s.starts_at for s in steps if s.starts_at),
                "ends_at": max(s.ends_at for s in steps if s.ends_at), "hours": data.hours,
                "modules": [{"title_fr": s.module.title_fr, "title_ar": s.module.title_ar,
                             "starts_at": s.starts_at.isoformat() if s.starts_at else None,
                             "ends_at": s.ends_at.isoformat() if s.ends_at else None,
                             "hours": round(s.hours, 1)} for s in steps]}
            return records.issue(conn, user_id, path_id, record, now)

        return await self.db.write(tx)

    async def pdf(self, row, verify_link: str, bot_username: str) -> bytes:
        return await asyncio.to_thread(path_attestation_pdf.render, row, verify_link, bot_username)
