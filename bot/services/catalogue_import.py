"""Importing the catalogue workbook: check against the database, preview what will change, then
apply all of it or nothing, in one transaction. New sessions tell their interest list; moved
sessions tell their participants (as a change made in the chat does)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.catalogue import edit_sessions
from bot.services.workbook import Parsed, Problem
from bot.services.workbook_worker import read_in_worker
from bot.storage import audit, outbox
from bot.storage import catalogue as repo
from bot.storage import registrations as regs
from bot.storage.db import Database
from bot.text import fold
from bot.timeutil import Clock

TRAINING_FIELDS = ("title_fr", "title_ar", "description_fr", "description_ar", "theme_code",
                   "modality", "duration_hours", "level")
PARSE_LIMIT_S = 30.0  # the default of Settings.workbook_parse_seconds
PARALLEL_PARSES = 2  # each may take a core and ~0.6 GB; more coordinators wait their turn
SESSION_FIELDS = ("starts_at", "ends_at", "place_fr", "place_ar", "region_code", "online_url",
                  "capacity", "trainer_id", "registration_deadline", "needs_approval", "language")


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    new_trainings: list[str] = field(default_factory=list)
    changed_trainings: list[str] = field(default_factory=list)
    new_sessions: list[str] = field(default_factory=list)
    changed_sessions: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _plan(conn: sqlite3.Connection, parsed: Parsed) -> Plan:
    plan = Plan(list(parsed.problems))
    codes = {t["code"] for t in parsed.trainings}
    for t in parsed.trainings:
        row = conn.execute("SELECT * FROM trainings WHERE code = ?", (t["code"],)).fetchone()
        if row is None:
            plan.new_trainings.append(t["code"])
        elif any(row[f] != t[f] for f in TRAINING_FIELDS):
            plan.changed_trainings.append(t["code"])
        else:
            plan.unchanged += 1
    for s in parsed.sessions:
        known = s["training_code"] in codes or conn.execute(
            "SELECT 1 FROM trainings WHERE code = ?", (s["training_code"],)).fetchone()
        if not known:
            plan.problems.append(Problem("sessions", s["row"], "formation", "unknown_training",
                                         s["training_code"]))
            continue
        row = conn.execute("SELECT id FROM sessions WHERE reference = ?", (s["reference"],)).fetchone()
        if row is None:
            plan.new_sessions.append(s["reference"])
            continue
        current = repo.get_session(conn, row[0])
        if s["capacity"] < current.taken:
            plan.problems.append(Problem("sessions", s["row"], "capacite", "capacity_below",
                                         str(s["capacity"]), str(current.taken)))
        elif any(getattr(current, f) != s[f] for f in SESSION_FIELDS):
            plan.changed_sessions.append(s["reference"])
        else:
            plan.unchanged += 1
    return plan


class CatalogueImport:
    def __init__(self, db: Database, clock: Clock, reference_codes: Callable[[], tuple[set, set]],
                 on_session_change: Callable[[sqlite3.Connection, object, datetime], int],
                 on_seats: Callable[[sqlite3.Connection, int, datetime], None],
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.clock = clock
        self.reference_codes = reference_codes  # (themes, regions) known today
        self.on_session_change = on_session_change  # (conn, session before, now): tell participants
        self.on_seats = on_seats  # offers new seats to the waitlist
        self.on_change = on_change
        self._parsing = asyncio.Semaphore(PARALLEL_PARSES)

    async def parse(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> Parsed:
        """The workbook read in a worker process, off the event loop, stopped after limit_s."""
        themes, regions = self.reference_codes()
        async with self._parsing:
            return await read_in_worker(data, themes, regions, limit_s)

    async def preview(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> Plan:
        """Every problem at once (the sheets' and the database's), or what would change."""
        return await self.db.read_heavy(_plan, await self.parse(data, limit_s))

    async def apply(self, data: bytes, actor_id: int | None, limit_s: float = PARSE_LIMIT_S) -> Plan:
        """Check again and apply in one transaction: all of it, or nothing."""
        parsed = await self.parse(data, limit_s)
        if parsed.problems:
            return Plan(parsed.problems)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Plan:
            plan = _plan(conn, parsed)
            if not plan.ok:
                return plan
            ids = {}
            for t in parsed.trainings:
                text = fold(" ".join([t["code"], t["title_fr"], t["title_ar"], t["description_fr"],
                                      t["description_ar"]]))
                ids[t["code"]] = repo.upsert_training(
                    conn, now=now, search_text=text, **{k: t[k] for k in ("code", *TRAINING_FIELDS)})
            for s in parsed.sessions:
                training_id = ids.get(s["training_code"]) or conn.execute(
                    "SELECT id FROM trainings WHERE code = ?", (s["training_code"],)).fetchone()[0]
                before = conn.execute("SELECT id FROM sessions WHERE reference = ?",
                                      (s["reference"],)).fetchone()
                old = repo.get_session(conn, before[0]) if before else None
                fields = {k: s[k] for k in SESSION_FIELDS}
                sid = repo.upsert_session(conn, reference=s["reference"], training_id=training_id,
                                          now=now, **fields)
                if old is not None:
                    # A moved session tells its people as a change made in the chat does.
                    self.on_session_change(conn, old, now)
                if old is None:
                    for user_id in regs.interested(conn, training_id):
                        outbox.enqueue(conn, user_id, "new_session", {"session": sid},
                                       f"new_session:{sid}:{user_id}", now)
                elif s["capacity"] > old.capacity:
                    self.on_seats(conn, sid, now)
            audit.record(conn, actor_id, "catalogue_imported", None, now,
                         new_trainings=len(plan.new_trainings), changed_trainings=len(plan.changed_trainings),
                         new_sessions=len(plan.new_sessions), changed_sessions=len(plan.changed_sessions))
            return plan

        return await edit_sessions(self.db, self.on_change, tx)
