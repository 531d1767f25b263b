"""Changing or cancelling a published session: everyone concerned is told (with an updated or
cancelling calendar file) and reminders follow the new time — all in one transaction."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import cohort_waitlist, field_edit, part_notices, reminders
from bot.services.catalogue import edit_sessions
from bot.services.links import valid_link
from bot.services.outcomes import CapacityChange, FieldChange, SessionChange
from bot.storage import audit, outbox, quotas
from bot.storage import catalogue as repo
from bot.storage import parts as parts_repo
from bot.storage import registrations as regs
from bot.storage.db import Database
from bot.timeutil import Clock, to_db

CONCERNED = ("confirmed", "offered", "requested", "waitlisted")


@dataclass(frozen=True)
class Change:
    outcome: SessionChange
    told: int = 0
    refusal: str | None = None  # not_found cancelled started bad_times in_parts, a FieldRefusal


class SessionAdmin:
    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 on_change: Callable[[], None] = lambda: None,
                 offer_seats: Callable[[sqlite3.Connection, int, datetime], None] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.on_change = on_change
        self.offer_seats = offer_seats  # new places go down the waitlist

    async def reschedule(self, session_id: int, *, actor_id: int | None = None,
                         starts_at: datetime | None = None,
                         ends_at: datetime | None = None, place_fr: str | None = None,
                         place_ar: str | None = None, online_url: str | None = None) -> Change:
        """Move a session or change its place; participants and waitlisted people are told."""
        now = self.clock.now()
        online_url = valid_link(online_url) if online_url else online_url  # flows check it first

        def tx(conn: sqlite3.Connection) -> Change:
            s = repo.get_session(conn, session_id)
            refusal = repo.closed(s, now, deadline=False)
            if refusal:
                return Change(SessionChange.REFUSED, refusal=refusal)
            assert s is not None  # closed() refuses a session that does not exist
            start = starts_at or s.starts_at
            end = ends_at or (start + (s.ends_at - s.starts_at))
            if end <= start or start <= now:
                return Change(SessionChange.REFUSED, refusal="bad_times")
            if (start, end) != (s.starts_at, s.ends_at) and parts_repo.explicit(conn, session_id):
                return Change(SessionChange.REFUSED, refusal="in_parts")  # its parts set its times
            new = (start, end, place_fr if place_fr is not None else s.place_fr,
                   place_ar if place_ar is not None else s.place_ar,
                   online_url if online_url is not None else s.online_url)
            if new == (s.starts_at, s.ends_at, s.place_fr, s.place_ar, s.online_url):
                return Change(SessionChange.UNCHANGED)
            conn.execute(
                "UPDATE sessions SET starts_at = ?, ends_at = ?, place_fr = ?, place_ar = ?,"
                " online_url = ?, updated_at = ? WHERE id = ?",
                (to_db(start), to_db(end), new[2], new[3], new[4] or None, to_db(now), session_id))
            told = self.tell_change(conn, s, now)
            audit.record(conn, actor_id, "session_changed", f"session:{session_id}", now,
                         starts_at=to_db(start), place=new[2])
            return Change(SessionChange.CHANGED, told)

        return await self._write(tx)

    async def edit(self, actor_id: int | None, session_id: int, field: str, value) -> Change:
        """Change one field (bot/services/field_edit.SESSION_FIELDS). A new place or link is
        news for everyone concerned, told as a move is; the others (deadline, approval,
        language, region) are not."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Change:
            outcome, refusal, before = field_edit.write_session_field(conn, session_id, field, value,
                                                                      actor_id, now)
            if outcome is FieldChange.REFUSED:
                return Change(SessionChange.REFUSED, refusal=refusal)
            if outcome is FieldChange.UNCHANGED:
                return Change(SessionChange.UNCHANGED)
            assert before is not None  # a session that does not exist is refused
            return Change(SessionChange.CHANGED, self.tell_change(conn, before, now))

        return await self._write(tx)

    async def edit_training_text(self, actor_id: int | None, training_id: int, field: str,
                                 text: str) -> FieldChange:
        """Change a training's title or description (refused: the training is gone)."""
        now = self.clock.now()
        return await self._write(lambda conn: field_edit.write_training_text(
            conn, training_id, field, text, actor_id, now))

    async def create(self, actor_id: int | None, *, training_id: int, starts_at: datetime,
                     ends_at: datetime, place_fr: str, place_ar: str, region_code: str | None,
                     online_url: str | None, capacity: int, needs_approval: bool,
                     language: str = "fr",
                     then: Callable[[sqlite3.Connection, int, datetime], None] | None = None,
                     ) -> tuple[int, int]:
        """Publish a new session; the people interested in its training hear first. `then`
        completes it in the same transaction (links to plan lines, reserved places): raising
        there creates nothing."""
        now = self.clock.now()
        online_url = valid_link(online_url) if online_url else None  # the flow checks it first

        def tx(conn: sqlite3.Connection) -> tuple[int, int]:
            code = conn.execute("SELECT code FROM trainings WHERE id = ?", (training_id,)).fetchone()[0]
            count = conn.execute("SELECT COUNT(*) FROM sessions WHERE training_id = ?",
                                 (training_id,)).fetchone()[0]
            reference = f"{code}-{now.strftime('%y%m%d')}-{count + 1}"
            sid = repo.upsert_session(conn, reference=reference, training_id=training_id,
                                      starts_at=starts_at, ends_at=ends_at, place_fr=place_fr,
                                      place_ar=place_ar, region_code=region_code, online_url=online_url,
                                      capacity=capacity, needs_approval=needs_approval,
                                      language=language, now=now)
            told = 0
            for user_id in regs.interested(conn, training_id):
                told += outbox.enqueue(conn, user_id, "new_session", {"session": sid},
                                       f"new_session:{sid}:{user_id}", now)
            audit.record(conn, actor_id, "session_created", f"session:{sid}", now, reference=reference)
            if then is not None:
                then(conn, sid, now)
            return sid, told

        return await self._write(tx)

    async def assign_trainer(self, actor_id: int | None, session_id: int, trainer_id: int) -> bool:
        """Make someone holding the trainer role the trainer of a session; they are told."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> bool:
            is_trainer = conn.execute("SELECT 1 FROM roles WHERE user_id = ? AND role = 'trainer'",
                                      (trainer_id,)).fetchone()
            s = repo.get_session(conn, session_id)
            if not is_trainer or s is None:
                return False
            conn.execute("UPDATE sessions SET trainer_id = ?, updated_at = ? WHERE id = ?",
                         (trainer_id, to_db(now), session_id))
            tell_trainers(conn, session_id, s.trainer_id, now)
            audit.record(conn, actor_id, "trainer_assigned", f"session:{session_id}", now,
                         trainer=trainer_id, before=s.trainer_id)
            return True

        return await self._write(tx)

    async def set_capacity(self, actor_id: int | None, session_id: int, capacity: int) -> CapacityChange:
        """changed | below (fewer than the places taken) | below_reserved (fewer than the places
        still reserved for administrations: held beyond the capacity, they would turn their own
        officials away) | gone. New places are offered at once."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> CapacityChange:
            s = repo.get_session(conn, session_id)
            if s is None or repo.closed(s, now, deadline=False):
                return CapacityChange.GONE
            if capacity < s.taken:
                return CapacityChange.BELOW
            if capacity < quotas.standing_elsewhere(conn, session_id, "", now):
                return CapacityChange.BELOW_RESERVED
            conn.execute("UPDATE sessions SET capacity = ?, updated_at = ? WHERE id = ?",
                         (capacity, to_db(now), session_id))
            if capacity > s.capacity and self.offer_seats is not None:
                self.offer_seats(conn, session_id, now)
            audit.record(conn, actor_id, "capacity_changed", f"session:{session_id}", now,
                         before=s.capacity, after=capacity)
            return CapacityChange.CHANGED

        return await self._write(tx)

    async def cancel(self, session_id: int, actor_id: int | None = None, reason: str = "") -> Change:
        """Cancel a session: every registration ends and its person is told why, and so is
        the trainer."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Change:
            s = repo.get_session(conn, session_id)
            refusal = repo.closed(s, now, deadline=False)
            if refusal:
                return Change(SessionChange.REFUSED, refusal=refusal)
            assert s is not None  # closed() refuses a session that does not exist
            conn.execute("UPDATE sessions SET status = 'cancelled', cancel_reason = ?, updated_at = ?"
                         " WHERE id = ?", (reason or None, to_db(now), session_id))
            told = 0
            for reg in _concerned(conn, session_id):
                was = reg.status
                conn.execute("UPDATE registrations SET ics_sequence = ics_sequence + 1 WHERE id = ?",
                             (reg.id,))
                reg = regs.set_status(conn, reg.id, "cancelled", now, reason="session_cancelled")
                if was == "confirmed":  # a session in parts: each part leaves their calendar
                    outbox.enqueue_many(conn, part_notices.on_cancellation(
                        conn, reg.id, reg.user_id, session_id, now, reg.version), now)
                told += outbox.enqueue(
                    conn, reg.user_id, "session_cancelled",
                    {"registration": reg.id, "had_place": was == "confirmed", "reason": reason},
                    f"session_cancelled:{reg.id}", now, urgent=_soon(s.starts_at, now))
            cohort_waitlist.session_cancelled(conn, session_id, now)  # after its places ended
            if s.trainer_id is not None:
                outbox.enqueue(conn, s.trainer_id, "trainer_session_cancelled",
                               {"session": session_id, "reason": reason},
                               f"trainer_session_cancelled:{session_id}", now,
                               urgent=_soon(s.starts_at, now))
            audit.record(conn, actor_id, "session_cancelled", f"session:{session_id}", now, told=told,
                         reason=reason)
            return Change(SessionChange.CANCELLED, told)

        return await self._write(tx)

    def tell_change(self, conn: sqlite3.Connection, before, now: datetime) -> int:
        """After a session's time or place changed (in the chat or by an import): tell everyone
        concerned, with a new calendar SEQUENCE, and move their reminders. Inside the caller's
        transaction; returns how many people are told (0 if nothing that matters changed)."""
        changed = repo.existing_session(conn, before.id)
        keys = ("starts_at", "ends_at", "place_fr", "place_ar", "online_url")
        if all(getattr(changed, k) == getattr(before, k) for k in keys):
            return 0
        # What it was, so that the notice can say old → new whenever it is rendered.
        was = {k: to_db(getattr(before, k)) if k.endswith("_at") else getattr(before, k) for k in keys}
        # A trainer new to the session (an import can change both) hears of it from
        # tell_trainers, with the new time in it: one notice, not two.
        if changed.trainer_id is not None and changed.trainer_id == before.trainer_id:
            outbox.enqueue(conn, changed.trainer_id, "trainer_session_changed",
                           {"session": before.id, "before": was},
                           f"trainer_session_changed:{before.id}:{to_db(now)}:{_digest(changed, keys)}",
                           now,
                           urgent=_soon(min(changed.starts_at, before.starts_at), now))
        told = 0
        for reg in _concerned(conn, before.id):
            # A new SEQUENCE makes calendar apps replace the event instead of adding one.
            conn.execute("UPDATE registrations SET ics_sequence = ics_sequence + 1 WHERE id = ?",
                         (reg.id,))
            reg = regs.existing(conn, reg.id)
            told += outbox.enqueue(
                conn, reg.user_id, "session_changed", {"registration": reg.id, "before": was},
                f"session_changed:{reg.id}:{reg.ics_sequence}", now,
                urgent=_soon(changed.starts_at, now))
            if reg.status == "confirmed":
                reminders.schedule(conn, reg, changed, now, self.settings)
        return told

    async def _write(self, tx):
        return await edit_sessions(self.db, self.on_change, tx)


def tell_trainers(conn: sqlite3.Connection, session_id: int, before: int | None,
                  now: datetime) -> None:
    """After a session's trainer may have changed (Manage this session, or an import): the new
    trainer is told they run it, the old one that they no longer do. Inside the caller's
    transaction; nothing is queued when the trainer is the same."""
    s = repo.get_session(conn, session_id)
    if s is None or s.trainer_id == before:
        return
    stamp = to_db(now)  # each hand-over is news of its own, even back and forth
    if s.trainer_id is not None:
        outbox.enqueue(conn, s.trainer_id, "trainer_assigned", {"session": session_id},
                       f"trainer_assigned:{session_id}:{s.trainer_id}:{stamp}", now)
    if before is not None:  # the one who no longer runs it must not turn up
        outbox.enqueue(conn, before, "trainer_unassigned", {"session": session_id},
                       f"trainer_unassigned:{session_id}:{before}:{stamp}", now,
                       urgent=_soon(s.starts_at, now))


def _soon(starts_at: datetime, now: datetime) -> bool:
    """News about a session of the next day cannot wait for the morning."""
    return starts_at - now < timedelta(hours=24)


def _digest(s, keys) -> str:
    """A short fingerprint of a session's new time and place (two changes in one instant differ)."""
    return hashlib.sha1(repr([getattr(s, k) for k in keys]).encode()).hexdigest()[:12]


def _concerned(conn: sqlite3.Connection, session_id: int):
    rows = conn.execute(
        f"SELECT id FROM registrations WHERE session_id = ? AND status IN {CONCERNED}",
        (session_id,)).fetchall()
    return [regs.get(conn, r[0]) for r in rows]
