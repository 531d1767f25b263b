"""The choices the plan screens offer (a theme's trainings, the sessions a line may serve),
read with the same access rules as the plans themselves (bot/services/plans.py)."""

from __future__ import annotations

import sqlite3

from bot.services.access import Access
from bot.services.outcomes import PlanRefusal
from bot.services.periods import years
from bot.services.plans import PlanError, PlanService
from bot.storage import plan_choices as repo
from bot.storage import plans as plans_repo

MAX_CHOICES = 12


async def theme_trainings(service: PlanService, theme: str) -> list[sqlite3.Row]:
    return await service.db.read(repo.theme_trainings, theme, MAX_CHOICES)


async def line_sessions(service: PlanService, access: Access, line_id: int) -> list[sqlite3.Row]:
    """The sessions of the line's training or theme within its plan's years (linked first)."""
    def read(conn: sqlite3.Connection) -> list[sqlite3.Row]:
        line = plans_repo.line(conn, line_id)
        if line is None:
            raise PlanError(PlanRefusal.NOT_FOUND)
        version = service._version(conn, access, line["version_id"])
        start, end = years(version["start_year"], version["end_year"]).bounds()
        return repo.line_sessions(conn, line_id, start, end, MAX_CHOICES)

    return await service.db.read(read)


async def line(service: PlanService, access: Access, line_id: int) -> sqlite3.Row:
    """A line, if this person may see its plan."""
    def read(conn: sqlite3.Connection) -> sqlite3.Row:
        found = service._line(conn, line_id)
        service._version(conn, access, found["version_id"])
        return found

    return await service.db.read(read)
