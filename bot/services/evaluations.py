"""Hot and cold evaluations (DESIGN 5.3): who may answer and when, one answer per step saved with
the step itself (a restart or a pause of days resumes where the person was), one submission per
attendee and kind. Every action re-checks the response against the database: buttons may be old."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services.evaluation_rules import codes, parse_answer, windows
from bot.storage import catalogue as sessions_repo
from bot.storage import evaluations as repo
from bot.storage import registrations as regs_repo
from bot.storage import users as users_repo
from bot.storage.db import Database
from bot.storage.evaluations import SUMMARY, Answer, Questionnaire, VersionResults
from bot.storage.evaluations import Question as Question  # what the screens show
from bot.timeutil import Clock

FLOW = "questionnaire"


@dataclass(frozen=True)
class View:
    """Where a person stands in a questionnaire after an action, and what happened."""

    outcome: str  # ok stale repeat invalid:<why> incomplete submitted done not_yours not_attendee ...
    questionnaire: Questionnaire | None = None
    response_id: int | None = None
    registration_id: int | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    step: str | None = None  # a question id, or SUMMARY
    selection: tuple[str, ...] | None = None  # pending choices of a multi question
    answered: str | None = None  # the question just answered


class _Refused(Exception):
    def __init__(self, outcome: str) -> None:
        self.outcome = outcome


class EvaluationService:
    def __init__(self, db: Database, clock: Clock, settings: Settings,
                 forget: Callable[[int], None] = lambda user_id: None) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.forget = forget  # the people cache holds the draft: drop it when it changes

    async def _write(self, user_id: int, fn, *args) -> View:
        try:
            return await self.db.write(self._guarded, fn, user_id, *args)
        finally:
            self.forget(user_id)

    @staticmethod
    def _guarded(conn, fn, *args) -> View:
        try:
            return fn(conn, *args)
        except _Refused as refused:
            return View(refused.outcome)

    # --- opening ---------------------------------------------------------------------------------
    async def open(self, user_id: int, registration_id: int, kind: str) -> View:
        """Start or resume the questionnaire of a kind for one of the person's sessions."""
        now = self.clock.now()

        def tx(conn, user_id):
            reg = regs_repo.get(conn, registration_id)
            if reg is None or reg.user_id != user_id or kind not in ("hot", "cold"):
                raise _Refused("not_yours")
            r = repo.response_of(conn, reg.id, kind)
            if r is None:
                self._check(conn, reg, kind, now)
                training = sessions_repo.get_session(conn, reg.session_id).training_id
                r = repo.create_response(conn, reg.id, repo.current_questionnaire(conn, kind, training), now)
            return self._save(conn, user_id, self._state(conn, user_id, r.id, r.questionnaire_id, now,
                                                         fresh=True), now)

        return await self._write(user_id, tx)

    def _check(self, conn, reg, kind: str, now: datetime) -> None:
        """Refused unless this registration may answer this kind now."""
        if reg.status != "attended":
            raise _Refused("not_attendee")
        session = sessions_repo.existing_session(conn, reg.session_id)
        opens, closes = windows(kind, session.ends_at, self.settings)
        if now < opens:
            raise _Refused("not_open")
        if now >= closes:
            raise _Refused("closed")

    def _state(self, conn: sqlite3.Connection, user_id: int, rid: int, qn_id: int, now: datetime,
               fresh: bool = False) -> View:
        """The response as it stands, checked; the step comes from the draft when it is about
        this response, else the first unanswered question."""
        r = repo.response(conn, rid)
        reg = regs_repo.get(conn, r.registration_id) if r else None
        if r is None or reg is None or reg.user_id != user_id:
            raise _Refused("not_yours")
        if r.questionnaire_id != qn_id:
            raise _Refused("stale")
        if r.submitted_at is not None:
            raise _Refused("submitted")
        self._check(conn, reg, r.kind, now)
        qn = repo.existing_questionnaire(conn, qn_id)  # the response's own version
        answers = repo.answers(conn, rid)
        draft = users_repo.get_draft(conn, user_id, FLOW)
        mine = draft if draft is not None and draft.data.get("r") == rid else None
        step = mine.step if mine else qn.after("", answers)
        selection = mine.data.get("sel") if mine and not fresh else None
        return View("ok", qn, rid, reg.id, answers, step, tuple(selection) if selection else None)

    def _save(self, conn, user_id: int, view: View, now: datetime) -> View:
        # an open response is always at a question of its version, or its summary
        assert view.questionnaire is not None and view.step is not None
        data: dict[str, object] = {"r": view.response_id, "q": view.questionnaire.id}
        if view.selection is not None:
            data["sel"] = list(view.selection)
        users_repo.save_draft(conn, user_id, FLOW, view.step, data, now)
        return view

    async def current(self, user_id: int, rid: int, qn_id: int) -> View:
        """The current step again (after a wrong input, to ask the same question)."""
        now = self.clock.now()
        return await self._write(user_id, lambda conn, uid: self._save(
            conn, uid, self._state(conn, uid, rid, qn_id, now), now))

    # --- answering -------------------------------------------------------------------------------
    async def answer(self, user_id: int, rid: int, qn_id: int, qid: str, value: str, how: str) -> View:
        """An answer to question qid: `how` is button, text, skip or done (multi)."""
        now = self.clock.now()

        def tx(conn, user_id):
            view = self._state(conn, user_id, rid, qn_id, now)
            q = view.questionnaire.question(qid)
            if q is None or view.step != qid:
                old = view.answers.get(qid)
                same = old is not None and how == "button" and value in (str(old.score), old.choice)
                return replace(view, outcome="repeat" if same else "stale")
            selection = view.selection if view.selection is not None else codes(view.answers.get(qid))
            answer, error = parse_answer(q, selection, value, how)
            if error:
                return replace(view, outcome=f"invalid:{error}")
            r = repo.response(conn, rid)
            repo.save_answer(conn, r, qid, answer, now)
            answers = {**view.answers, qid: answer}
            step = view.questionnaire.after(qid, answers)
            view = replace(view, answers=answers, step=step, selection=None, answered=qid)
            return self._save(conn, user_id, view, now)

        return await self._write(user_id, tx)

    async def toggle(self, user_id: int, rid: int, qn_id: int, qid: str, code: str) -> View:
        """Tick or untick one choice of a multi question (kept in the draft until done)."""
        now = self.clock.now()

        def tx(conn, user_id):
            view = self._state(conn, user_id, rid, qn_id, now)
            q = view.questionnaire.question(qid)
            if q is None or view.step != qid or q.type != "multi" or not q.option(code):
                return replace(view, outcome="stale")
            chosen = set(view.selection if view.selection is not None else codes(view.answers.get(qid)))
            chosen ^= {code}
            view = replace(view, selection=tuple(o[0] for o in q.options if o[0] in chosen))
            return self._save(conn, user_id, view, now)

        return await self._write(user_id, tx)

    async def move(self, user_id: int, rid: int, qn_id: int, qid: str, target: str | None) -> View:
        """Back from question qid (target None), or from the summary to question `target`."""
        now = self.clock.now()

        def tx(conn, user_id):
            view = self._state(conn, user_id, rid, qn_id, now)
            order = [q.qid for q in view.questionnaire.questions]
            if view.step != qid:
                return replace(view, outcome="stale")
            if target is None:
                index = len(order) if qid == SUMMARY else order.index(qid)
                if index == 0:
                    return replace(view, outcome="stale")
                step = order[index - 1]
            elif qid == SUMMARY and target in order:
                step = target
            else:
                return replace(view, outcome="stale")
            return self._save(conn, user_id, replace(view, step=step, selection=None), now)

        return await self._write(user_id, tx)

    async def submit(self, user_id: int, rid: int, qn_id: int) -> View:
        """Send the answers: once, whatever is tapped twice."""
        now = self.clock.now()

        def tx(conn, user_id):
            view = self._state(conn, user_id, rid, qn_id, now)
            qn = view.questionnaire
            missing = [q.qid for q in qn.questions if q.required and qn.asked(q, view.answers)
                       and (q.qid not in view.answers or view.answers[q.qid].skipped)]
            if missing:
                return self._save(conn, user_id, replace(view, outcome="incomplete", step=missing[0]), now)
            repo.submit(conn, rid, now)
            users_repo.delete_draft(conn, user_id, FLOW)
            return replace(view, outcome="done", step=None)

        return await self._write(user_id, tx)

    async def leave(self, user_id: int) -> None:
        """Stop for now: the answers stay, the next opening resumes at the first unanswered."""
        try:
            await self.db.write(users_repo.delete_draft, user_id, FLOW)
        finally:
            self.forget(user_id)

    # --- reading ---------------------------------------------------------------------------------
    async def open_for(self, user_id: int) -> list[tuple[int, str, str, str, datetime]]:
        """The questionnaires the person may answer now: (registration, kind, title fr, ar, closes)."""
        now = self.clock.now()
        cold = self.settings.cold_evaluation_after_days + self.settings.cold_evaluation_days
        horizon = timedelta(days=max(cold, self.settings.hot_evaluation_days))

        def read(conn):
            out = []
            for mine in regs_repo.of_user(conn, user_id):
                if mine.registration.status != "attended" or mine.ends_at < now - horizon:
                    continue
                for kind in ("hot", "cold"):
                    opens, closes = windows(kind, mine.ends_at, self.settings)
                    r = repo.response_of(conn, mine.registration.id, kind)
                    if opens <= now < closes and (r is None or r.submitted_at is None):
                        out.append((mine.registration.id, kind, mine.title_fr, mine.title_ar, closes))
            return out

        return await self.db.read(read)

    async def results(self, session_id: int, kind: str) -> tuple[int, list[VersionResults]]:
        return await self.db.read_heavy(repo.session_results, session_id, kind)
