"""Planned against achieved (DESIGN 5.6): each line's figures from attendance (rules in
bot/storage/plan_progress.py), its status against the share of its semester elapsed, and the
common plan (targets of every validated or active plan, beside demand).

Status of a line, from its people (the unit a plan is measured in): with `done` the share of
the target reached (at most 1) and `elapsed` the share of the semester gone by —
  reached   done = 1
  on_track  done ≥ elapsed − 0.10 (ten points of slack)
  behind    done ≥ elapsed / 2
  late      otherwise.
A plan's status is the same rule on its summed people over the plan's years.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import Enum

from bot.services.periods import semester, years
from bot.storage import plan_progress as repo
from bot.storage import plans as plans_repo
from bot.storage.db import Database
from bot.timeutil import Clock

SLACK = 0.10


class Progress(Enum):
    """A symbol (so colour is never the only sign) and a word key the UI localises."""

    REACHED = ("✅", "progress_reached")
    ON_TRACK = ("🟢", "progress_on_track")
    BEHIND = ("🟠", "progress_behind")
    LATE = ("🔴", "progress_late")

    @property
    def symbol(self) -> str:
        return self.value[0]

    @property
    def word(self) -> str:
        return self.value[1]


def progress(achieved: int, target: int, elapsed: float) -> Progress:
    done = min(1.0, achieved / target) if target > 0 else 1.0
    if done >= 1.0:
        return Progress.REACHED
    if done >= elapsed - SLACK:
        return Progress.ON_TRACK
    if done >= elapsed / 2:
        return Progress.BEHIND
    return Progress.LATE


@dataclass(frozen=True)
class LineProgress:
    line: sqlite3.Row
    sessions: int  # sessions counted (linked, or of its theme / training in its semester)
    people: int
    women: int
    hours: float
    elapsed: float  # share of the line's semester gone by
    status: Progress


@dataclass(frozen=True)
class PlanProgress:
    lines: list[LineProgress]
    target_people: int
    people: int  # summed over lines (one person trained on two lines counts on both)
    elapsed: float
    status: Progress


@dataclass(frozen=True)
class CommonRow:
    theme: str
    track: str
    plans: int
    lines: int
    people: int
    women: int
    hours: float
    demand: int  # distinct people on the interest lists of this theme and track


def _progress(conn: sqlite3.Connection, version_id: int, now) -> PlanProgress:
    version = plans_repo.version(conn, version_id)
    if version is None:
        raise LookupError(f"plan version {version_id} does not exist")
    out = []
    for line in plans_repo.lines(conn, version_id):
        period = semester(line["semester"])
        got = repo.achieved(conn, line, version["administration_code"], *period.bounds())
        elapsed = period.elapsed_share(now)
        out.append(LineProgress(line, got["sessions"], got["people"], got["women"],
                                round(got["hours"], 2), elapsed,
                                progress(got["people"], line["target_people"], elapsed)))
    target = sum(p.line["target_people"] for p in out)
    people = sum(min(p.people, p.line["target_people"]) for p in out)
    elapsed = years(version["start_year"], version["end_year"]).elapsed_share(now)
    return PlanProgress(out, target, sum(p.people for p in out), elapsed,
                        progress(people, target, elapsed))


class PlanProgressService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def of_version(self, version_id: int) -> PlanProgress:
        """Every line's planned and achieved figures. Access is checked by PlanService.version."""
        return await self.db.read_heavy(_progress, version_id, self.clock.now())

    async def common_plan(self, start_year: int | None = None,
                          end_year: int | None = None) -> list[CommonRow]:
        """Targets summed by theme and track, beside demand; themes with demand but no target
        appear too (a need no plan answers yet)."""
        def read(conn: sqlite3.Connection) -> list[CommonRow]:
            targets = {(r["theme"], r["track"]): r for r in repo.common_targets(conn, start_year, end_year)}
            wanted = {(r["theme"], r["track"]): r["people"] for r in repo.demand(conn)}
            rows = []
            for key in sorted(set(targets) | set(wanted)):
                t = targets.get(key)
                rows.append(CommonRow(key[0], key[1], t["plans"] if t else 0, t["lines"] if t else 0,
                                      t["people"] if t else 0, t["women"] if t else 0,
                                      t["hours"] if t else 0.0, wanted.get(key, 0)))
            return rows

        return await self.db.read_heavy(read)
