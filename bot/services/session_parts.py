"""Sessions in parts (days or half-days): their times, places or links and trainers, the
attendance taken per part, and one calendar event per part (issue 17, DESIGN 5.7).

A session without explicit parts is one implicit part spanning it (nothing to backfill: every
existing path that creates or edits sessions keeps working). Once a part is added, the parts
define the session: its starts_at/ends_at are kept equal to the first part's start and the last
part's end, in the transaction that changes a part.

Attended or partial — how it maps onto registrations.status. Adding a 'partial' status would
have to be taught to every CHECK, trigger, indicator cell, evaluation and attestation rule that
reads 'attended'/'absent'. Instead the status keeps its meaning — 'attended' when the person
attended by the training's rule (the share of the session's time present or late reaches
`trainings.min_presence_share`, 1.0 by default), 'absent' otherwise once every part is marked,
'confirmed' while parts remain unmarked and the rule is not yet met — and the registration's
`hours_attended` column holds the hours actually attended, which the reporting facts carry
(trigger in schema_parts) for the indicators that count hours. *Partial* is then what a
service reports: every part marked, below the share, some hours attended. Excused parts count
as absent for the share and are reported apart.

Whole-session marks (the roster of bot/services/attendance.py) stay the way single-part
sessions are marked; they leave `hours_attended` alone, and hours then follow the status."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import calendar, evaluation_rules, part_notices
from bot.services.attendance import mark as mark_whole
from bot.services.catalogue import edit_sessions
from bot.services.links import valid_link
from bot.services.outcomes import PartMarking, PartRemoval
from bot.storage import attendance as attendance_repo
from bot.storage import catalogue as sessions_repo
from bot.storage import parts as repo
from bot.storage import registrations as regs_repo
from bot.storage.db import Database
from bot.storage.parts import Part
from bot.timeutil import Clock

_EDITABLE = ("starts_at", "ends_at", "place_fr", "place_ar", "online_url", "trainer_id")


@dataclass(frozen=True)
class Presence:
    """A registration's attendance by its parts."""

    outcome: str  # attended partial absent pending
    hours_attended: float
    hours_total: float
    share: float
    excused: int  # parts excused (counted absent for the share, reported apart)
    unmarked: int


@dataclass(frozen=True)
class PartsChange:
    part: Part
    parts_changed: list[int] = field(default_factory=list)  # ids whose calendar events changed


@dataclass(frozen=True)
class PartEvent:
    part_id: int
    uid: str
    sequence: int
    ics: bytes


def presence(parts: list[Part], marks: dict, min_share: float) -> Presence:
    """The rule, on the parts and the marks keyed by part id."""
    total = sum(p.hours for p in parts)
    attended = sum(p.hours for p in parts if marks.get(p.id) in repo.PRESENT)
    share = attended / total if total else 0.0
    unmarked = sum(1 for p in parts if p.id not in marks)
    excused = sum(1 for p in parts if marks.get(p.id) == "excused")
    if share >= min_share - 1e-9:
        outcome = "attended"
    elif unmarked:
        outcome = "pending"
    else:
        outcome = "partial" if attended > 0 else "absent"
    return Presence(outcome, round(attended, 2), round(total, 2), share, excused, unmarked)


# The registration status each outcome stores (see the module docstring).
STATUS = {"attended": "attended", "partial": "absent", "absent": "absent", "pending": "confirmed"}


def _checked(fields: dict) -> dict:
    if fields.get("online_url"):
        fields["online_url"] = valid_link(fields["online_url"])
    else:
        fields["online_url"] = None
    if not (fields.get("place_fr") or fields.get("place_ar") or fields["online_url"]):
        raise ValueError("a part needs a place or an online link")
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValueError("a part must end after it starts")
    return fields


