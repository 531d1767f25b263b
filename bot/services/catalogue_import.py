"""Importing the catalogue workbook: check against the database, preview what will change (field
by field, bot/services/catalogue_plan.py), then apply all of it or nothing, in one transaction.
Only what changes is written: a blank cell leaves a stored value alone. New sessions tell their
interest list; moved sessions tell their participants, and a new trainer and the one replaced are
told (as a change made in the chat does)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.services import catalogue_quotas as reserved
from bot.services.catalogue import edit_sessions
from bot.services.catalogue_export import catalogue_rows, reference_rows
from bot.services.catalogue_plan import SESSION_FIELDS, TRAINING_FIELDS, Plan, plan
from bot.services.catalogue_prc import Known, apply_prc, plan_prc
from bot.services.catalogue_refs import apply_refs, plan_changes, plan_refs
from bot.services.sessions import tell_trainers
from bot.services.workbook import Parsed
from bot.services.workbook_worker import read_in_worker
from bot.storage import audit, outbox, trainer_codes
from bot.storage import catalogue as repo
from bot.storage import registrations as regs
from bot.storage.db import Database
from bot.text import fold
from bot.timeutil import Clock

PARSE_LIMIT_S = 30.0  # the default of Settings.workbook_parse_seconds
PARALLEL_PARSES = 2  # each may take a core and ~0.6 GB; more coordinators wait their turn
__all__ = ["CatalogueImport", "Plan", "PARSE_LIMIT_S"]


def _names(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Code, French name and Arabic name → code (the workbook accepts any of them)."""
    out = {}
    for code, name_fr, name_ar in conn.execute(f"SELECT code, name_fr, name_ar FROM {table}"):
        out.update({name_fr: code, name_ar: code, code: code})
    return out


def whole_plan(conn: sqlite3.Connection, parsed: Parsed, now: datetime) -> Plan:
    """The catalogue's plan, then the optional sheets' (reference lists, plan lines)."""
    done = plan(conn, parsed, now)
    new = plan_refs(conn, parsed.references, done)
    trainings = {t["code"]: t.get("theme_code") for t in parsed.trainings}
    plan_prc(conn, parsed.plan_lines, Known(conn, new, trainings), done)
    return done


class CatalogueImport:
    def __init__(self, db: Database, clock: Clock, reference_codes: Callable[[], tuple[set, set]],
                 on_session_change: Callable[[sqlite3.Connection, object, datetime], int],
                 on_seats: Callable[[sqlite3.Connection, int, datetime], None],
                 on_change: Callable[[], None] = lambda: None,
                 on_reference: Callable[[], Awaitable[None]] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.reference_codes = reference_codes  # (themes, regions) known today
        self.on_session_change = on_session_change  # (conn, session before, now): tell participants
        self.on_seats = on_seats  # offers new seats to the waitlist
        self.on_change = on_change
        self.on_reference = on_reference  # reloads the reference lists held in memory
        self._parsing = asyncio.Semaphore(PARALLEL_PARSES)

    async def parse(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> Parsed:
        """The workbook read in a worker process, off the event loop, stopped after limit_s."""
        theme_codes, region_codes = self.reference_codes()
        names = await self.db.read(lambda conn: (_names(conn, "themes"), _names(conn, "regions")))
        themes = {k: v for k, v in names[0].items() if v in theme_codes}
        regions = {k: v for k, v in names[1].items() if v in region_codes}
        async with self._parsing:
            return await read_in_worker(data, themes, regions, limit_s)

    async def preview(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> Plan:
        """Every problem at once (the sheets' and the database's), or what would change."""
        return await self.db.read_heavy(whole_plan, await self.parse(data, limit_s), self.clock.now())

    async def export(self) -> tuple[list[list], list[list], list[list]]:
        """The current catalogue as workbook rows (trainings, sessions to come) and the codes."""
        return await self.db.read_heavy(lambda conn: (*catalogue_rows(conn, self.clock.now()),
                                                      reference_rows(conn)))

    async def reference(self) -> list[list]:
        return await self.db.read(reference_rows)

    async def trainer_codes(self) -> dict[int, str]:
        return await self.db.read(trainer_codes.codes)

    async def apply(self, data: bytes, actor_id: int | None, limit_s: float = PARSE_LIMIT_S) -> Plan:
        """Check again and apply in one transaction: all of it, or nothing."""
        parsed = await self.parse(data, limit_s)
        if parsed.problems:
            return Plan(parsed.problems)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> Plan:
            done = whole_plan(conn, parsed, now)
            if not done.ok:
                return done
            references = apply_refs(conn, done.changes)
            for c in done.changes:
                if c.kind == "training":
                    v = c.values
                    text = fold(" ".join([c.key, v["title_fr"], v["title_ar"], v["description_fr"],
                                          v["description_ar"]]))
                    repo.upsert_training(conn, code=c.key, now=now, search_text=text,
                                         **{k: v[k] for k in TRAINING_FIELDS})
            for c in done.changes:
                if c.kind == "session":
                    self._session(conn, c, now)
            lines = apply_prc(conn, done.changes, actor_id, now)
            audit.record(conn, actor_id, "catalogue_imported", None, now,
                         new_trainings=len(done.keys("training", True)),
                         changed_trainings=len(done.keys("training", False)),
                         new_sessions=len(done.keys("session", True)),
                         changed_sessions=len(done.keys("session", False)),
                         **({"new_plan_lines": lines} if lines else {}),
                         **({"reference_changes": references} if references else {}))
            return done

        done = await edit_sessions(self.db, self.on_change, tx)
        if done.ok and plan_changes(done) and self.on_reference is not None:
            await self.on_reference()
        return done

    def _session(self, conn: sqlite3.Connection, c, now: datetime) -> None:
        v = c.values
        training_id = conn.execute("SELECT id FROM trainings WHERE code = ?",
                                   (v["training_code"],)).fetchone()[0]
        found = conn.execute("SELECT id FROM sessions WHERE reference = ?", (c.key,)).fetchone()
        old = repo.get_session(conn, found[0]) if found else None
        sid = repo.upsert_session(conn, reference=c.key, training_id=training_id, now=now,
                                  status=old.status if old else "published",
                                  **{k: v[k] for k in SESSION_FIELDS if k != "training_code"})
        # A new or changed trainer is told, as a change made in the chat does.
        tell_trainers(conn, sid, old.trainer_id if old else None, now)
        if v.get("quotas") is not None:
            reserved.write(conn, sid, v["quotas"])
            if old is not None:
                self.on_seats(conn, sid, now)  # places a smaller reservation frees
        if old is None:
            for user_id in regs.interested(conn, training_id):
                outbox.enqueue(conn, user_id, "new_session", {"session": sid},
                               f"new_session:{sid}:{user_id}", now)
            return
        # A moved session tells its people as a change made in the chat does.
        self.on_session_change(conn, old, now)
        if v["capacity"] > old.capacity:
            self.on_seats(conn, sid, now)
