"""Learning paths (issue 17, DESIGN 5.7): trainings in order, cohorts of one session per module,
booked whole or not at all, a person's progress, and what a path attestation lists.

Booking a cohort takes a seat in every one of its sessions in ONE write transaction, by the
same rule and insert path as joining a single session (`SEAT` counts, no seat taken past a
session's own waitlist, `RegistrationService.confirm_seat` queues the confirmations and
reminders): either every seat is free and all are taken, or none is and the person joins the
cohort's waitlist (cohort_members, status 'waitlisted') — never a part of a cohort. The first
in line is booked whole when seats free up, and cancelling one session of a booked cohort ends
the whole booking (bot/services/cohort_waitlist.py). Sessions that need a focal point's
approval are refused for cohorts for now (approving a whole cohort at once is a follow-up).

An e-learning module (a training with an `elearning_url`) has no session in a cohort: it is
complete when the learning platform's import or the trainer confirmed it (bot/services/elearning).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bot.services import cohort_waitlist
from bot.services.outcomes import CohortBooking
from bot.services.registrations import RegistrationService
from bot.storage import catalogue as sessions_repo
from bot.storage import paths as repo
from bot.storage.db import Database
from bot.storage.paths import Module
from bot.timeutil import Clock, from_db

DONE_SOURCES = ("import", "confirmed_by_trainer")


@dataclass(frozen=True)
class Booking:
    outcome: CohortBooking
    registrations: list[int] = field(default_factory=list)
    position: int | None = None  # on the cohort's waitlist
    refusal: str | None = None  # not_found cancelled started closed needs_approval


@dataclass(frozen=True)
class Step:
    module: Module
    done: bool
    session_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hours: float = 0.0  # attended (or the e-learning module's estimated hours, once complete)


@dataclass(frozen=True)
class Progress:
    path_id: int
    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def next(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)

    @property
    def complete(self) -> bool:
        return self.done == self.total > 0


@dataclass(frozen=True)
class PathAttestation:
    """What the path attestation lists (the PDF is drawn elsewhere)."""

    full_name: str
    title_fr: str
    title_ar: str
    steps: list[Step]

    @property
    def hours(self) -> float:
        return round(sum(s.hours for s in self.steps), 1)


def _hours(reg: sqlite3.Row, module: Module) -> float:
    """Hours attended: from the part marks, else the training's duration, its parts, its span."""
    if reg["hours_attended"] is not None:
        return reg["hours_attended"]
    if reg["status"] != "attended":
        return 0.0
    span = (from_db(reg["ends_at"]) - from_db(reg["starts_at"])).total_seconds() / 3600
    return module.duration_hours or reg["parts_hours"] or round(span, 2)


