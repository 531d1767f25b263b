"""Fixtures: the real Application on the offline sandbox, a tmp database with the demo
programme, a clock that only moves when told, and people who chat with the bot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.i18n import translator
from bot.services.demo import seed_demo
from bot.timeutil import FrozenClock
from tgsandbox.client import BotClient
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday morning in Rabat (UTC+0)
ADMIN_ID = 500


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def server() -> FakeTelegram:
    return FakeTelegram()


async def start_app(server, clock, db_path, admins=frozenset({ADMIN_ID}), seed=True):
    for admin in admins:  # admins have opened the bot, so their command menus can be set
        server.add_user(admin, "Admin", started=True)
    # Tests drive the dispatcher and expiries by hand (drain), with time frozen.
    settings = Settings(token=server.token, db_path=db_path, admins=admins, background_jobs=False,
                        per_chat_interval_s=0, send_rate_per_s=0)
    app = build_application(settings, request=SandboxRequest(server), clock=clock,
                            rate_limiter=False)
    await app.initialize()
    await app.post_init(app)
    # The dispatcher's pacing reads and sleeps on the frozen clock: a RetryAfter pause moves
    # time forward instead of making the test wait.
    from bot.ratelimit import Pacer

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)

    app.bot_data.dispatcher.pacer = Pacer(0, 0, monotonic=lambda: clock.now().timestamp(),
                                          sleep=sleep)
    if seed:
        await app.bot_data.db.write(seed_demo, clock.now())
    return app


async def stop_app(app) -> None:
    await app.post_shutdown(app)
    await app.shutdown()


@pytest.fixture
async def app(request, server, clock, tmp_path):
    app = await start_app(server, clock, tmp_path / "bot.db")
    yield app
    await stop_app(app)
    if "telegram_errors_expected" not in request.keywords:
        # Whatever the person did, the bot never made a call real Telegram would refuse.
        refused = [f"{c.method}: {c.outcome}" for c in server.calls if not c.ok]
        assert not refused, refused


@pytest.fixture
def person(app, server):
    """person(user_id, language_code) -> a BotClient for someone writing to the bot."""

    def make(user_id: int = 1001, language_code: str | None = "fr", first_name: str = "Amina"):
        return BotClient(app, server, user_id=user_id, first_name=first_name,
                         language_code=language_code)

    return make


PROFILE = {
    "full_name": "Amina El Idrissi", "sex": "F", "administration_code": "MEF",
    "level": "territorial", "region_code": "RSK", "position_code": "cadre",
}


async def onboard(app, user_id: int, language: str = "fr", **fields) -> None:
    """Give someone a finished profile directly (for tests about what comes after)."""
    data = {**PROFILE, **fields, "language": language}
    await app.bot_data.people.complete_onboarding(user_id, data)


@pytest.fixture
def fr():
    return translator("fr")


@pytest.fixture
def ar():
    """Arabic as PROFILE's person reads it: a woman (messages that address her agree)."""
    return translator("ar", "F")


async def db_row(app, sql: str, *params):
    return await app.bot_data.db.read(lambda c: c.execute(sql, params).fetchone())


async def drain(app):
    """Send what the outbox holds (the background loop is off in tests)."""
    return await app.bot_data.dispatcher.drain()


async def make_session(app, reference: str, *, capacity: int = 10, starts_in_hours: float = 24 * 10,
                       hours: float = 7, needs_approval: bool = False, training: str = "CYB-101",
                       deadline_in_hours: float | None = None, status: str = "published") -> int:
    """A session of a demo training, at a time relative to the test clock."""
    from datetime import timedelta

    from bot.storage import catalogue

    now = app.bot_data.clock.now()
    start = now + timedelta(hours=starts_in_hours)

    def tx(conn):
        training_id = conn.execute("SELECT id FROM trainings WHERE code = ?", (training,)).fetchone()[0]
        return catalogue.upsert_session(
            conn, reference=reference, training_id=training_id, starts_at=start,
            ends_at=start + timedelta(hours=hours), place_fr="Institut national, Rabat",
            place_ar="المعهد الوطني، الرباط", region_code="RSK", capacity=capacity,
            needs_approval=needs_approval, status=status, now=now,
            registration_deadline=(now + timedelta(hours=deadline_in_hours)
                                   if deadline_in_hours is not None else None))

    return await app.bot_data.db.write(tx)


async def grant(app, user_id: int, role: str, administration: str | None = None) -> None:
    from bot.storage import users

    await app.bot_data.db.write(users.grant, user_id, role, administration, None,
                                app.bot_data.clock.now())


async def coordinator_managing(app, person, user_id: int, session_id: int):
    """A national coordinator (speaking French) on the management menu of a session."""
    await onboard(app, user_id, "fr")
    await grant(app, user_id, "coordinator")
    c = person(user_id, "fr")
    await c.start(f"s_{session_id}")
    await c.click(translator("fr")._("🛠 Manage this session"))
    return c
