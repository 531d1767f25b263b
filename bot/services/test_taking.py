"""Taking a knowledge test in the chat: one question at a time, the answers so far kept on the
person's `ktest` draft (written before every reply), so a restart or a pause resumes at the same
question; the last answer scores the attempt once (bot/services/knowledge_tests.py) and drops the
draft. The pre-test is open until the session starts, the post-test from half an hour before
its end (so a trainer can run it in the room), both for confirmed or attended places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.services.knowledge_tests import OPEN_STATUSES, PHASES, AttemptResult, KnowledgeTests
from bot.services.knowledge_tests import TakingOutcome as Out
from bot.storage import catalogue as sessions_repo
from bot.storage import knowledge_tests as repo
from bot.storage import outbox
from bot.storage import registrations as regs_repo
from bot.storage import users as users_repo
from bot.storage.conditions import canonical_number
from bot.storage.db import Database
from bot.storage.evaluations import SUMMARY, Answer, Questionnaire
from bot.timeutil import Clock, to_db

FLOW = "ktest"
POST_OPENS_BEFORE_END = timedelta(minutes=30)
PRE_TEST_AGAIN = timedelta(days=1)  # the second invitation to the pre-test, before the start


@dataclass(frozen=True)
class TestView:
    outcome: Out
    registration_id: int = 0
    phase: str = ""
    test: Questionnaire | None = None
    step: str = ""  # the current question's id
    answers: dict[str, str] = field(default_factory=dict)
    selection: tuple[str, ...] = ()  # ticked choices of a several-answer question
    result: AttemptResult | None = None
    pre: tuple[float, float] | None = None  # (score, max) of the pre-test, shown beside the post
    title: tuple[str, str] = ("", "")


def _answers(values: dict[str, str]) -> dict[str, Answer]:
    return {qid: Answer(choice=v) for qid, v in values.items()}


class TestTaking:
    def __init__(self, db: Database, clock: Clock, tests: KnowledgeTests,
                 forget: Callable[[int], None] = lambda user_id: None) -> None:
        self.db = db
        self.clock = clock
        self.tests = tests
        self.forget = forget  # the people cache holds the draft: drop it when it changes

    async def _write(self, user_id: int, tx):
        self.forget(user_id)
        try:
            return await self.db.write(tx)
        finally:
            self.forget(user_id)

    def _check(self, conn, user_id: int | None, registration_id: int, phase: str):
        """(refusal, None) or (None, (registration, session, test)); `user_id` None: whoever
        holds the registration (an invitation, which goes to them)."""
        reg = regs_repo.get(conn, registration_id)
        if reg is None or user_id not in (None, reg.user_id) or phase not in PHASES:
            return TestView(Out.NOT_YOURS), None
        if reg.status not in OPEN_STATUSES:
            return TestView(Out.NOT_REGISTERED, registration_id, phase), None
        session = sessions_repo.existing_session(conn, reg.session_id)
        test = repo.test_of_training(conn, session.training_id)
        title = (session.title_fr, session.title_ar)
        if test is None:
            return TestView(Out.NO_TEST, registration_id, phase, title=title), None
        done = repo.attempt(conn, registration_id, phase)
        if done is not None:
            return TestView(Out.ALREADY, registration_id, phase, test, title=title,
                            result=AttemptResult(Out.ALREADY, done.score, done.max_score)), None
        now = self.clock.now()
        if phase == "pre" and now >= session.starts_at:
            return TestView(Out.CLOSED, registration_id, phase, test, title=title), None
        if phase == "post" and now < session.ends_at - POST_OPENS_BEFORE_END:
            return TestView(Out.NOT_OPEN, registration_id, phase, test, title=title), None
        return None, (reg, session, test)

    async def open(self, user_id: int, registration_id: int, phase: str) -> TestView:
        """Start the test, or resume it where the draft left it."""
        now = self.clock.now()

        def tx(conn) -> TestView:
            refused, found = self._check(conn, user_id, registration_id, phase)
            if refused is not None:
                return refused
            _, session, test = found
            draft = users_repo.get_draft(conn, user_id, FLOW)
            data = draft.data if draft else {}
            if data.get("r") == registration_id and data.get("p") == phase and data.get("q") == test.id:
                assert draft is not None  # without a draft, data is {} and cannot match
                step, values = draft.step, data.get("a", {})
            else:
                step, values = test.after("", {}), {}
                data = {"r": registration_id, "p": phase, "q": test.id, "a": values}
            users_repo.save_draft(conn, user_id, FLOW, step, data, now)  # the newest draft again
            return TestView(Out.QUESTION, registration_id, phase, test, step, values,
                            tuple(data.get("sel", ())), title=(session.title_fr, session.title_ar))

        return await self._write(user_id, tx)

    async def _step(self, user_id: int, registration_id: int, phase: str, qid: str, change) -> TestView:
        """Apply `change(question, data)` → (new value or None, error) to the current question."""
        now = self.clock.now()

        def tx(conn) -> TestView:
            refused, found = self._check(conn, user_id, registration_id, phase)
            if refused is not None:
                return refused
            _, session, test = found
            title = (session.title_fr, session.title_ar)
            draft = users_repo.get_draft(conn, user_id, FLOW)
            data = draft.data if draft else {}
            if (data.get("r"), data.get("p"), data.get("q")) != (registration_id, phase, test.id):
                return TestView(Out.STALE, registration_id, phase, test, title=title)
            assert draft is not None  # without a draft, data is {} and was stale above
            values = data.get("a", {})
            q = test.question(draft.step)
            view = TestView(Out.QUESTION, registration_id, phase, test, draft.step, values,
                            tuple(data.get("sel", ())), title=title)
            if q is None or qid != draft.step:
                return replace(view, outcome=Out.STALE)
            value, error = change(q, data)
            if error:
                users_repo.save_draft(conn, user_id, FLOW, draft.step, data, now)
                return replace(view, outcome=error, selection=tuple(data.get("sel", ())))
            values[qid] = value
            data.pop("sel", None)
            data["a"] = values
            step = test.after(qid, _answers(values))
            users_repo.save_draft(conn, user_id, FLOW, step, data, now)
            return TestView(Out.QUESTION, registration_id, phase, test, step, values, title=title)

        view = await self._write(user_id, tx)
        if view.outcome == Out.QUESTION and view.step == SUMMARY:
            return await self._submit(user_id, view)
        return view

    async def _submit(self, user_id: int, view: TestView) -> TestView:
        assert view.test is not None  # a "question" view always carries its test
        asked = {q.qid for q in view.test.questions if view.test.asked(q, _answers(view.answers))}
        values = {qid: v for qid, v in view.answers.items() if qid in asked}
        result = await self.tests.submit(user_id, view.registration_id, view.phase, values)

        def tx(conn):
            users_repo.delete_draft(conn, user_id, FLOW)
            pre = repo.attempt(conn, view.registration_id, "pre") if view.phase == "post" else None
            return (pre.score, pre.max_score) if pre else None

        pre = await self._write(user_id, tx)
        return TestView(result.outcome, view.registration_id, view.phase, view.test, SUMMARY, values,
                        result=result, pre=pre, title=view.title)

    async def choose(self, user_id: int, registration_id: int, phase: str, qid: str, code: str) -> TestView:
        """A tap on one choice of a single-choice question."""
        def change(q, data):
            return (code, None) if q.type in ("choice", "scale") and q.option(code) else (None, Out.INVALID)
        return await self._step(user_id, registration_id, phase, qid, change)

    async def toggle(self, user_id: int, registration_id: int, phase: str, qid: str, code: str) -> TestView:
        """Tick or untick a choice of a several-answer question (kept on the draft)."""
        def change(q, data):
            if q.type != "multi" or not q.option(code):
                return None, Out.INVALID
            chosen = set(data.get("sel", ())) ^ {code}
            data["sel"] = [o[0] for o in q.options if o[0] in chosen]
            return None, Out.QUESTION  # not answered yet: the same question, ticks updated
        return await self._step(user_id, registration_id, phase, qid, change)

    async def done(self, user_id: int, registration_id: int, phase: str, qid: str) -> TestView:
        """The ticked choices of a several-answer question become its answer."""
        def change(q, data):
            if q.type != "multi":
                return None, Out.INVALID
            return ",".join(data.get("sel", ())), None
        return await self._step(user_id, registration_id, phase, qid, change)

    async def type_number(self, user_id: int, registration_id: int, phase: str, qid: str,
                          text: str) -> TestView:
        """A typed answer to a number question (Eastern Arabic digits too)."""
        def change(q, data):
            if q.type != "number":
                return None, Out.BUTTONS
            number = canonical_number(text.strip())
            return (number, None) if number is not None else (None, Out.NUMBER)
        return await self._step(user_id, registration_id, phase, qid, change)

    async def offered(self, registration_id: int, phase: str,
                      starts_at: str | None = None) -> TestView | None:
        """What an invitation to the test shows, or None when there is nothing to take (no
        test, already taken, closed, no longer registered): the invitation is then skipped.
        `starts_at`: the start it was queued for."""
        def read(conn):
            # Read once: every confirmation asks this as it is sent (registration path).
            refused, found = self._check(conn, None, registration_id, phase)
            if refused is not None:
                return None
            _, session, test = found
            if starts_at is not None and starts_at != to_db(session.starts_at):
                return None  # queued for a time that no longer holds: the session moved
            return TestView(Out.QUESTION, registration_id, phase, test,
                            title=(session.title_fr, session.title_ar))

        return await self.db.read(read)


def day_before(conn, reg: regs_repo.Registration, session: sessions_repo.Session,
               now: datetime) -> list[outbox.Message]:
    """The pre-test's second invitation, a day before the start, when the training has a test
    (queued with the reminders; the renderer skips it once taken or the session moved)."""
    at = session.starts_at - PRE_TEST_AGAIN
    if at <= now or repo.test_of_training(conn, session.training_id) is None:
        return []
    starts = to_db(session.starts_at)
    return [(reg.user_id, "test_pre", {"registration": reg.id, "starts_at": starts},
             f"test_pre:{reg.id}:{starts}", at, False)]
