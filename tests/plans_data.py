"""Test data for the people indicators and the plans: a migrated database (no bot), people,
trainings, sessions and attendance inserted as plain rows, and an erasure through the real
privacy service. Expected figures are computed by the tests from the rows inserted here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.compose import build_services
from bot.config import Settings
from bot.services.access import Access
from bot.storage.catalogue import upsert_session
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import FrozenClock, to_db

NOW = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
NATIONAL = Access(user_id=90, national=True)
MEF_FOCAL = Access(user_id=91, focal_administration="MEF")
MJ_FOCAL = Access(user_id=92, focal_administration="MJ")
# (code, theme, modality, duration hours or None, level)
TRAININGS = [("P-CYB", "CYBER", "presentiel", 14.0, "tous"), ("P-DATA", "DATA", "distanciel", 7.0, "tous"),
             ("P-IA", "IA", "hybride", None, "operationnel"), ("P-BUR", "BUREAU", "presentiel", 21.0, "tous")]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def db(tmp_path):
    db = await Database.open(tmp_path / "plans.db")
    await migrate(db)
    yield db
    await db.close()


async def trainings(db: Database) -> dict[str, int]:
    def tx(conn):
        ids = {}
        for code, theme, modality, hours, level in TRAININGS:
            ids[code] = conn.execute(
                "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, duration_hours,"
                " level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (code, code, code, theme, modality, hours, level, to_db(NOW), to_db(NOW))).fetchone()[0]
        return ids

    return await db.write(tx)


async def people(db: Database, rows: list[tuple]) -> None:
    """(id, sex, administration, level, region, position)."""
    def tx(conn):
        conn.executemany(
            "INSERT INTO users (id, language, full_name, sex, administration_code, level, region_code,"
            " position_code, consent_at, onboarded_at, created_at, updated_at)"
            " VALUES (?, 'fr', 'Agent', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, to_db(NOW), to_db(NOW), to_db(NOW), to_db(NOW)) for r in rows])

    await db.write(tx)


async def session(db: Database, reference: str, training_id: int, starts: datetime,
                  hours: float = 7, status: str = "published") -> int:
    return await db.write(lambda conn: upsert_session(
        conn, reference=reference, training_id=training_id, starts_at=starts,
        ends_at=starts + timedelta(hours=hours), capacity=100, status=status, now=NOW))


async def attend(db: Database, session_id: int, user_statuses: list[tuple[int, str]]) -> None:
    def tx(conn):
        conn.executemany(
            "INSERT INTO registrations (session_id, user_id, status, seq, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(session_id, u, s, i, to_db(NOW), to_db(NOW)) for i, (u, s) in enumerate(user_statuses, 1)])

    await db.write(tx)


async def erase(db: Database, clock: FrozenClock, user_id: int) -> None:
    services = await build_services(Settings(db_path=db.path), clock, db)
    assert await services.privacy.erase(user_id) is not None


async def rows(db: Database, sql: str, *params) -> list[tuple]:
    return [tuple(r) for r in await db.read(lambda c: c.execute(sql, params).fetchall())]