class PathService:
    def __init__(self, db: Database, clock: Clock, registrations: RegistrationService) -> None:
        self.db = db
        self.clock = clock
        self.registrations = registrations

    async def create_path(self, code: str, title_fr: str, title_ar: str,
                          training_ids: list[int]) -> int:
        now = self.clock.now()
        return await self.db.write(repo.insert_path, code, title_fr, title_ar, training_ids, now)

    async def create_cohort(self, path_id: int, code: str, session_ids: list[int]) -> int:
        """A cohort of the given sessions, one for each module given in a session (ValueError
        when a module is missing or doubled, or a session is of no module of the path)."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection):
            modules = repo.modules(conn, path_id)
            by_training = {m.training_id: m.position for m in modules}
            sessions: dict[int, int] = {}
            for sid in session_ids:
                session = sessions_repo.get_session(conn, sid)
                position = by_training.get(session.training_id) if session else None
                if position is None or position in sessions:
                    raise ValueError(f"session {sid} is no module of the path, or a module twice")
                sessions[position] = sid
            if {m.position for m in modules if not m.elearning} != set(sessions):
                raise ValueError("a cohort needs one session for each module given in sessions")
            return repo.insert_cohort(conn, path_id, code, sessions, now)

        return await self.db.write(tx)

    async def book_cohort(self, user_id: int, cohort_id: int) -> Booking:
        """Every session of the cohort, or the cohort's waitlist: all or nothing."""
        now = self.clock.now()
        try:
            return await self.db.write(self._book, user_id, cohort_id, now)
        finally:
            self.registrations.on_change()

    def _book(self, conn: sqlite3.Connection, user_id: int, cohort_id: int, now: datetime) -> Booking:
        if repo.cohort(conn, cohort_id) is None:
            return Booking(CohortBooking.REFUSED, refusal="not_found")
        member = repo.membership(conn, cohort_id, user_id)
        if member in ("booked", "waitlisted"):
            return Booking(CohortBooking.ALREADY, position=repo.waitlist_position(conn, cohort_id, user_id))
        found = cohort_waitlist.fit(conn, cohort_id, user_id, now)
        if found.refusal:
            return Booking(CohortBooking.REFUSED, refusal=found.refusal)
        if not found.free:
            repo.set_member(conn, cohort_id, user_id, "waitlisted", now)
            return Booking(CohortBooking.WAITLISTED,
                           position=repo.waitlist_position(conn, cohort_id, user_id))
        booked = cohort_waitlist.book(conn, self.registrations, cohort_id, user_id, found, now)
        return Booking(CohortBooking.BOOKED, booked)

    async def cohort_of_place(self, user_id: int, session_id: int) -> dict | None:
        """The cohort (code, path titles, its sessions) the person booked whole that this
        session belongs to: cancelling the session ends that booking, which they are told."""

        def read(conn: sqlite3.Connection) -> dict | None:
            cohort_id = cohort_waitlist.booked_with(conn, user_id, session_id)
            if cohort_id is None:
                return None
            return cohort_waitlist.about(conn, cohort_id, len(repo.cohort_sessions(conn, cohort_id)))

        return await self.db.read(read)

    # --- progress -----------------------------------------------------------------------------
    async def progress(self, user_id: int, path_id: int) -> Progress:
        return await self.db.read(self._progress, user_id, path_id)

    def _progress(self, conn: sqlite3.Connection, user_id: int, path_id: int) -> Progress:
        cohort_id = repo.booked_cohort(conn, path_id, user_id)
        planned = repo.cohort_sessions(conn, cohort_id) if cohort_id else {}
        steps = []
        for module in repo.modules(conn, path_id):
            if module.elearning:
                row = conn.execute("SELECT completed_at FROM elearning_completion WHERE user_id = ?"
                                   " AND training_id = ? AND source IN (?, ?)",
                                   (user_id, module.training_id, *DONE_SOURCES)).fetchone()
                done = row is not None
                when = from_db(row[0]) if done else None
                steps.append(Step(module, done, None, when, when,
                                  (module.duration_hours or 0.0) if done else 0.0))
                continue
            reg = repo.best_registration(conn, user_id, module.training_id)
            if reg is not None and (reg["status"] == "attended" or module.position not in planned):
                steps.append(Step(module, reg["status"] == "attended", reg["session_id"],
                                  from_db(reg["starts_at"]), from_db(reg["ends_at"]),
                                  _hours(reg, module)))
                continue
            sid = planned.get(module.position)
            session = sessions_repo.get_session(conn, sid) if sid else None
            steps.append(Step(module, False, sid, session.starts_at if session else None,
                              session.ends_at if session else None,
                              _hours(reg, module) if reg is not None else 0.0))
        return Progress(path_id, steps)

    async def attestation(self, user_id: int, path_id: int) -> PathAttestation | None:
        """What the path attestation lists, once every module is complete (None before)."""

        def read(conn):
            progress = self._progress(conn, user_id, path_id)
            if not progress.complete:
                return None
            path = repo.path(conn, path_id)
            name = conn.execute("SELECT IFNULL(full_name, '') FROM users WHERE id = ?",
                                (user_id,)).fetchone()[0]
            return PathAttestation(name, path["title_fr"], path["title_ar"], progress.steps)

        return await self.db.read(read)
