"""A cohort's waitlist (issue 17): who may be booked on every session of a cohort, promoting the
first in line when seats free up, and leaving a booked cohort whole.

One rule decides whether a person can have a cohort (`fit`): for booking by tap
(bot/services/paths.py) and for promotion alike, each session they do not already hold must
have a seat free for them by the seat rule of a single registration (`quotas.seat_for`: nobody
waiting for that session alone is passed over). Promotion runs inside the transaction that
freed the seats — `RegistrationService.offer_next`, the one place freed or added seats go down a
line (a cancellation, a declined or lapsed offer, a raised capacity, a released quota, an
erasure) — after the session's own waitlist has had its offers. A promoted person is booked
directly on every session, as they asked when they joined the cohort's waitlist: an offer per
session would let one part be accepted and the others lapse, which a cohort must never be.
Their confirmations, calendar files and reminders are queued by `confirm_seat`, as for a tap.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.storage import catalogue as sessions_repo
from bot.storage import outbox, quotas
from bot.storage import paths as repo
from bot.storage import registrations as regs_repo
from bot.storage.catalogue import Session
from bot.storage.registrations import Registration


class SeatGiver(Protocol):
    def confirm_seat(self, conn: sqlite3.Connection, session: Session, user_id: int,
                     now: datetime) -> Registration: ...


@dataclass(frozen=True)
class Fit:
    """Whether the person can have the cohort now: `refusal` when nobody can (not_found
    cancelled started closed needs_approval); else the sessions where they need a seat and
    whether each has one free for them."""

    refusal: str | None = None
    need: tuple[Session, ...] = ()
    free: bool = False


def fit(conn: sqlite3.Connection, cohort_id: int, user_id: int, now: datetime) -> Fit:
    need = []
    free = True
    for sid in repo.cohort_sessions(conn, cohort_id).values():
        session = sessions_repo.existing_session(conn, sid)
        refusal = sessions_repo.closed(session, now) or (
            "needs_approval" if session.needs_approval else None)
        if refusal:
            return Fit(refusal)
        waiting, mine, _ = regs_repo.queue_and_mine(conn, session.id, user_id)
        if mine is not None and mine.status in regs_repo.SEAT:
            continue  # already holds this seat (registered on their own)
        waiting -= mine is not None and mine.status == "waitlisted"
        need.append(session)
        free = free and quotas.seat_for(conn, session.id, session.capacity, session.taken,
                                        waiting, user_id, now).free
    return Fit(None, tuple(need), free)


def book(conn: sqlite3.Connection, seats: SeatGiver, cohort_id: int, user_id: int, found: Fit,
         now: datetime) -> list[int]:
    """Take every seat `found` says is free, and mark the person booked (same transaction)."""
    regs = [seats.confirm_seat(conn, session, user_id, now).id for session in found.need]
    repo.set_member(conn, cohort_id, user_id, "booked", now)
    return regs


def promote(conn: sqlite3.Connection, seats: SeatGiver, session_id: int, now: datetime) -> list[int]:
    """Seats of `session_id` are free: book, in line order, every person waiting for its
    cohort who now fits whole (each is told first, then gets their confirmations)."""
    cohort_id = repo.cohort_of_session(conn, session_id)
    if cohort_id is None:
        return []
    promoted = []
    for user_id, seq in repo.waitlisted(conn, cohort_id):
        found = fit(conn, cohort_id, user_id, now)
        if found.refusal:
            break  # the cohort takes nobody any more
        if not found.free:
            continue  # a seat they need is not free for them (a place reserved, say)
        outbox.enqueue(conn, user_id, "cohort_promoted", about(conn, cohort_id, len(found.need)),
                       f"cohort_promoted:{cohort_id}:{user_id}:{seq}", now)
        book(conn, seats, cohort_id, user_id, found, now)
        promoted.append(user_id)
    return promoted


def leave(conn: sqlite3.Connection, user_id: int, session_id: int, now: datetime,
          deadline: timedelta) -> list[tuple[Registration, Session]]:
    """The person cancelled their place in `session_id`: if it belongs to a cohort they booked,
    the whole booking ends. Returns their other places in the cohort still theirs to cancel
    (before each session's cancellation deadline) for the caller to cancel; the ones already
    attended, or too close to cancel, stay. The person is told once, here."""
    cohort_id = booked_with(conn, user_id, session_id)
    if cohort_id is None:
        return []
    repo.set_member(conn, cohort_id, user_id, "cancelled", now)
    others = []
    for sid in repo.cohort_sessions(conn, cohort_id).values():
        mine = regs_repo.of(conn, user_id, sid) if sid != session_id else None
        if mine is None or mine.status not in regs_repo.ACTIVE:
            continue
        session = sessions_repo.existing_session(conn, sid)
        if now < session.starts_at - deadline:
            others.append((mine, session))
    outbox.enqueue(conn, user_id, "cohort_cancelled", about(conn, cohort_id, len(others)),
                   f"cohort_cancelled:{cohort_id}:{user_id}:{repo.member_seq(conn, cohort_id, user_id)}",
                   now)
    return others


def session_cancelled(conn: sqlite3.Connection, session_id: int, now: datetime) -> int:
    """The organisers cancelled `session_id`: its cohort can no longer be followed whole, so
    it ends for everyone who held or waited for it (same transaction), and each is told. A
    booked member keeps their places in the cohort's other sessions — they did not ask to
    leave them, those sessions still take place, and the cancelled module can be taken in
    another session — as places of their own (cancelling one no longer ends anything else).
    Someone waiting leaves the cohort's waitlist (it would never move again). Returns how
    many people are told."""
    cohort_id = repo.cohort_of_session(conn, session_id)
    if cohort_id is None:
        return 0
    told = 0
    others = [sid for sid in repo.cohort_sessions(conn, cohort_id).values() if sid != session_id]
    for user_id, was in repo.members(conn, cohort_id):
        places = [regs_repo.of(conn, user_id, sid) for sid in others]
        kept = sum(1 for mine in places if mine is not None and mine.status in regs_repo.ACTIVE)
        seq = repo.member_seq(conn, cohort_id, user_id)
        repo.set_member(conn, cohort_id, user_id, "cancelled", now)
        told += outbox.enqueue(conn, user_id, "cohort_broken",
                               {**about(conn, cohort_id, kept), "was": was, "session": session_id},
                               f"cohort_broken:{cohort_id}:{user_id}:{seq}", now)
    return told


def booked_with(conn: sqlite3.Connection, user_id: int, session_id: int) -> int | None:
    """The cohort the person booked whole that `session_id` belongs to, if any."""
    cohort_id = repo.cohort_of_session(conn, session_id)
    if cohort_id is None or repo.membership(conn, cohort_id, user_id) != "booked":
        return None
    return cohort_id


def about(conn: sqlite3.Connection, cohort_id: int, sessions: int) -> dict:
    """What the person's message names: the cohort's code and path, and how many sessions."""
    row = repo.cohort_and_path(conn, cohort_id)
    return {"cohort": cohort_id, "code": row["code"], "title_fr": row["title_fr"],
            "title_ar": row["title_ar"], "sessions": sessions}
