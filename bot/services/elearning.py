"""E-learning modules (issue 17): a training followed on the learning platform carries its link
(`trainings.elearning_url`) and estimated hours (`duration_hours`); completion is recorded per
person, imported from the platform's CSV export — matched by the learner code each official sees
in /profile — or said by the person ('self') and confirmed by a trainer. A weekly nudge goes to
whoever booked a path and has not finished its e-learning modules."""

from __future__ import annotations

import csv
import io
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.links import valid_link
from bot.services.outcomes import Completion
from bot.storage.db import Database
from bot.timeutil import Clock, from_local, to_db

# No 0/O, 1/I/L: read aloud or copied by hand without doubt. 31^6 ≈ 900 million codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y")


@dataclass(frozen=True)
class ImportReport:
    recorded: int = 0
    already: int = 0
    unknown_learners: list[tuple[int, str]] = field(default_factory=list)  # (line, code)
    unknown_modules: list[tuple[int, str]] = field(default_factory=list)
    bad_dates: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Unfinished:
    user_id: int
    training_id: int
    title_fr: str
    title_ar: str
    url: str


def _date(text: str) -> datetime | None:
    """A completion time as the platform writes it, in Moroccan wall-clock time."""
    for fmt in _DATE_FORMATS:
        try:
            return from_local(datetime.strptime(text.strip(), fmt))
        except ValueError:
            continue
    return None


def _rows(text: str) -> list[list[str]]:
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), dialect)]


def learner_code(conn: sqlite3.Connection, user_id: int) -> str | None:
    """The person's learner code, made on first use (None for someone who is not a user)."""
    row = conn.execute("SELECT learner_code FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None or row[0]:
        return row[0] if row else None
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if conn.execute("SELECT 1 FROM users WHERE learner_code = ?", (code,)).fetchone() is None:
            conn.execute("UPDATE users SET learner_code = ? WHERE id = ?", (code, user_id))
            return code


class ElearningService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def learner_code(self, user_id: int) -> str | None:
        return await self.db.write(learner_code, user_id)

    async def set_module(self, training_id: int, url: str | None) -> None:
        """Make a training an e-learning module with its link (None: no longer one)."""
        link = valid_link(url) if url else None
        await self.db.write(lambda c: c.execute(
            "UPDATE trainings SET elearning_url = ? WHERE id = ?", (link, training_id)))

    async def import_csv(self, text: str) -> ImportReport:
        """Record completions from the platform's export (learner code, module code, completed
        at; a header line is skipped). Unknown codes and unreadable dates are reported by line
        and skipped; the rest is recorded in one transaction."""
        now = self.clock.now()
        rows = _rows(text.lstrip("\ufeff"))
        return await self.db.write(self._import, rows, now)

    def _import(self, conn: sqlite3.Connection, rows: list[list[str]], now: datetime) -> ImportReport:
        counts = {Completion.RECORDED: 0, Completion.ALREADY: 0}
        learners, modules, dates = [], [], []
        for line, row in enumerate(rows, 1):
            if not any(row):
                continue
            learner, module, when = (row + ["", "", ""])[:3]
            completed = _date(when)
            if line == 1 and completed is None:
                continue  # the header
            user = conn.execute("SELECT id FROM users WHERE learner_code = ?",
                                (learner.upper(),)).fetchone()
            training = conn.execute("SELECT id FROM trainings WHERE code = ? COLLATE NOCASE",
                                    (module,)).fetchone()
            if user is None:
                learners.append((line, learner))
            elif training is None:
                modules.append((line, module))
            elif completed is None:
                dates.append((line, when))
            else:
                counts[self._record(conn, user[0], training[0], completed, "import", now)] += 1
        return ImportReport(counts[Completion.RECORDED], counts[Completion.ALREADY], learners, modules, dates)

    @staticmethod
    def _record(conn: sqlite3.Connection, user_id: int, training_id: int, completed: datetime,
                source: str, now: datetime) -> Completion:
        """recorded, or already (complete before: the first completion is kept)."""
        changed = conn.execute(
            """INSERT INTO elearning_completion (user_id, training_id, completed_at, source,
                   recorded_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (user_id, training_id) DO UPDATE SET completed_at = excluded.completed_at,
                   source = excluded.source, recorded_at = excluded.recorded_at
               WHERE elearning_completion.source = 'self'""",
            (user_id, training_id, to_db(completed), source, to_db(now))).rowcount
        return Completion.RECORDED if changed else Completion.ALREADY

    async def declare(self, user_id: int, training_id: int) -> Completion:
        """The person says they finished: recorded as 'self', awaiting a trainer's confirmation."""
        now = self.clock.now()
        return await self.db.write(lambda c: Completion.RECORDED if c.execute(
            "INSERT OR IGNORE INTO elearning_completion (user_id, training_id, completed_at, source,"
            " recorded_at) VALUES (?, ?, ?, 'self', ?)",
            (user_id, training_id, to_db(now), to_db(now))).rowcount else Completion.ALREADY)

    async def confirm(self, user_id: int, training_id: int) -> bool:
        """A trainer confirms a person's declaration (the caller checked the role)."""
        now = self.clock.now()
        return await self.db.write(lambda c: c.execute(
            "UPDATE elearning_completion SET source = 'confirmed_by_trainer', recorded_at = ?"
            " WHERE user_id = ? AND training_id = ? AND source = 'self'",
            (to_db(now), user_id, training_id)).rowcount == 1)

    async def unfinished(self) -> list[Unfinished]:
        """For the weekly nudge: the e-learning modules of the paths people booked, not
        complete and not declared (a declaration awaits its confirmation, not a nudge)."""
        rows = await self.db.read(lambda c: c.execute(
            """SELECT DISTINCT m.user_id, t.id, t.title_fr, t.title_ar, t.elearning_url
                 FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id
                 JOIN path_modules pm ON pm.path_id = c.path_id
                 JOIN trainings t ON t.id = pm.training_id AND t.elearning_url IS NOT NULL
                WHERE m.status = 'booked' AND NOT EXISTS (SELECT 1 FROM elearning_completion e
                       WHERE e.user_id = m.user_id AND e.training_id = t.id)
                ORDER BY m.user_id, pm.position""").fetchall())
        return [Unfinished(*r) for r in rows]
