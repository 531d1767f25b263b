"""The registration lifecycle (DESIGN 5.2). Every change and the messages it causes are written
in one immediate transaction: capacity cannot be exceeded under concurrency, and a crash
between the change and its notification loses nothing (the outbox holds it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import approvers, cohort_waitlist, part_notices, reminders, test_taking
from bot.services.outcomes import Outcome, Refusal
from bot.storage import audit, outbox, quotas
from bot.storage import catalogue as sessions_repo
from bot.storage import registrations as repo
from bot.storage.catalogue import Session
from bot.storage.db import Database
from bot.storage.registrations import MyRegistration, Registration
from bot.timeutil import Clock


@dataclass(frozen=True)
class Result:
    """What happened. `outcome` names it; `refusal` says why nothing happened."""

    outcome: Outcome
    registration: Registration | None = None
    position: int | None = None
    refusal: Refusal | None = None
    clashes: list[int] = field(default_factory=list)
    # The session's seats taken once the change is made, read in the same transaction: the
    # card shown right after needs no read of its own (see `_with_seats`).
    taken: int | None = None
    # Queued because the places left are reserved for other administrations (bot/storage/
    # quotas.py), until `reserved_until` (None with `reserved`: until registration closes).
    reserved: bool = False
    reserved_until: datetime | None = None


def _with_seats(conn: sqlite3.Connection, result: Result) -> Result:
    """The result with its session's seats and the person's queue position as committed.

    The common paths count the seats as they change them (`taken` set), and a new place in
    the queue knows its position; the others (refusals, repeats) read it all — a refusal may
    have moved the registration on."""
    reg = result.registration
    if reg is None:
        return result
    if result.taken is None:
        reg = repo.existing(conn, reg.id)
        result = replace(result, registration=reg, taken=repo.taken(conn, reg.session_id),
                         position=None)
    if reg.status != "waitlisted":
        return replace(result, position=None)
    if result.position is None:
        result = replace(result, position=repo.position(conn, reg))
    return result


# An offer answered too late: the refusal says where its seat went (see `_lapse`).
EXPIRED = {"passed": Refusal.EXPIRED, "free": Refusal.EXPIRED_FREE, "closed": Refusal.EXPIRED_CLOSED}


def _refused(reason: str, registration: Registration | None = None) -> Result:
    """Refused, for a reason of Refusal (a storage or approver reason outside it: ValueError)."""
    return Result(Outcome.REFUSED, registration, refusal=Refusal(reason))


class RegistrationService:
    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        # Seats and queues changed: whoever caches catalogue lists must read them afresh.
        self.on_change = on_change

    async def _write(self, fn, *args):
        try:
            return await self.db.write(fn, *args)
        finally:
            self.on_change()

    # --- reading -------------------------------------------------------------------------------
    async def mine(self, user_id: int) -> list[MyRegistration]:
        return await self.db.read(repo.of_user, user_id)

    async def get(self, reg_id: int) -> Registration | None:
        return await self.db.read(repo.get, reg_id)

    async def clashes(self, user_id: int, session_id: int) -> list[int]:
        """The sessions the person holds or awaits that overlap this one: asked before joining."""
        return await self.db.read(repo.clashes, user_id, session_id)

    async def decided_by(self, user_id: int) -> str:
        """Who decides on this person's approval requests (bot/services/approvers.decided_by)."""
        return await self.db.read(approvers.decided_by, user_id, self.settings)

    # --- the person's actions ------------------------------------------------------------------
    async def join(self, user_id: int, session_id: int) -> Result:
        """Register, ask for approval, or queue — whichever the session allows right now."""
        now = self.clock.now()
        return await self._write(lambda conn: _with_seats(conn, self._join(conn, user_id, session_id, now)))

    def _join(self, conn: sqlite3.Connection, user_id: int, session_id: int, now: datetime) -> Result:
        session = sessions_repo.get_session(conn, session_id)
        refusal = sessions_repo.closed(session, now)
        if refusal:
            return _refused(refusal)
        assert session is not None  # closed() refuses a session that does not exist
        waiting, existing, elsewhere, has_quotas = repo.queue_mine_and_quotas(conn, session_id, user_id)
        if existing and existing.status in repo.ACTIVE + ("attended", "absent"):
            return Result(Outcome.ALREADY, existing, taken=session.taken)  # position: _with_seats
        # Most people hold no other place: then nothing can clash, and nothing is looked up.
        clashes = repo.clashes(conn, user_id, session_id) if elsewhere else []
        if session.needs_approval:
            reg = repo.insert_or_revive(conn, session_id, user_id, "requested", now,
                                        self._request_expiry(session, now))
            self._ask_approvers(conn, reg, now)
            return Result(Outcome.REQUESTED, reg, clashes=clashes, taken=session.taken)
        # session.taken was counted in this same transaction: nothing can have changed it since.
        seat = quotas.seat_for(conn, session.id, session.capacity, session.taken, waiting,
                               user_id, now, has_quotas)
        if seat.free:
            reg = self.confirm_seat(conn, session, user_id, now)
            return Result(Outcome.CONFIRMED, reg, clashes=clashes, taken=session.taken + 1)
        reg = repo.insert_or_revive(conn, session_id, user_id, "waitlisted", now)
        # Last in line: behind everyone counted waiting in this transaction.
        return Result(Outcome.WAITLISTED, reg, position=waiting + 1, clashes=clashes,
                      taken=session.taken, reserved=seat.reserved, reserved_until=seat.until)

    def confirm_seat(self, conn: sqlite3.Connection, session: Session, user_id: int,
                     now: datetime) -> Registration:
        """Give the person a seat, with the confirmation and its reminders queued: the one
        insert path of a seat (joining, booking a whole cohort). The caller checked, in this
        transaction, that a seat is free."""
        reg = repo.insert_or_revive(conn, session.id, user_id, "confirmed", now)
        self._notify(conn, reg, "confirmed", now, session)
        return reg

    async def cancel(self, user_id: int, reg_id: int) -> Result:
        now = self.clock.now()

        def tx(conn):
            reg = repo.get(conn, reg_id)
            if reg is None or reg.user_id != user_id:
                return _refused(Refusal.NOT_YOURS)
            if reg.status not in repo.ACTIVE:
                return Result(Outcome.ALREADY, reg)
            session = sessions_repo.get_session(conn, reg.session_id)
            notice = timedelta(hours=self.settings.cancel_deadline_hours)
            if now >= session.starts_at - notice:
                return _refused(Refusal.TOO_LATE, reg)
            was = reg.status
            reg = self._cancelled(conn, reg, now)
            # One session of a booked cohort cancelled ends the whole booking: every change is
            # made before any seat is passed on, so the cohort's waitlist sees them all.
            others = (cohort_waitlist.leave(conn, user_id, reg.session_id, now, notice)
                      if was == "confirmed" else [])  # a cohort's places are confirmed ones
            for other, _ in others:
                self._cancelled(conn, other, now)
            taken = session.taken  # counted in this transaction, before the change
            if was in repo.SEAT:
                taken = self.offer_next(conn, session, now, taken - 1)
            for other, other_session in others:  # counted afresh: a promotion may fill them
                if other.status in repo.SEAT:
                    self.offer_next(conn, other_session, now)
            return Result(Outcome.CANCELLED, reg, taken=taken)

        return await self._write(lambda conn: _with_seats(conn, tx(conn)))

    async def answer_offer(self, user_id: int, reg_id: int, accept: bool) -> Result:
        now = self.clock.now()

        def tx(conn):
            reg = repo.get(conn, reg_id)
            if reg is None or reg.user_id != user_id:
                return _refused(Refusal.NOT_YOURS)
            if reg.status == "confirmed" and accept:
                return Result(Outcome.ALREADY, reg)
            if reg.status != "offered":
                return _refused(Refusal.NO_OFFER, reg)
            session = sessions_repo.get_session(conn, reg.session_id)
            if reg.expires_at and reg.expires_at <= now or session.starts_at <= now:
                went = self._lapse(conn, reg, session, now)
                return _refused(EXPIRED[went], reg)
            if accept:
                reg = repo.set_status(conn, reg.id, "confirmed", now)
                self._notify(conn, reg, "confirmed", now, session)
                return Result(Outcome.ACCEPTED, reg, taken=session.taken)  # the offer held the seat
            reg = repo.set_status(conn, reg.id, "declined", now)
            return Result(Outcome.DECLINED, reg, taken=self.offer_next(conn, session, now,
                                                                  session.taken - 1))

        return await self._write(lambda conn: _with_seats(conn, tx(conn)))

    async def toggle_interest(self, user_id: int, training_id: int) -> bool | None:
        """Add to or remove from a training's interest list; None if the training is gone."""
        now = self.clock.now()

        def tx(conn):
            if sessions_repo.get_training(conn, training_id) is None:
                return None
            return repo.toggle_interest(conn, training_id, user_id, now)

        return await self._write(tx)

    async def is_interested(self, user_id: int, training_id: int) -> bool:
        return await self.db.read(repo.is_interested, training_id, user_id)

    # --- approvers -----------------------------------------------------------------------------
    async def decide(self, approver_id: int, reg_id: int, approve: bool,
                     reason: str | None = None) -> Result:
        now = self.clock.now()

        def tx(conn):
            reg = repo.get(conn, reg_id)
            if reg is None:
                return _refused(Refusal.NOT_FOUND)
            refusal = approvers.refusal(conn, approver_id, reg, self.settings)
            if refusal:
                return _refused(refusal, reg)
            if reg.status != "requested":
                return Result(Outcome.ALREADY, reg)
            session = sessions_repo.get_session(conn, reg.session_id)
            if sessions_repo.closed(session, now, deadline=False):
                return _refused(Refusal.CLOSED, reg)
            audit.record(conn, approver_id, "request_approved" if approve else "request_refused",
                         f"registration:{reg.id}", now)
            if not approve:
                reg = repo.set_status(conn, reg.id, "rejected", now, reason=reason or None,
                                      decided_by=approver_id)
                self._notify(conn, reg, "refused", now)
                return Result(Outcome.REFUSED_BY_APPROVER, reg)
            seat = quotas.seat_for(conn, session.id, session.capacity, session.taken,
                                   repo.waiting(conn, session.id), reg.user_id, now)
            if seat.free:
                reg = repo.set_status(conn, reg.id, "confirmed", now, decided_by=approver_id)
                self._notify(conn, reg, "confirmed", now, session)
                return Result(Outcome.CONFIRMED, reg)
            # Approved but full: the place comes from the waitlist, never beyond capacity.
            reg = repo.set_status(conn, reg.id, "waitlisted", now, decided_by=approver_id,
                                  requeue=True)
            self._notify(conn, reg, "approved_waitlisted", now)
            return Result(Outcome.WAITLISTED, reg, repo.position(conn, reg))

        return await self._write(tx)

    async def decision_refusal(self, approver_id: int, reg_id: int) -> Refusal | None:
        """Why this person may not decide on this request (None: they may): not_found,
        own_request, not_allowed."""

        def read(conn: sqlite3.Connection) -> Refusal | None:
            reg = repo.get(conn, reg_id)
            if reg is None:
                return Refusal.NOT_FOUND
            reason = approvers.refusal(conn, approver_id, reg, self.settings)
            return Refusal(reason) if reason else None

        return await self.db.read(read)

    async def pending(self, approver_id: int, offset: int, limit: int) -> tuple[list[Registration], int]:
        """The approval requests this person may decide (never their own)."""

        def read(conn):
            mine = approvers.scope(conn, approver_id, self.settings)
            if mine.empty:
                return [], 0
            return repo.pending_requests(conn, None if mine.national else mine.administrations,
                                         approver_id, limit, offset)

        return await self.db.read(read)

    async def interest_counts(self, user_id: int):
        def read(conn):
            mine = approvers.scope(conn, user_id, self.settings)
            if mine.national:
                return repo.interest_counts(conn, None)
            return repo.interest_counts(conn, mine.administrations[0]) if mine.administrations else None

        return await self.db.read(read)

    # --- time passing --------------------------------------------------------------------------
    async def expire_due(self) -> int:
        """Lapse offers and approval requests whose time is up; pass seats down the waitlist."""
        now = self.clock.now()

        def tx(conn):
            # Reserved places whose release date has come are offered like freed places.
            for session_id in quotas.due_releases(conn, now):
                self.offer_next(conn, sessions_repo.get_session(conn, session_id), now)
            due = repo.due_expiries(conn, now)
            for reg in due:
                session = sessions_repo.get_session(conn, reg.session_id)
                if reg.status == "offered":
                    self._lapse(conn, reg, session, now)
                else:
                    lapsed = repo.set_status(conn, reg.id, "lapsed", now)
                    self._notify(conn, lapsed, "request_expired", now)
            return len(due)

        return await self._write(tx)

    async def session_published(self, session_id: int) -> int:
        """Tell the people interested in the training that a new session is open."""
        now = self.clock.now()

        def tx(conn):
            session = sessions_repo.get_session(conn, session_id)
            if session is None or session.status != "published":
                return 0
            sent = 0
            for user_id in repo.interested(conn, session.training_id):
                sent += outbox.enqueue(conn, user_id, "new_session", {"session": session_id},
                                       f"new_session:{session_id}:{user_id}", now)
            return sent

        return await self._write(tx)

    # --- rules ---------------------------------------------------------------------------------
    def _request_expiry(self, session: Session, now: datetime) -> datetime:
        lead = session.starts_at - timedelta(hours=self.settings.approval_lead_hours)
        candidates = [lead] + ([session.registration_deadline] if session.registration_deadline else [])
        expiry = min(candidates)
        return expiry if expiry > now else session.starts_at

    def _offer_expiry(self, session: Session, now: datetime) -> datetime:
        """The standard window, or half the time left when the session is close."""
        return min(now + timedelta(hours=self.settings.offer_hours), now + (session.starts_at - now) / 2)

    def offer_free_seats(self, conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
        """Seats were added (an import raised the capacity): offer them down the waitlist."""
        self.offer_next(conn, sessions_repo.existing_session(conn, session_id), now)

    def offer_next(self, conn: sqlite3.Connection, session: Session, now: datetime,
                    taken: int | None = None) -> int | None:
        """Free seats go to the first in line, one offer per seat. `taken`: the seats taken
        now, when the caller counted them; returns the seats taken after the offers."""
        if session.status != "published" or session.starts_at <= now:
            return taken
        if taken is None:
            taken = repo.taken(conn, session.id)
        if taken >= session.capacity:
            return taken
        held = quotas.holds(conn, session.id, now)
        line: list[tuple[int, str | None]]  # (registration, administration: unknown without holds)
        if held is None:
            line = [(r.id, None) for r in repo.first_waitlisted(conn, session.id,
                                                                session.capacity - taken)]
        else:  # places reserved for an administration go only to its officials, in line order
            line = quotas.waitlist(conn, session.id)
        for reg_id, administration in line:
            if taken >= session.capacity:
                break
            if held is not None:
                if not held.allows(taken, session.capacity, administration):
                    continue
                held.take(administration)
            offered = repo.set_status(conn, reg_id, "offered", now,
                                      expires_at=self._offer_expiry(session, now))
            self._notify(conn, offered, "offer", now)
            taken += 1
        # Seats still free after the session's own line: the cohort's line (whole or nothing).
        if taken < session.capacity and cohort_waitlist.promote(conn, self, session.id, now):
            taken = repo.taken(conn, session.id)
        return taken

    def _cancelled(self, conn: sqlite3.Connection, reg: Registration, now: datetime) -> Registration:
        """Cancel the person's place (its seat is passed on by the caller, once all are freed)."""
        cancelled = repo.set_status(conn, reg.id, "cancelled", now)
        if reg.status == "confirmed":
            self._notify(conn, cancelled, "cancelled", now)  # carries the METHOD:CANCEL calendar file
        return cancelled

    def _lapse(self, conn: sqlite3.Connection, reg: Registration, session: Session,
               now: datetime) -> str:
        """Lapse an offer and pass its seat on. Returns where the seat went ("passed" to the
        next in line, "free" again, or "closed" with the session), which the person is told:
        saying it went to someone when nobody was waiting would be false."""
        lapsed = repo.set_status(conn, reg.id, "lapsed", now)
        before = repo.taken(conn, session.id)
        after = self.offer_next(conn, session, now, before)
        if session.status != "published" or session.starts_at <= now:
            went = "closed"
        else:
            went = "passed" if after is not None and after > before else "free"
        self._notify(conn, lapsed, "offer_lapsed", now, payload={"place": went})
        return went

    def _ask_approvers(self, conn: sqlite3.Connection, reg: Registration, now: datetime) -> None:
        for approver in approvers.recipients(conn, reg, self.settings):
            outbox.enqueue(conn, approver, "approval_request", {"registration": reg.id},
                           f"approval_request:{reg.id}:{reg.version}:{approver}", now)

    def _notify(self, conn: sqlite3.Connection, reg: Registration, kind: str, now: datetime,
                session: Session | None = None, payload: dict | None = None) -> None:
        # The version makes the key unique per state change: a redelivered tap re-runs nothing
        # (the state check stops it), while a later re-registration gets its own message.
        message = (reg.user_id, kind, {"registration": reg.id, **(payload or {})},
                   f"{kind}:{reg.id}:{reg.version}", now, True)
        ahead = []
        if kind == "confirmed":
            # The session as read earlier in this transaction, when the caller has it.
            session = session or sessions_repo.existing_session(conn, reg.session_id)
            # A session in parts: each part's event and reminders instead of the session's.
            ahead = (part_notices.on_confirmation(conn, reg.id, reg.user_id, reg.session_id, now,
                                                  self.settings, reg.version)
                     or reminders.due(reg, session, now, self.settings))
            ahead = [*ahead, *test_taking.day_before(conn, reg, session, now)]
        elif kind == "cancelled":
            ahead = part_notices.on_cancellation(conn, reg.id, reg.user_id, reg.session_id, now,
                                                 reg.version)
        outbox.enqueue_many(conn, [message, *ahead], now)  # with its reminders: one statement
