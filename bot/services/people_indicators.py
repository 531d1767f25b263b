"""Indicators that count people, not rows (issue 16): distinct people trained, women among
them, person-hours, by a dimension of the person or of the session, over a semester or a custom
range (bot/services/periods.py). SQL and the definitions: bot/storage/people_indicators.py.

Erased people keep counting through their tombstone, which keeps sex, administration, level and
region but not the position: they count under the unknown position (key None)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.periods import Period
from bot.storage import people_indicators as repo
from bot.storage.db import Database

DIMENSIONS = tuple(d for d in repo.DIMENSIONS if d != "total")


@dataclass(frozen=True)
class PeopleFigures:
    key: object  # the group's code (None: unknown); '' for the total
    people: int  # distinct people who attended at least one session
    women: int  # of whom women
    hours: float  # person-hours attended
    attendances: int  # attended registrations (a person attending three sessions: 3)

    @classmethod
    def of(cls, row) -> PeopleFigures:
        return cls(row["k"], row["people"], row["women"], round(row["hours"], 2), row["attendances"])


class PeopleIndicatorsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def breakdown(self, period: Period, dimension: str,
                        administration: str | None = None) -> list[PeopleFigures]:
        """One row per group, most people first. Groups by a session's dimension (theme, track,
        modality, training) may share people: their people do not add up to the total."""
        if dimension not in repo.DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
        start, end = period.bounds()
        rows = await self.db.read_heavy(repo.breakdown, start, end, dimension, administration)
        return [PeopleFigures.of(r) for r in rows]

    async def total(self, period: Period, administration: str | None = None) -> PeopleFigures:
        rows = await self.breakdown(period, "total", administration)
        return rows[0] if rows else PeopleFigures("", 0, 0, 0.0, 0)
