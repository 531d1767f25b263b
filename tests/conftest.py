"""Fixtures: the real Application on the offline sandbox, a tmp database with the demo
programme, a clock that only moves when told, and people who chat with the bot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.i18n import translator
from bot.sandbox.client import BotClient
from bot.sandbox.request import SandboxRequest
from bot.sandbox.server import FakeTelegram
from bot.services.demo import seed_demo
from bot.timeutil import FrozenClock

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
    settings = Settings(token=server.token, db_path=db_path, admins=admins)
    app = build_application(settings, request=SandboxRequest(server), clock=clock,
                            rate_limiter=False)
    await app.initialize()
    await app.post_init(app)
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
    return translator("ar")


async def db_row(app, sql: str, *params):
    return await app.bot_data.db.read(lambda c: c.execute(sql, params).fetchone())
