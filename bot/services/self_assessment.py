"""My digital profile (DESIGN 5.7): a self-assessment on the DigComp-style framework stored as
data (bot/storage/learning_data.py, a questionnaire of kind self_assessment). A result per area
(the mean of its statements, one decimal), two strengths and two areas to work on, three
trainings for the weakest areas, the comparison of two assessments ("security 2 → 4"), and
administration × area means for the competence plans' needs view (groups under 5 hidden)."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.services.outcomes import RatingProblem
from bot.services.test_scoring import MIN_GROUP
from bot.storage import self_assessment as repo
from bot.storage.db import Database
from bot.timeutil import Clock, from_db

RECOMMENDED = 3


@dataclass(frozen=True)
class Profile:
    assessment_id: int
    taken_at: datetime
    areas: dict[str, float]  # area → mean rating, one decimal, in the framework's order
    strengths: list[str]  # the two best areas
    to_work_on: list[str]  # the two weakest, weakest first


@dataclass(frozen=True)
class Recommendation:
    training_id: int
    code: str
    title_fr: str
    title_ar: str
    next_start: datetime | None  # the next session open, None: none scheduled
    area: str  # the weak area it strengthens
    next_session: int | None = None  # that session (its card's Register button), None: none


@dataclass(frozen=True)
class Statement:
    qid: str
    area: str
    label_fr: str
    label_ar: str


@dataclass(frozen=True)
class Framework:
    """What the chat asks: the statements in order, the five levels and the areas' names."""

    version: int  # the questionnaire's id: answers to another version are not recorded
    statements: list[Statement]
    levels: list[tuple[str, str, str]]  # (code "1".."5", French, Arabic)
    areas: dict[str, tuple[str, str]]  # code → (French, Arabic), in the framework's order


def one_decimal(x: float) -> float:
    """Rounded half up, as a person would (Python's round gives 1.25 → 1.2 but 1.75 → 1.8)."""
    return math.floor(x * 10 + 0.5) / 10


def _profile(conn, assessment_id: int, taken_at: datetime) -> Profile:
    order = [a[0] for a in repo.areas(conn)]
    by_area: dict[str, list[int]] = {}
    for area, rating in repo.area_ratings(conn, assessment_id):
        by_area.setdefault(area, []).append(rating)
    means = {a: one_decimal(sum(by_area[a]) / len(by_area[a])) for a in order if a in by_area}
    ranked = sorted(means, key=lambda a: (-means[a], order.index(a)))  # ties: framework order
    weakest = sorted(means, key=lambda a: (means[a], order.index(a)))
    return Profile(assessment_id, taken_at, means, ranked[:2], weakest[:2])


class SelfAssessment:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def framework(self) -> Framework:
        def read(conn) -> Framework:
            qn = repo.framework(conn)
            statements = [Statement(q.qid, q.area or "", q.label_fr, q.label_ar) for q in qn.questions]
            levels = list(qn.questions[0].options) if qn.questions else []
            return Framework(qn.id, statements, levels, {a: (fr, ar) for a, fr, ar in repo.areas(conn)})

        return await self.db.read(read)

    async def record(self, user_id: int, ratings: dict[str, int]) -> Profile | RatingProblem:
        """Every statement rated 1-5, or why not (nothing is recorded then)."""
        now = self.clock.now()

        def tx(conn) -> Profile | RatingProblem:
            qn = repo.framework(conn)
            known = {q.qid for q in qn.questions}
            if set(ratings) - known:
                return RatingProblem.UNKNOWN_STATEMENT
            if set(ratings) != known:
                return RatingProblem.INCOMPLETE
            if any(not isinstance(r, int) or not 1 <= r <= 5 for r in ratings.values()):
                return RatingProblem.RATING
            return _profile(conn, repo.record(conn, user_id, qn, ratings, now), now)

        return await self.db.write(tx)

    async def history(self, user_id: int) -> list[Profile]:
        """The person's profiles, oldest first."""
        return await self.db.read(lambda conn: [_profile(conn, aid, at)
                                                for aid, at in repo.history(conn, user_id)])

    @staticmethod
    def compare(before: Profile, after: Profile) -> dict[str, tuple[float | None, float | None]]:
        """Area → (before, after), e.g. {"safety": (2.0, 4.0)}."""
        return {a: (before.areas.get(a), after.areas.get(a)) for a in {**before.areas, **after.areas}}

    async def recommend(self, user_id: int, profile: Profile) -> list[Recommendation]:
        """Three trainings for the weakest areas (weakest first), upcoming sessions first."""
        now = self.clock.now()

        def read(conn: sqlite3.Connection):
            out: list[Recommendation] = []
            weakest = sorted(profile.areas, key=lambda a: profile.areas[a])
            for area in weakest:
                for r in repo.trainings_for(conn, area, user_id, now):
                    if len(out) < RECOMMENDED and all(o.training_id != r["id"] for o in out):
                        out.append(Recommendation(r["id"], r["code"], r["title_fr"], r["title_ar"],
                                                  from_db(r["next_start"]), area, r["next_session"]))
            return out

        return await self.db.read(read)

    async def by_administration(self) -> tuple[dict[tuple[str, str], float], int]:
        """Mean of each person's area mean (their newest assessment) per administration × area,
        one decimal: ({(administration, area): mean}, cells hidden for fewer than 5 people)."""
        rows = await self.db.read_heavy(repo.latest_by_person)
        person: dict[tuple[str, str, int], list[int]] = {}
        for r in rows:
            person.setdefault((r["administration"], r["area"], r["user_id"]), []).append(r["rating"])
        cells: dict[tuple[str, str], list[float]] = {}
        for (adm, area, _), ratings in person.items():
            cells.setdefault((adm, area), []).append(sum(ratings) / len(ratings))
        shown = {k: one_decimal(sum(v) / len(v)) for k, v in cells.items() if len(v) >= MIN_GROUP}
        return shown, len(cells) - len(shown)
