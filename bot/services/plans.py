"""Competence plans (PRC, DESIGN 5.6): creating a plan, its versions, lines, linked sessions,
and its status machine. Figures achieved: bot/services/plan_progress.py.

Status of a version: draft → submitted → validated | returned (with a reason); validated →
active → closed. Only a draft's lines can change. A returned, validated or active version is
revised by a new version (a draft copying its lines and their sessions); the old one stays
readable, and when the new one is validated, the version it replaces becomes 'superseded'.
A focal point works on their administration's plans; a national coordinator (or an admin) on
every plan, and only they validate, return, activate and close. Each change of status is kept
with who and when (plan_events) and written to the audit log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.services import plan_lines
from bot.services.access import Access
from bot.services.outcomes import PlanAction
from bot.services.outcomes import PlanRefusal as Why
from bot.services.outcomes import PlanStatus as Status
from bot.storage import audit, outbox
from bot.storage import plans as repo
from bot.storage.db import Database
from bot.storage.registrations import focal_points
from bot.timeutil import Clock


class PlanError(ValueError):
    """A request the plan's rules refuse; `code` says which rule (the UI localises it)."""

    def __init__(self, code: Why, **details: object) -> None:
        super().__init__(f"{code} {details}" if details else code)
        self.code = Why(code)  # typed, and checked again here: a code no rule names fails where raised
        self.details = details


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status
    national: bool  # only a national coordinator (or an admin) may do it


TRANSITIONS: dict[PlanAction, Transition] = {
    PlanAction.SUBMIT: Transition(frozenset({Status.DRAFT}), Status.SUBMITTED, national=False),
    PlanAction.VALIDATE: Transition(frozenset({Status.SUBMITTED}), Status.VALIDATED, national=True),
    PlanAction.RETURN: Transition(frozenset({Status.SUBMITTED}), Status.RETURNED, national=True),
    PlanAction.ACTIVATE: Transition(frozenset({Status.VALIDATED}), Status.ACTIVE, national=True),
    PlanAction.CLOSE: Transition(frozenset({Status.ACTIVE}), Status.CLOSED, national=True),
}
REVISABLE = frozenset({Status.RETURNED, Status.VALIDATED, Status.ACTIVE})  # may get a new version
# sessions may be linked
LINKABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.VALIDATED, Status.ACTIVE})


def _national(access: Access) -> bool:
    return access.admin or access.national


def _may_work_on(access: Access, administration: str) -> bool:
    return _national(access) or access.focal_administration == administration


def _tell_focal_points(conn: sqlite3.Connection, version: sqlite3.Row, status: str,
                      reason: str | None, now) -> None:
    """The administration's focal points learn the decision through the outbox (in this same
    transaction: told once, even across a restart)."""
    payload = {"version": version["id"], "status": status, "reason": reason,
               "administration": version["administration_code"], "number": version["number"],
               "start_year": version["start_year"], "end_year": version["end_year"]}
    for user_id in focal_points(conn, version["administration_code"]):
        outbox.enqueue(conn, user_id, "plan_decision", payload,
                       f"plan_decision:{version['id']}:{status}:{user_id}", now, urgent=False)


def _revise(conn: sqlite3.Connection, access: Access, version: sqlite3.Row, now) -> int:
    """A new draft version copying the lines (and linked sessions) of the latest version when
    it is returned, validated or active; its id."""
    latest = repo.versions(conn, version["plan_id"])[0]
    if latest["id"] != version["id"] or version["status"] not in REVISABLE:
        raise PlanError(Why.NOT_REVISABLE, status=version["status"])
    new_id = repo.add_version(conn, version["plan_id"], latest["number"] + 1, access.user_id, now)
    repo.copy_lines(conn, version["id"], new_id)
    audit.record(conn, access.user_id, "plan_new_version", f"plan:{version['plan_id']}", now,
                 version=latest["number"] + 1)
    return new_id


def _same_line(conn: sqlite3.Connection, old_version: int, new_version: int, line_id: int) -> int:
    """The copy of a line in the new version (copy_lines keeps the order of ids)."""
    return repo.line_ids(conn, new_version)[repo.line_ids(conn, old_version).index(line_id)]


def stored_line(line: sqlite3.Row) -> dict:
    """A line's fields as stored (JSON-safe), to tell later whether it changed."""
    return {f: line[f] for f in repo.LINE_FIELDS}


