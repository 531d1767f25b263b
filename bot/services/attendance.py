"""Attendance (DESIGN 5.2: confirmed → attended | absent), marked by the trainer or by a check-in
scan. A mark and the evaluation invitations it causes are written in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import evaluation_rules
from bot.services.outcomes import Marking
from bot.storage import attendance as repo
from bot.storage import catalogue as sessions_repo
from bot.storage import registrations as regs_repo
from bot.storage.attendance import RosterLine
from bot.storage.catalogue import Session
from bot.storage.db import Database
from bot.storage.registrations import Registration
from bot.timeutil import Clock

PAGE = 8


@dataclass(frozen=True)
class Roster:
    session: Session
    lines: list[RosterLine]
    total: int
    page: int
    pages: int
    counts: dict[str, int]
    editable: bool
    opens_at: datetime  # when marking becomes possible
    closes_at: datetime  # until when marks can change


def mark(conn: sqlite3.Connection, reg: Registration, status: str, session: Session, now: datetime,
         settings: Settings) -> Registration:
    """Set attended or absent; present people get their evaluation invitations scheduled."""
    if reg.status == status:
        return reg
    reg = regs_repo.set_status(conn, reg.id, status, now)
    if status == "attended":
        evaluation_rules.schedule(conn, reg.user_id, reg.id, session.ends_at, now, settings)
    else:
        evaluation_rules.unschedule(conn, reg.id)
    return reg


class AttendanceService:
    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.on_change = on_change  # counts shown elsewhere (catalogue caches) changed

    def window(self, session: Session) -> tuple[datetime, datetime]:
        """From the check-in opening (before the start) to a few days after the end."""
        return (session.starts_at - timedelta(minutes=self.settings.checkin_opens_minutes),
                session.ends_at + timedelta(days=self.settings.attendance_edit_days))

    def _editable(self, session: Session, now: datetime) -> bool:
        opens, closes = self.window(session)
        return session.status == "published" and opens <= now <= closes

    async def roster(self, session_id: int, page: int) -> Roster | None:
        now = self.clock.now()

        def read(conn):
            session = sessions_repo.get_session(conn, session_id)
            if session is None:
                return None
            lines, total = repo.roster(conn, session_id, page * PAGE, PAGE)
            pages = max(1, -(-total // PAGE))
            if not lines and page > 0:  # the roster shrank: show its last page
                lines, total = repo.roster(conn, session_id, (pages - 1) * PAGE, PAGE)
            opens, closes = self.window(session)
            return Roster(session, lines, total, min(page, pages - 1), pages, repo.counts(conn, session_id),
                          self._editable(session, now), opens, closes)

        return await self.db.read(read)

    async def set(self, registration_id: int, present: bool) -> tuple[Marking, int | None]:
        """Mark present or absent; the button carries the wanted state, so a double tap or a
        redelivered update changes nothing. Returns (outcome, session id)."""
        now = self.clock.now()

        def tx(conn):
            reg = regs_repo.get(conn, registration_id)
            if reg is None or reg.status not in repo.ROSTER_STATES:
                return Marking.NOT_FOUND, reg.session_id if reg else None
            session = sessions_repo.get_session(conn, reg.session_id)
            if not self._editable(session, now):
                return Marking.CLOSED, session.id
            mark(conn, reg, "attended" if present else "absent", session, now, self.settings)
            return Marking.OK, session.id

        return await self._write(tx)

    async def all_present(self, session_id: int) -> tuple[Marking, int, int]:
        """Everyone not yet marked present (the trainer then taps the few who were not); absences
        already marked are kept. Returns (outcome, how many were marked, absences kept)."""
        now = self.clock.now()

        def tx(conn):
            session = sessions_repo.get_session(conn, session_id)
            if session is None or not self._editable(session, now):
                return Marking.CLOSED, 0, 0
            ids = repo.unmarked(conn, session_id)
            for reg_id in ids:
                mark(conn, regs_repo.get(conn, reg_id), "attended", session, now, self.settings)
            return Marking.OK, len(ids), repo.counts(conn, session_id)["absent"]

        return await self._write(tx)

    async def registration(self, registration_id: int) -> Registration | None:
        return await self.db.read(regs_repo.get, registration_id)

    async def _write(self, fn):
        try:
            return await self.db.write(fn)
        finally:
            self.on_change()
