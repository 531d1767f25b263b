"""The trainer's roster of one part of a session: each person's mark for that part and where
they stand by the training's rule (attended, partial, absent, pending) with the hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services.session_parts import Presence, presence
from bot.storage import attendance as attendance_repo
from bot.storage import catalogue as sessions_repo
from bot.storage import parts as repo
from bot.storage.catalogue import Session
from bot.storage.db import Database
from bot.storage.parts import Part, with_parts
from bot.timeutil import Clock

PAGE = 8


@dataclass(frozen=True)
class PartLine:
    registration_id: int
    full_name: str
    mark: str | None  # this part's mark
    presence: Presence


@dataclass(frozen=True)
class PartRoster:
    session: Session  # with its parts
    part: Part
    lines: list[PartLine]
    page: int
    pages: int
    editable: bool
    opens_at: datetime


async def part_roster(db: Database, clock: Clock, settings: Settings, session_id: int,
                      part_id: int, page: int) -> PartRoster | None:
    """None when the part is not one of the session's."""
    now = clock.now()

    def read(conn):
        session = with_parts(conn, sessions_repo.get_session(conn, session_id))
        part = next((p for p in (session.parts if session else ()) if p.id == part_id), None)
        if part is None:
            return None
        lines, total = attendance_repo.roster(conn, session_id, page * PAGE, PAGE)
        pages = max(1, -(-total // PAGE))
        share = repo.min_share(conn, session.training_id)
        out = []
        for line in lines:
            marks = repo.marks(conn, line.registration_id)
            out.append(PartLine(line.registration_id, line.full_name, marks.get(part.id),
                                presence(list(session.parts), marks, share)))
        opens = part.starts_at - timedelta(minutes=settings.checkin_opens_minutes)
        closes = session.ends_at + timedelta(days=settings.attendance_edit_days)
        editable = session.status == "published" and opens <= now <= closes
        return PartRoster(session, part, out, min(page, pages - 1), pages, editable, opens)

    return await db.read(read)