class PlanService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # --- plans and versions ----------------------------------------------------------------
    async def create(self, access: Access, administration: str, start_year: int, end_year: int) -> int:
        """A new plan with its first draft version; returns the version id."""
        if not (2000 <= start_year <= end_year <= start_year + 5):
            raise PlanError(Why.PERIOD_INVALID)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> int:
            if not _may_work_on(access, administration):
                raise PlanError(Why.NOT_ALLOWED)
            if not repo.exists(conn, "administrations", "code", administration):
                raise PlanError(Why.ADMINISTRATION_UNKNOWN)
            if repo.find_plan(conn, administration, start_year, end_year) is not None:
                raise PlanError(Why.PLAN_EXISTS)
            plan_id, version_id = repo.create_plan(conn, administration, start_year, end_year,
                                                   access.user_id, now)
            audit.record(conn, access.user_id, "plan_create", f"plan:{plan_id}", now,
                         administration=administration, years=f"{start_year}-{end_year}")
            return version_id

        return await self.db.write(tx)

    def _version(self, conn: sqlite3.Connection, access: Access, version_id: int) -> sqlite3.Row:
        version = repo.version(conn, version_id)
        if version is None:
            raise PlanError(Why.NOT_FOUND)
        if not _may_work_on(access, version["administration_code"]):
            raise PlanError(Why.NOT_ALLOWED)
        return version

    async def transition(self, access: Access, version_id: int, action: str,
                         reason: str | None = None) -> Status:
        """Apply `action` (a PlanAction: submit, validate, return, activate, close); returns the
        new status."""
        if action not in TRANSITIONS:
            raise PlanError(Why.UNKNOWN_ACTION, action=action)
        action = PlanAction(action)  # the audit action is plan_<its value>
        rule = TRANSITIONS[action]
        reason = (reason or "").strip() or None
        if action == PlanAction.RETURN and reason is None:
            raise PlanError(Why.REASON_REQUIRED)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Status:
            version = self._version(conn, access, version_id)
            if rule.national and not _national(access):
                raise PlanError(Why.NOT_ALLOWED)
            if version["status"] not in rule.sources:
                raise PlanError(Why.ILLEGAL_TRANSITION, status=version["status"], action=action)
            if action == PlanAction.SUBMIT and not repo.lines(conn, version_id):
                raise PlanError(Why.NO_LINES)
            if action == PlanAction.VALIDATE:
                for other in repo.versions(conn, version["plan_id"]):
                    if other["id"] != version_id and other["status"] in (Status.VALIDATED, Status.ACTIVE):
                        repo.set_status(conn, other["id"], Status.SUPERSEDED, access.user_id, now)
            repo.set_status(conn, version_id, rule.target, access.user_id, now,
                            reason if action == PlanAction.RETURN else None)
            told = {"reason": reason} if action == PlanAction.RETURN else {}
            audit.record(conn, access.user_id, f"plan_{action}", f"plan:{version['plan_id']}", now,
                         version=version["number"], **told)
            if action in (PlanAction.VALIDATE, PlanAction.RETURN):
                _tell_focal_points(conn, version, rule.target, reason, now)
            return rule.target

        return await self.db.write(tx)

    async def new_version(self, access: Access, version_id: int) -> int:
        """A draft copying the lines (and linked sessions) of a returned, validated or active
        version, which stays as it is; returns the new version's id."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> int:
            return _revise(conn, access, self._version(conn, access, version_id), now)

        return await self.db.write(tx)

    async def version(self, access: Access, version_id: int) -> sqlite3.Row:
        return await self.db.read(self._version, access, version_id)

    async def plans(self, access: Access) -> list[sqlite3.Row]:
        """Each plan's latest version: every plan nationally, else the focal point's own."""
        if _national(access):
            return await self.db.read(repo.plans, None)
        if access.focal_administration is None:
            raise PlanError(Why.NOT_ALLOWED)
        return await self.db.read(repo.plans, access.focal_administration)

    async def history(self, access: Access, version_id: int) -> list[sqlite3.Row]:
        def read(conn: sqlite3.Connection) -> list[sqlite3.Row]:
            self._version(conn, access, version_id)
            return repo.events(conn, version_id)

        return await self.db.read(read)

    # --- lines ---------------------------------------------------------------------------------
    def _draft(self, conn: sqlite3.Connection, access: Access, version_id: int) -> sqlite3.Row:
        version = self._version(conn, access, version_id)
        if version["status"] != Status.DRAFT:
            raise PlanError(Why.NOT_EDITABLE, status=version["status"])
        return version

    async def add_line(self, access: Access, version_id: int, raw: dict) -> int:
        """Raises plan_lines.LineInvalid with every problem of the line, or PlanError."""
        def tx(conn: sqlite3.Connection) -> int:
            version = self._draft(conn, access, version_id)
            fields = plan_lines.check(conn, raw, version["start_year"], version["end_year"])
            return repo.add_line(conn, version_id, fields)

        return await self.db.write(tx)

    def _editable(self, conn: sqlite3.Connection, access: Access,
                  line_id: int) -> tuple[sqlite3.Row, sqlite3.Row]:
        """A line that may be edited, and its version: a draft's, or a returned latest version's
        (edited in a new version). A submitted, validated or active plan is not edited in place."""
        line = self._line(conn, line_id)
        version = self._version(conn, access, line["version_id"])
        latest = repo.versions(conn, version["plan_id"])[0]
        if version["status"] == Status.RETURNED and latest["id"] == version["id"]:
            return line, version
        if version["status"] != Status.DRAFT:
            raise PlanError(Why.NOT_EDITABLE, status=version["status"])
        return line, version

    async def editable_line(self, access: Access, line_id: int) -> tuple[sqlite3.Row, sqlite3.Row]:
        return await self.db.read(self._editable, access, line_id)

    async def update_line(self, access: Access, line_id: int, raw: dict, before: dict | None = None) -> int:
        """Change a line (every field checked again) with an audit entry of what changed, old →
        new. A returned plan's line is changed in a new draft version (the returned one stays
        as the national team saw it). Returns the version changed. `before`: the line as the
        editor opened it (`stored_line`); changed meanwhile by someone else, it is refused
        (changed_meanwhile) rather than their change silently undone."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> int:
            line, version = self._editable(conn, access, line_id)
            if before is not None and stored_line(line) != before:
                raise PlanError(Why.CHANGED_MEANWHILE)
            fields = plan_lines.check(conn, raw, version["start_year"], version["end_year"])
            target, version_id = line_id, version["id"]
            if version["status"] == Status.RETURNED:
                version_id = _revise(conn, access, version, now)
                target = _same_line(conn, version["id"], version_id, line_id)
            changes = {f: [line[f], fields[f]] for f in repo.LINE_FIELDS if line[f] != fields[f]}
            repo.update_line(conn, target, fields)
            audit.record(conn, access.user_id, "plan_line_edit", f"plan:{version['plan_id']}", now,
                         line=target, changes=changes)
            return version_id

        return await self.db.write(tx)

    async def delete_line(self, access: Access, line_id: int) -> None:
        def tx(conn: sqlite3.Connection) -> None:
            self._draft(conn, access, self._line(conn, line_id)["version_id"])
            repo.delete_line(conn, line_id)

        await self.db.write(tx)

    async def lines(self, access: Access, version_id: int) -> list[sqlite3.Row]:
        def read(conn: sqlite3.Connection) -> list[sqlite3.Row]:
            self._version(conn, access, version_id)
            return repo.lines(conn, version_id)

        return await self.db.read(read)

    @staticmethod
    def _line(conn: sqlite3.Connection, line_id: int) -> sqlite3.Row:
        line = repo.line(conn, line_id)
        if line is None:
            raise PlanError(Why.NOT_FOUND)
        return line

    # --- sessions serving lines --------------------------------------------------------------
    async def link(self, access: Access, line_id: int, session_id: int, linked: bool = True) -> bool:
        """Link a session to a line it serves (or unlink it); False if nothing changed."""
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> bool:
            line = self._line(conn, line_id)
            version = self._version(conn, access, line["version_id"])
            if version["status"] not in LINKABLE:
                raise PlanError(Why.NOT_EDITABLE, status=version["status"])
            if not repo.exists(conn, "sessions", "id", session_id):
                raise PlanError(Why.SESSION_UNKNOWN)
            changed = (repo.link if linked else repo.unlink)(conn, line_id, session_id)
            if changed:
                audit.record(conn, access.user_id, "plan_link" if linked else "plan_unlink",
                             f"plan:{version['plan_id']}", now, line=line_id, session=session_id)
            return changed

        return await self.db.write(tx)
