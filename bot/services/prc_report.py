"""Semi-annual reports of the competence plans (issue 16): issuing and freezing them, who may
ask for which, the focal point's commentary, and telling the focal points and the national team.

A report of a semester that has ended is *issued* the first time it is asked for: its figures
(bot/services/prc_figures.py) are stored as a JSON snapshot, and every later request reads that
snapshot back, so the files are byte-identical whatever happens afterwards (an erasure, a late
attendance record, a renamed theme). A report of a semester still running is *provisional*:
computed each time, never stored, and marked so. The commentary may be written until the report
is issued; issuing queues the files to the administration's focal points and the national team.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from bot.services import prc_figures
from bot.services.access import Access
from bot.services.periods import PeriodError, semester
from bot.storage import outbox
from bot.storage import prc_reports as repo
from bot.storage.db import Database
from bot.storage.roles import national_coordinators
from bot.timeutil import Clock

NATIONAL = repo.NATIONAL
COMMENTARY = ("achievements", "difficulties", "actions")
COMMENTARY_MAX = 2000  # characters per text
FORMATS = ("pdf", "xlsx")


class ReportError(ValueError):
    """A request refused; `code` says why (the UI and the CLI localise it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Report:
    snapshot: dict
    report_id: int | None  # None: provisional (the semester is not over)
    new: bool = False  # issued by this request

    @property
    def provisional(self) -> bool:
        return self.report_id is None


def encode(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def allowed(access: Access, scope: str) -> bool:
    """A focal point: their administration's report; the national team: every report."""
    return access.admin or access.national or (scope != NATIONAL and access.focal_administration == scope)


def _check(code: str) -> str:
    try:
        return semester(code).label
    except PeriodError:
        raise ReportError("semester_invalid") from None


class ReportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def _build(self, conn: sqlite3.Connection, scope: str, code: str, now) -> dict:
        if scope == NATIONAL:
            return prc_figures.national(conn, code, now)
        if scope not in repo.names(conn, "administrations"):
            raise ReportError("administration_unknown")
        try:
            return prc_figures.administration(conn, scope, code, now)
        except prc_figures.NoPlan:
            raise ReportError("no_plan") from None

    async def report(self, access: Access, scope: str, code: str) -> Report:
        """The issued report, issuing it if the semester is over; else a provisional one."""
        code = _check((code or "").strip().upper())
        scope = (scope or "").strip().upper() if scope != NATIONAL else scope
        if not allowed(access, scope):
            raise ReportError("not_allowed")
        now = self.clock.now()
        if now < semester(code).end:
            snapshot = await self.db.read_heavy(self._build, scope, code, now)
            return Report(json.loads(encode({**snapshot, "provisional": True})), None)

        def tx(conn: sqlite3.Connection) -> Report:
            found = repo.issued(conn, scope, code)
            if found is not None:
                return Report(json.loads(found["snapshot"]), found["id"])
            snapshot = encode(self._build(conn, scope, code, now))
            report_id = repo.store(conn, scope, code, snapshot, access.user_id or None, now)
            self._tell(conn, report_id, scope, code, access.user_id, now)
            return Report(json.loads(snapshot), report_id, new=True)

        return await self.db.write(tx)

    @staticmethod
    def _tell(conn: sqlite3.Connection, report_id: int, scope: str, code: str, actor: int | None,
              now) -> None:
        """The files go to the focal points of the administration and to the national team
        (not to whoever issued it: they have the files already)."""
        people = set(national_coordinators(conn))
        if scope != NATIONAL:
            people |= set(repo.focal_points(conn, scope))
        people.discard(actor)
        outbox.enqueue_many(conn, [
            (uid, "prc_report", {"report": report_id, "format": fmt},
             f"prc_report:{report_id}:{uid}:{fmt}", now, False)
            for uid in sorted(people) for fmt in FORMATS], now)

    async def stored(self, report_id: int) -> tuple[str, str, dict] | None:
        """(scope, semester, snapshot) of an issued report, for the outbox renderer."""
        row = await self.db.read(repo.report, report_id)
        return (row["scope"], row["semester"], json.loads(row["snapshot"])) if row else None

    # --- the commentary ------------------------------------------------------------------------
    async def save_commentary(self, access: Access, administration: str, code: str, texts: dict) -> None:
        """The three texts; refused once the report is issued (it would not be in it)."""
        code = _check(code)
        if access.focal_administration != administration and not (access.admin or access.national):
            raise ReportError("not_allowed")
        clean = {k: (texts.get(k) or "").strip() for k in COMMENTARY}
        if not all(clean.values()):
            raise ReportError("commentary_empty")
        if any(len(v) > COMMENTARY_MAX for v in clean.values()):
            raise ReportError("commentary_too_long")
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> None:
            if repo.issued(conn, administration, code) is not None:
                raise ReportError("already_issued")
            repo.save_commentary(conn, administration, code, clean, access.user_id, now)

        await self.db.write(tx)

    async def awaits_commentary(self, administration: str, code: str) -> bool:
        """Whether the commentary is still wanted: none written and the report not issued."""
        def read(conn: sqlite3.Connection) -> bool:
            return (repo.commentary(conn, administration, code) is None
                    and repo.issued(conn, administration, code) is None)

        return await self.db.read(read)
