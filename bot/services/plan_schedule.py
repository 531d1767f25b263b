"""Scheduling a session from plan lines (issue 16): a national coordinator picks lines of one
theme (of one or several administrations), /newsession opens prefilled from them, and on
publishing the session is linked to those lines and places are reserved per administration —
in the session's own creation transaction, so a session never exists half scheduled.

Prefilled from the lines: the training (when the chosen lines name one), the region (when they
all name the same), and the capacity: the sum of the lines' remaining targets (target people
minus the people already trained on the line), capped. The places reserved per administration
are its lines' remaining targets, trimmed (in code order) so that together they fit the
capacity the coordinator chose."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.services import quotas
from bot.services.access import Access
from bot.services.outcomes import PlanRefusal
from bot.services.periods import semester
from bot.services.plans import PlanError
from bot.storage import audit
from bot.storage import plan_progress as progress_repo
from bot.storage import plan_schedule as repo
from bot.storage import plans as plans_repo
from bot.storage.db import Database
from bot.timeutil import Clock

SCHEDULABLE = ("validated", "active")
MAX_LINES = 12  # lines offered together (one screen of toggles)
RELEASE_BEFORE = timedelta(days=7)  # default release of the reserved places: a week before


@dataclass(frozen=True)
class Candidate:
    line_id: int
    administration: str
    training: int | None
    semester: str
    region: str | None
    remaining: int  # target people not trained yet


@dataclass(frozen=True)
class Proposal:
    lines: tuple[int, ...]
    theme: str
    training: int | None
    semester: str  # the earliest of the lines'
    region: str | None  # when every line names the same
    remaining: dict[str, int]  # per administration
    plans: tuple[int, ...] = ()  # the plan of each line

    @property
    def capacity(self) -> int:
        return min(sum(self.remaining.values()), quotas.MAX_PLACES)


def share(remaining: dict[str, int], capacity: int) -> dict[str, int]:
    """Places reserved per administration: its remaining targets, trimmed to fit the capacity."""
    out, left = {}, capacity
    for code in sorted(remaining):
        places = min(remaining[code], left)
        if places > 0:
            out[code] = places
            left -= places
    return out


def default_release(starts_at: datetime, now: datetime) -> datetime | None:
    """A week before the start, if that is still to come (None: held until registration closes)."""
    release = starts_at - RELEASE_BEFORE
    return release if release > now else None


def suggested_days(code: str) -> tuple[datetime, datetime]:
    """The semester's first and last instants, as a range to suggest for the dates."""
    period = semester(code)
    return period.start, period.end - timedelta(seconds=1)


def _candidate(conn: sqlite3.Connection, row: sqlite3.Row) -> Candidate:
    start, end = semester(row["semester"]).bounds()
    done = progress_repo.achieved(conn, row, row["administration_code"], start, end)["people"]
    return Candidate(row["id"], row["administration_code"], row["training_id"], row["semester"],
                     row["region_code"], max(0, row["target_people"] - done))


def _require_national(access: Access) -> None:
    if not (access.national or access.admin):
        raise PlanError(PlanRefusal.NOT_ALLOWED)


def _proposal(conn: sqlite3.Connection, line_ids: list[int]) -> Proposal:
    """What the chosen lines prefill; PlanError when they cannot share a session."""
    found = [repo.line(conn, i) for i in dict.fromkeys(line_ids)]
    if not found:
        raise PlanError(PlanRefusal.NO_LINE)
    rows = [r for r in found if r is not None]
    if len(rows) < len(found):
        raise PlanError(PlanRefusal.NOT_FOUND)
    if any(r["plan_status"] not in SCHEDULABLE for r in rows):
        raise PlanError(PlanRefusal.NOT_SCHEDULABLE)
    if len({r["theme"] for r in rows}) > 1:
        raise PlanError(PlanRefusal.MIXED_THEMES)
    named = {r["training_id"] for r in rows if r["training_id"] is not None}
    if len(named) > 1:
        raise PlanError(PlanRefusal.MIXED_TRAININGS)
    remaining: dict[str, int] = {}
    for c in (_candidate(conn, r) for r in rows):
        remaining[c.administration] = remaining.get(c.administration, 0) + c.remaining
    regions = {r["region_code"] for r in rows}
    return Proposal(tuple(r["id"] for r in rows), rows[0]["theme"], next(iter(named), None),
                    min(r["semester"] for r in rows),
                    regions.pop() if len(regions) == 1 else None, remaining,
                    tuple(r["plan_id"] for r in rows))


class PlanSchedule:
    def __init__(self, db: Database, clock: Clock, create_session: Callable[..., Awaitable[tuple[int, int]]],
                 offer_free_seats: Callable[[sqlite3.Connection, int, datetime], None]) -> None:
        self.db = db
        self.clock = clock
        self.create_session = create_session  # SessionAdmin.create (its `then` runs in its tx)
        self.offer_free_seats = offer_free_seats

    async def candidates(self, access: Access, line_id: int | None,
                         theme: str | None = None) -> list[Candidate]:
        """The lines that may share a session with this one (or of this theme, from the common
        plan): the theme's, in validated or active plans of every administration (it first)."""
        _require_national(access)

        def read(conn: sqlite3.Connection) -> list[Candidate]:
            origin = repo.line(conn, line_id) if line_id is not None else None
            if line_id is not None and origin is None:
                raise PlanError(PlanRefusal.NOT_FOUND)
            if origin is not None and origin["plan_status"] not in SCHEDULABLE:
                raise PlanError(PlanRefusal.NOT_SCHEDULABLE)
            code = origin["theme"] if origin is not None else theme
            others = [r for r in repo.of_theme(conn, code or "", SCHEDULABLE, MAX_LINES)
                      if r["id"] != line_id]
            first = [origin] if origin is not None else []
            return [_candidate(conn, r) for r in [*first, *others][:MAX_LINES]]

        return await self.db.read(read)

    async def proposal(self, access: Access, line_ids: list[int]) -> Proposal:
        _require_national(access)
        return await self.db.read(_proposal, line_ids)

    async def create(self, access: Access, line_ids: list[int], release_at: datetime | None,
                     capacity: int, **session: Any) -> tuple[int, int]:
        """Publish the session (SessionAdmin.create's fields), linked to the lines, with the
        places reserved per administration, all in one transaction; (session id, told)."""
        _require_national(access)

        def then(conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
            proposal = _proposal(conn, line_ids)  # again: a plan may have moved meanwhile
            training = session["training_id"]
            if plans_repo.training_theme(conn, training) != proposal.theme:
                raise PlanError(PlanRefusal.MIXED_THEMES)
            if proposal.training is not None and training != proposal.training:
                raise PlanError(PlanRefusal.MIXED_TRAININGS)
            for line_id, plan_id in zip(proposal.lines, proposal.plans, strict=True):
                plans_repo.link(conn, line_id, session_id)
                audit.record(conn, access.user_id, "plan_link", f"plan:{plan_id}", now,
                             line=line_id, session=session_id)
            for code, places in share(proposal.remaining, capacity).items():
                outcome = quotas.reserve_in(conn, access.user_id, session_id, code, places,
                                            release_at, now, self.offer_free_seats)
                if outcome != "set":
                    raise PlanError(PlanRefusal.QUOTA_REFUSED, reason=outcome)

        return await self.create_session(access.user_id, then=then, capacity=capacity, **session)