def mark_part(conn: sqlite3.Connection, registration_id: int, part_id: int, status: str,
              marked_by: int | None, now: datetime,
              settings: Settings) -> tuple[PartMarking, Presence | None]:
    """One part's mark and the registration's status and hours by the rule, in the caller's
    transaction (the trainer's roster and the check-in scan share it)."""
    reg = regs_repo.get(conn, registration_id)
    part = repo.get(conn, part_id)
    if (reg is None or part is None or part.session_id != reg.session_id
            or reg.status not in attendance_repo.ROSTER_STATES):
        return PartMarking.NOT_FOUND, None
    session = sessions_repo.existing_session(conn, reg.session_id)
    opens = part.starts_at - timedelta(minutes=settings.checkin_opens_minutes)
    closes = session.ends_at + timedelta(days=settings.attendance_edit_days)
    if session.status != "published" or not opens <= now <= closes:
        return PartMarking.CLOSED, None
    repo.set_mark(conn, reg.id, part_id, status, marked_by, now)  # part.id: read by part_id
    result = presence(repo.of_session(conn, session), repo.marks(conn, reg.id),
                      repo.min_share(conn, session.training_id))
    wanted = STATUS[result.outcome]
    if wanted == "confirmed":
        if reg.status != "confirmed":  # back to undecided: no evaluation on the way
            regs_repo.set_status(conn, reg.id, "confirmed", now)
            evaluation_rules.unschedule(conn, reg.id)
    else:
        mark_whole(conn, reg, wanted, session, now, settings)
    repo.set_hours(conn, reg.id, result.hours_attended)
    return PartMarking.OK, result


