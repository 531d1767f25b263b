"""Indicators (DESIGN 5.5) for a period, an administration or a training, broken down by one
dimension; session rosters and fill rates. Scans run on the reader thread (`read_heavy`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from bot.storage import indicators as repo
from bot.storage.db import Database
from bot.storage.indicators import STATUS_ORDER as STATUS_ORDER  # the roster's order
from bot.storage.indicators import Scope
from bot.timeutil import Clock, from_local, to_db, to_local

PERIODS = ("month", "quarter", "year", "all")
# Evaluation aggregates of fewer respondents are hidden (DESIGN 5.3): a group of 3 colleagues
# must not be able to tell who gave the bad score.
MIN_RESPONDENTS = 5


def _ratio(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


@dataclass(frozen=True)
class Group:
    """The indicators of one group (or of everything, for the 'total' dimension)."""

    key: object
    registrations: int
    confirmed: int
    waitlisted: int
    pending: int  # awaiting approval, on the waiting list or offered a place
    ended: int  # cancelled, declined, lapsed or refused
    attended: int
    absent: int
    women: int
    men: int
    women_attended: int
    men_attended: int
    hot: int
    satisfaction_sum: int
    satisfaction_n: int
    cold: int
    applied: int
    applied_n: int

    @classmethod
    def of(cls, row) -> Group:
        return cls(row["k"], *(int(row[k] or 0) for k in (
            "registrations", "confirmed", "waitlisted", "pending", "ended", "attended", "absent",
            "women", "men", "women_attended", "men_attended", "hot", "satisfaction_sum",
            "satisfaction_n", "cold", "applied", "applied_n")))

    @classmethod
    def combine(cls, key: object, groups: list[Group]) -> Group:
        """The sum of several groups (e.g. women, men and unknown sex make everyone)."""
        names = [f.name for f in fields(cls)][1:]
        return cls(key, *(sum(getattr(g, n) for g in groups) for n in names))

    @property
    def attendance_rate(self) -> float | None:
        """Attended among those whose attendance was taken."""
        return _ratio(self.attended, self.attended + self.absent)

    @property
    def women_share(self) -> float | None:
        return _ratio(self.women, self.women + self.men)

    @property
    def women_attended_share(self) -> float | None:
        return _ratio(self.women_attended, self.women_attended + self.men_attended)

    @property
    def response_rate(self) -> float | None:
        """Hot evaluations submitted per attendee."""
        return _ratio(self.hot, self.attended)

    @property
    def satisfaction(self) -> float | None:
        """Mean overall satisfaction (1-5); None when too few answered to show it."""
        n = self.satisfaction_n
        return self.satisfaction_sum / n if n >= MIN_RESPONDENTS else None

    @property
    def application_rate(self) -> float | None:
        """Cold respondents who applied the skills; None when too few answered to show it."""
        return self.applied / self.applied_n if self.applied_n >= MIN_RESPONDENTS else None


@dataclass(frozen=True)
class Score:
    """Mean score of one scale question in one group; mean None when hidden (too few)."""

    key: object
    qid: str
    respondents: int
    mean: float | None


class IndicatorsService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def bounds(self, period: str) -> tuple[str | None, str | None]:
        """UTC bounds of session starts for a period, in Moroccan calendar months."""
        if period == "all":
            return None, None
        today = to_local(self.clock.now())
        first = datetime(today.year, 1 if period == "year" else today.month, 1)
        month = first.month - (2 if period == "quarter" else 0)
        start = datetime(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end_month = 13 if period == "year" else today.month + 1
        end = datetime(today.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
        return to_db(from_local(start)), to_db(from_local(end))

    def scope(self, period: str, administration: str | None = None,
              training_id: int | None = None) -> Scope:
        return Scope(*self.bounds(period), administration, training_id)

    async def breakdown(self, scope: Scope, dimension: str) -> list[Group]:
        rows = await self.db.read_heavy(repo.breakdown, scope, dimension)
        return [Group.of(r) for r in rows]

    async def breakdown_by_sex(self, scope: Scope, dimension: str) -> list[tuple[object, str | None, Group]]:
        """(group, sex, indicators) for every group of one dimension and every sex."""
        rows = await self.db.read_heavy(repo.breakdown, scope, dimension, True)
        return [(r["k"], r["sx"], Group.of(r)) for r in rows]

    async def total(self, scope: Scope) -> Group:
        groups = await self.breakdown(scope, "total")
        return groups[0] if groups else Group("", *([0] * (len(fields(Group)) - 1)))

    async def scores(self, scope: Scope, kind: str, dimension: str = "total") -> list[Score]:
        """Mean score of each scale question per group, hidden under MIN_RESPONDENTS."""
        rows = await self.db.read_heavy(repo.scores, scope, kind, dimension)
        return [Score(r["k"], r["qid"], r["n"], r["total"] / r["n"] if r["n"] >= MIN_RESPONDENTS else None)
                for r in rows]

    async def questions(self, kind: str) -> dict[str, tuple[str, str]]:
        """Scale questions of a kind: id -> (French, Arabic) label of its newest version."""
        rows = await self.db.read(lambda c: c.execute(
            """SELECT q.qid, q.label_fr, q.label_ar FROM questions q
                 JOIN questionnaires n ON n.id = q.questionnaire_id
                WHERE n.kind = ? AND q.type = 'scale' ORDER BY n.version, q.position""",
            (kind,)).fetchall())
        order: dict[str, tuple[str, str]] = {}
        for qid, fr, ar in rows:
            order[qid] = (fr, ar)  # later versions overwrite the label
        return order

    async def training_titles(self) -> dict[int, tuple[str, str]]:
        rows = await self.db.read(lambda c: c.execute(
            "SELECT id, title_fr, title_ar FROM trainings").fetchall())
        return {r[0]: (r[1], r[2]) for r in rows}

    async def satisfaction_distribution(self, scope: Scope):
        return await self.db.read_heavy(repo.satisfaction_distribution, scope)

    async def fill_by_month(self, scope: Scope):
        return await self.db.read_heavy(repo.fill_by_month, scope)

    # --- rosters ----------------------------------------------------------------------------------
    async def trainings(self, administration: str | None, page: int, size: int):
        return await self.db.read_heavy(repo.trainings_page, administration, page * size, size)

    async def sessions(self, training_id: int, administration: str | None, page: int, size: int):
        return await self.db.read_heavy(repo.sessions_page, training_id, administration, page * size, size)

    async def session(self, session_id: int):
        """(reference, title_fr, title_ar, starts_at, capacity, training_id) or None."""
        return await self.db.read(lambda c: c.execute(
            "SELECT s.reference, t.title_fr, t.title_ar, s.starts_at, s.capacity, s.training_id,"
            " s.status FROM sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id = ?",
            (session_id,)).fetchone())

    async def roster(self, session_id: int, administration: str | None, page: int, size: int):
        """(counts by status, a page of the roster)."""
        def read(conn):
            return (repo.status_counts(conn, session_id, administration),
                    repo.roster_page(conn, session_id, administration, page * size, size))

        return await self.db.read_heavy(read)
