"""Ours: the real Application (build_application) on the sandbox, with an on-disk SQLite
database in a temporary directory, the demo programme, and people onboarded directly."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.services.demo import seed_demo
from bot.timeutil import Clock
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

# A finished profile; only the language changes from one person to the next.
PROFILE = {
    "full_name": "Amina El Idrissi", "sex": "F", "administration_code": "MEF",
    "level": "territorial", "region_code": "RSK", "position_code": "cadre",
}
ARABIC_NAME = "يوسف بنعلي"


@asynccontextmanager
async def real_app(server: FakeTelegram, workdir: Path, **overrides: Any) -> AsyncIterator[Application]:
    """The bot as `etamkeen run` builds it, minus our own rate limiter (the sandbox has none
    either), started the way PTB starts it, seeded with the demo programme. `overrides` are
    Settings fields (e.g. background_jobs=False for a workload that drives the outbox itself)."""
    settings = Settings(token=server.token, db_path=workdir / "bench.db", **overrides)
    app = build_application(settings, request=SandboxRequest(server), clock=Clock(),
                            rate_limiter=False)
    await app.initialize()
    await app.post_init(app)
    try:
        await app.bot_data.db.write(seed_demo, app.bot_data.clock.now())
        yield app
    finally:
        await app.post_shutdown(app)
        await app.shutdown()


async def onboard(app: Application, people: Iterable[tuple[int, str]]) -> None:
    """Give each (user id, language) a finished profile, as the end of onboarding does."""
    for user_id, language in people:
        name = ARABIC_NAME if language == "ar" else PROFILE["full_name"]
        await app.bot_data.people.complete_onboarding(
            user_id, {**PROFILE, "full_name": name, "language": language})


async def session_ids(app: Application) -> list[int]:
    """Ids of the sessions a shared link may point to (published or cancelled, past or not)."""
    rows = await app.bot_data.db.read(
        lambda c: c.execute("SELECT id FROM sessions WHERE status != 'draft' ORDER BY id").fetchall())
    return [row[0] for row in rows]
