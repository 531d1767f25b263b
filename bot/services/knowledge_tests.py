"""Knowledge tests before and after a training (DESIGN 5.7, Kirkpatrick level 2): the attempts
of a registration scored question by question, a pass at or above the pass mark on the
post-test recorded as eligibility for an attestation de réussite (the pre-test measures where a
person starts: passing it certifies nothing the training gave), the normalised gain where both
attempts exist, and aggregates that hide groups under 5 (bot/services/test_scoring.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.services import test_scoring as scoring
from bot.storage import catalogue as sessions_repo
from bot.storage import knowledge_tests as repo
from bot.storage import registrations as regs_repo
from bot.storage.db import Database
from bot.timeutil import Clock

PHASES = ("pre", "post")
OPEN_STATUSES = ("confirmed", "attended")  # who may take a test
DIMENSIONS = ("sex", "administration", "position", "theme")


class TakingOutcome(StrEnum):
    """What a step of a knowledge test led to (bot/services/test_taking.py) and what scoring an
    attempt did; the screen (handlers/knowledge_test.py) says each refusal in words of its own,
    checked by tests/test_knowledge_test_flow.py."""

    QUESTION = "question"  # a question to ask: the current one
    DONE = "done"  # the attempt is scored and recorded
    ALREADY = "already"  # taken already: once per phase
    NOT_YOURS = "not_yours"  # another person's registration, or no such phase: a stale button
    NOT_REGISTERED = "not_registered"  # the place is no longer confirmed or attended
    NO_TEST = "no_test"
    CLOSED = "closed"  # the pre-test, once the session started
    NOT_OPEN = "not_open"  # the final test, before half an hour before the end
    STALE = "stale"  # a button of an earlier question
    INVALID = "invalid"  # an answer that is not one of the question's
    BUTTONS = "buttons"  # text typed under a question answered with buttons
    NUMBER = "number"  # a number question answered with something else


@dataclass(frozen=True)
class AttemptResult:
    outcome: TakingOutcome  # DONE ALREADY NO_TEST NOT_YOURS NOT_REGISTERED INVALID
    score: float | None = None
    max_score: float | None = None
    passed: bool = False
    corrections: list[tuple[str, str | None, bool, float]] = field(default_factory=list)
    detail: str = ""  # invalid: the question id at fault


@dataclass(frozen=True)
class SessionTestResults:
    pre: dict[int, int] | None  # mark out of 10 → attempts; None: fewer than 5
    post: dict[int, int] | None
    most_missed: list[tuple[str, str, str, float]] | None  # (qid, fr, ar, share wrong), post-test


def gains_from(pairs: Iterable[sqlite3.Row], dimension: str) -> tuple[dict[object, tuple[int, float]], int]:
    """The mean gain by group of registrations with both attempts (bot/storage `pairs`): what
    the dashboard shows and the exports write."""
    gains = ((r[dimension], scoring.normalised_gain(r["pre"], r["pre_max"], r["post"], r["post_max"]))
             for r in pairs)
    return scoring.mean_by((group, gain) for group, gain in gains if gain is not None)


class KnowledgeTests:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def submit(self, user_id: int, registration_id: int, phase: str,
                     values: dict[str, str]) -> AttemptResult:
        """Score and record one attempt, once per phase; the corrections come back with it."""
        now = self.clock.now()

        def tx(conn) -> AttemptResult:
            reg = regs_repo.get(conn, registration_id)
            if reg is None or reg.user_id != user_id or phase not in PHASES:
                return AttemptResult(TakingOutcome.NOT_YOURS)
            if reg.status not in OPEN_STATUSES:
                return AttemptResult(TakingOutcome.NOT_REGISTERED)
            qn = repo.test_of_training(conn, sessions_repo.existing_session(conn, reg.session_id).training_id)
            if qn is None:
                return AttemptResult(TakingOutcome.NO_TEST)
            if repo.attempt(conn, registration_id, phase) is not None:
                return AttemptResult(TakingOutcome.ALREADY)
            for qid, value in values.items():
                q = qn.question(qid)
                codes = {o[0] for o in q.options} if q else set()
                if q is None or (codes and not set(value.split(",")) <= codes):
                    return AttemptResult(TakingOutcome.INVALID, detail=qid)
            scored = scoring.score(qn, values)
            attempt = repo.record(conn, registration_id, qn.id, phase, scored, scoring.max_score(qn), now)
            passed = phase == "post" and scoring.passes(qn, attempt.score)
            if passed:
                repo.mark_passed(conn, attempt, now)
            return AttemptResult(TakingOutcome.DONE, attempt.score, attempt.max_score, passed, scored)

        return await self.db.write(tx)

    async def gain(self, registration_id: int) -> float | None:
        """The registration's normalised gain; None unless both attempts exist."""
        def read(conn):
            pre, post = (repo.attempt(conn, registration_id, p) for p in PHASES)
            if pre is None or post is None:
                return None
            return scoring.normalised_gain(pre.score, pre.max_score, post.score, post.max_score)

        return await self.db.read(read)

    async def session_results(self, session_id: int) -> SessionTestResults:
        """For the session's trainer: distributions and the most-missed questions (top 3)."""
        def read(conn):
            pre, post = (repo.session_attempts(conn, session_id, p) for p in PHASES)
            missed = None
            if len(post) >= scoring.MIN_GROUP:
                rows = [(r["qid"], r["label_fr"], r["label_ar"], r["wrong"] / r["answers"])
                        for r in repo.misses(conn, session_id, "post") if r["wrong"]]
                missed = sorted(rows, key=lambda r: (-r[3], r[0]))[:3]
            return SessionTestResults(scoring.distribution((a.score, a.max_score) for a in pre),
                                      scoring.distribution((a.score, a.max_score) for a in post), missed)

        return await self.db.read_heavy(read)

    async def gains_by(self, dimension: str) -> tuple[dict[object, tuple[int, float]], int]:
        """Mean normalised gain per sex, administration, position or theme, for coordinators:
        ({group: (people, mean)}, groups hidden for having fewer than 5)."""
        if dimension not in DIMENSIONS:
            raise ValueError(dimension)
        return gains_from(await self.db.read_heavy(repo.pairs), dimension)

    async def eligible(self, registration_id: int) -> bool:
        """Whether the registration earned an attestation de réussite."""
        return await self.db.read(repo.passed, registration_id)