class PartsService:
    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        # A part's change may move its session's start or end: whoever caches session
        # descriptions (the catalogue's `changed`) must read them afresh.
        self.on_change = on_change

    async def parts(self, session_id: int) -> list[Part]:
        def read(conn):
            session = sessions_repo.get_session(conn, session_id)
            return [] if session is None else repo.of_session(conn, session)

        return await self.db.read(read)

    async def part(self, part_id: int) -> Part | None:
        return await self.db.read(repo.get, part_id)

    async def add_part(self, session_id: int, starts_at: datetime, ends_at: datetime, *,
                       place_fr: str = "", place_ar: str = "", online_url: str | None = None,
                       trainer_id: int | None = None, keep_session: bool = False) -> Part:
        """Add a part (ValueError on a bad link, no place, or an end before the start).
        `keep_session`: a session still in one piece first becomes its own first part, so
        adding a second day does not shrink it to that day (the chat's "Add a part")."""
        f = _checked(dict(starts_at=starts_at, ends_at=ends_at, place_fr=place_fr.strip(),
                          place_ar=place_ar.strip(), online_url=online_url, trainer_id=trainer_id))
        now = self.clock.now()

        def tx(conn):
            first = not repo.explicit(conn, session_id)
            if first:
                part_notices.tell_split(conn, session_id, now)
            if keep_session and first:
                whole = sessions_repo.get_session(conn, session_id)
                first = repo.insert(conn, session_id, whole.starts_at, whole.ends_at, whole.place_fr,
                                    whole.place_ar, whole.online_url, whole.trainer_id, now)
                part_notices.tell_part(conn, repo.get(conn, first), "REQUEST", "new", now, self.settings)
            part_id = repo.insert(conn, session_id, f["starts_at"], f["ends_at"], f["place_fr"],
                                  f["place_ar"], f["online_url"], f["trainer_id"], now)
            repo.sync_span(conn, session_id, now)
            part = repo.get(conn, part_id)
            part_notices.tell_part(conn, part, "REQUEST", "new", now, self.settings)
            return part

        return await edit_sessions(self.db, self.on_change, tx)

    async def change_part(self, part_id: int, **changes) -> PartsChange | None:
        """Move a part or change its place, link or trainer. Only this part's calendar event
        changes (its SEQUENCE goes up); `parts_changed` names it, empty when nothing changed.
        None when the part does not exist."""
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise TypeError(f"not a part field: {sorted(unknown)}")
        now = self.clock.now()

        def tx(conn):
            part = repo.get(conn, part_id)
            if part is None:
                return None
            wanted = replace(part, **_checked({**{k: getattr(part, k) for k in _EDITABLE}, **changes}))
            if wanted == part:
                return PartsChange(part, [])
            repo.update(conn, wanted, now)
            repo.sync_span(conn, part.session_id, now)
            changed = repo.get(conn, part_id)
            # Only this part's event goes out again, to the people with a place.
            part_notices.tell_part(conn, changed, "REQUEST", "moved", now, self.settings)
            return PartsChange(changed, [part_id])

        return await edit_sessions(self.db, self.on_change, tx)

    async def remove_part(self, part_id: int) -> PartRemoval:
        """Remove a part: removed, not_found, marked (attendance was taken for it) or last (a
        session keeps at least one explicit part once it has some). Its event is cancelled in
        the calendars of the people with a place."""
        now = self.clock.now()

        def tx(conn):
            part = repo.get(conn, part_id)
            if part is None:
                return PartRemoval.NOT_FOUND
            if repo.has_marks(conn, part_id):
                return PartRemoval.MARKED
            if len(repo.explicit(conn, part.session_id)) < 2:
                return PartRemoval.LAST
            repo.delete(conn, part_id)
            repo.sync_span(conn, part.session_id, now)
            gone = replace(part, sequence=part.sequence + 1)
            part_notices.tell_part(conn, gone, "CANCEL", "removed", now, self.settings)
            return PartRemoval.REMOVED

        return await edit_sessions(self.db, self.on_change, tx)

    # --- attendance -------------------------------------------------------------------------------
    async def mark(self, registration_id: int, part_id: int, status: str,
                   marked_by: int | None = None) -> tuple[str, Presence | None]:
        """Mark one part present, absent, excused or late, and set the registration's status
        and hours by the rule. Returns (outcome, presence): ok, not_found, closed."""
        if status not in repo.MARKS:
            raise ValueError(f"not a part mark: {status!r}")
        now = self.clock.now()

        def tx(conn):
            return mark_part(conn, registration_id, part_id, status, marked_by, now, self.settings)

        return await self.db.write(tx)

    async def presence(self, registration_id: int) -> Presence | None:
        def read(conn):
            reg = regs_repo.get(conn, registration_id)
            if reg is None:
                return None
            session = sessions_repo.get_session(conn, reg.session_id)
            return presence(repo.of_session(conn, session), repo.marks(conn, reg.id),
                            repo.min_share(conn, session.training_id))

        return await self.db.read(read)

    # --- calendar ---------------------------------------------------------------------------------
    async def events(self, registration_id: int, language: str,
                     only: list[int] | None = None) -> list[PartEvent]:
        """One calendar file per explicit part of the registration's session (`only`: those
        parts, e.g. a change's `parts_changed`), in the person's language."""
        now = self.clock.now()
        return await self.db.read(self._events, registration_id, language, only, now)

    def _events(self, conn: sqlite3.Connection, registration_id: int, language: str,
                only: list[int] | None, now: datetime) -> list[PartEvent]:
        reg = regs_repo.get(conn, registration_id)
        if reg is None:
            return []
        session = sessions_repo.existing_session(conn, reg.session_id)
        title = session.title_ar if language == "ar" else session.title_fr
        out = []
        for part in repo.explicit(conn, session.id):
            assert part.id is not None  # explicit parts are rows of their own
            if only is not None and part.id not in only:
                continue
            place = (part.place_ar or part.place_fr) if language == "ar" else (part.place_fr or part.place_ar)
            ics = calendar.part_ics(registration_id=reg.id, part_id=part.id, sequence=part.sequence,
                                    method="REQUEST", title=title, starts_at=part.starts_at,
                                    ends_at=part.ends_at, location=place, url=part.online_url,
                                    description=session.reference, now=now)
            out.append(PartEvent(part.id, calendar.part_uid(reg.id, part.id), part.sequence, ics))
        return out
