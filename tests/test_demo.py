"""The demo programme: enough variety for every screen, deterministic, and idempotent."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.demo import seed_demo
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.text import fold
from bot.timeutil import from_db, to_local

NOW = datetime(2026, 10, 7, 10, 30, tzinfo=UTC)  # a Wednesday, after the move to UTC+0
ARABIC = re.compile("[\u0600-\u06ff]")

TABLES = ("users", "roles", "trainings", "sessions", "registrations")


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "demo.sqlite3")
    await migrate(database)
    yield database
    await database.close()


def _snapshot(conn):
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES}


def _seats(conn):
    return conn.execute(
        """SELECT s.reference, s.capacity, s.status, s.ends_at, s.starts_at,
                  (SELECT COUNT(*) FROM registrations r
                    WHERE r.session_id = s.id AND r.status = 'confirmed') AS confirmed
             FROM sessions s"""
    ).fetchall()


# Every weekday: sessions are moved to working days, which must not turn a past one into an
# upcoming one or close an upcoming one's registrations.
@pytest.mark.parametrize("now", [NOW + timedelta(days=d, hours=13 * d) for d in range(7)])
async def test_demo_programme_has_every_case(db, now):
    counts = await db.write(seed_demo, now)
    assert counts["trainings"] >= 12 and counts["sessions"] >= 30

    def check(conn):
        q = lambda sql, *a: conn.execute(sql, a).fetchall()  # noqa: E731
        assert q("SELECT COUNT(*) FROM administrations")[0][0] >= 8
        assert q("SELECT COUNT(*) FROM trainings")[0][0] >= 12
        modalities = {r[0] for r in q("SELECT DISTINCT modality FROM trainings")}
        assert modalities == {"presentiel", "distanciel", "hybride", "coaching", "voyage_etude"}
        assert {r[0] for r in q("SELECT DISTINCT level FROM trainings")} == {
            "strategique",
            "operationnel",
            "tous",
        }
        kinds = {
            r[0]
            for r in q(
                "SELECT DISTINCT th.kind FROM trainings t JOIN themes th ON th.code = t.theme_code"
            )
        }
        assert kinds == {"strategique", "operationnel"}
        assert q("SELECT COUNT(DISTINCT theme_code) FROM trainings")[0][0] == 7

        for row in q("SELECT * FROM trainings"):
            for field in ("title_fr", "title_ar", "description_fr", "description_ar"):
                assert row[field].strip(), (row["code"], field)
            assert ARABIC.search(row["title_ar"]) and ARABIC.search(row["description_ar"])
            assert row["search_text"] == fold(
                f"{row['code']} {row['title_fr']} {row['title_ar']}"
                f" {row['description_fr']} {row['description_ar']}"
            )

        sessions = _seats(conn)
        now_db = now.strftime("%Y-%m-%d %H:%M:%S")
        assert len(sessions) >= 30
        assert all(s["ends_at"] > s["starts_at"] for s in sessions)
        assert len([s for s in sessions if s["ends_at"] < now_db]) >= 3
        assert len([s for s in sessions if s["status"] == "cancelled"]) >= 1
        upcoming = [s for s in sessions if s["starts_at"] > now_db and s["status"] == "published"]
        assert len([s for s in upcoming if s["capacity"] - s["confirmed"] == 1]) >= 2
        assert len([s for s in upcoming if s["capacity"] == s["confirmed"]]) >= 1
        assert all(s["confirmed"] <= s["capacity"] for s in sessions)
        assert all(10 <= s["capacity"] <= 30 for s in sessions)

        online = q(
            "SELECT s.online_url, s.region_code, t.modality FROM sessions s"
            " JOIN trainings t ON t.id = s.training_id WHERE s.online_url IS NOT NULL"
        )
        assert online and all(o["online_url"].startswith("https://") for o in online)
        assert all(o["region_code"] is None for o in online if o["modality"] == "distanciel")
        assert q("SELECT COUNT(DISTINCT region_code) FROM sessions")[0][0] >= 5
        assert q("SELECT COUNT(*) FROM sessions WHERE needs_approval = 1")[0][0] >= 1
        deadlines = q(
            "SELECT registration_deadline FROM sessions WHERE starts_at > ?"
            " AND registration_deadline IS NOT NULL",
            now_db,
        )
        assert deadlines and all(d[0] > now_db for d in deadlines)
        # Moroccan wall-clock (sessions before 2026-09-20 were still at UTC+1)
        hours = {to_local(from_db(s["starts_at"])).strftime("%H:%M") for s in sessions}
        assert hours <= {"09:00", "14:00"}
        last = max(s["starts_at"] for s in sessions)
        assert last <= (now + timedelta(days=125)).strftime("%Y-%m-%d")
        assert {r[0] for r in q("SELECT DISTINCT language FROM sessions")} == {"fr", "ar", "fr+ar"}

        # past sessions carry attendance, not bare confirmations
        past_states = {
            r[0]
            for r in q(
                "SELECT DISTINCT r.status FROM registrations r JOIN sessions s ON s.id = r.session_id"
                " WHERE s.ends_at < ?",
                now_db,
            )
        }
        assert past_states == {"attended", "absent"}

        trainers = q("SELECT user_id FROM roles WHERE role = 'trainer'")
        assert len(trainers) == 4
        assigned = q(
            "SELECT COUNT(*) FROM sessions WHERE trainer_id IN"
            " (SELECT user_id FROM roles WHERE role = 'trainer')"
        )[0][0]
        assert assigned > len(sessions) / 2
        sexes = {r[0] for r in q("SELECT DISTINCT sex FROM users")}
        assert sexes == {"F", "M"}
        assert all(990_000_001 <= r[0] < 991_000_000 for r in q("SELECT id FROM users"))

    await db.read(check)


async def test_seeding_twice_changes_nothing(db):
    first = await db.write(seed_demo, NOW)
    before = await db.read(_snapshot)
    second = await db.write(seed_demo, NOW)
    after = await db.read(_snapshot)
    assert first == second
    assert before == after


async def test_seed_is_deterministic_across_databases(tmp_path, db):
    await db.write(seed_demo, NOW)
    other = await Database.open(tmp_path / "other.sqlite3")
    try:
        await migrate(other)
        await other.write(seed_demo, NOW)
        assert await db.read(_snapshot) == await other.read(_snapshot)
    finally:
        await other.close()
