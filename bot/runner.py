"""Running the bot for real: long polling or a webhook, a graceful stop on SIGTERM, one clear line
when another instance polls the same token, and the database upgraded (after a backup) first.

PTB's run_polling / run_webhook own the event loop and the signals; this does the same steps in
the same order (initialize, post_init, updater, start ... updater.stop, stop, shutdown,
post_shutdown) as a coroutine, so the tests drive exactly what `etamkeen run` runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from urllib.parse import urlsplit

from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.backup import backup_before_upgrade
from bot.config import ConfigError, Settings
from bot.storage.db import Database
from bot.storage.migrations import LATEST, migrate

log = logging.getLogger("etamkeen")

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
EXIT_CONFLICT = 4
POLL_TIMEOUT_S = 10
# Conflicts further apart than this are separate episodes: polling worked in between (PTB
# retries a failed getUpdates after at most 30 s, and a long poll lasts POLL_TIMEOUT_S).
CONFLICT_EPISODE_GAP_S = 30 + POLL_TIMEOUT_S + 5


class ConflictWatch:
    """Telegram answers 409 to getUpdates while another instance polls with the same token.
    Just after a restart the old instance's long poll may linger a few seconds, so a short
    conflict is normal; one that lasts longer than the grace period means a second instance."""

    def __init__(self, grace_s: float, monotonic=time.monotonic) -> None:
        self.grace_s = grace_s
        self.monotonic = monotonic
        self.first: float | None = None
        self.last: float | None = None
        self.tripped = asyncio.Event()

    def saw(self, error: TelegramError) -> bool:
        """Note an error of the polling loop; True if it was a conflict."""
        if not isinstance(error, Conflict):
            return False
        now = self.monotonic()
        if self.last is None or now - self.last > CONFLICT_EPISODE_GAP_S:
            self.first = now
            log.warning("409 Conflict from getUpdates: another instance may be polling with this "
                        "token; giving up if it lasts %.0f s", self.grace_s)
        self.last = now
        if now - self.first >= self.grace_s:
            self.tripped.set()
        return True


def webhook_options(settings: Settings) -> dict:
    """start_webhook's arguments from the settings; refuse an incomplete configuration."""
    if not settings.webhook_url:
        raise ConfigError("webhook mode needs ETAMKEEN_WEBHOOK_URL (the public https:// address "
                          "Telegram will call)")
    if not settings.webhook_secret:
        raise ConfigError("webhook mode needs ETAMKEEN_WEBHOOK_SECRET: without it anyone who "
                          "finds the address could send the bot forged updates")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        # The reverse proxy forwards the public path unchanged.
        "url_path": urlsplit(settings.webhook_url).path or "/",
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
        "bootstrap_retries": 3,
    }


async def serve(app: Application, settings: Settings, *, webhook: bool = False,
                stop: asyncio.Event | None = None, signals: bool = True) -> int:
    """Run until SIGTERM/SIGINT (or `stop`), then stop gracefully; return the exit code."""
    options = webhook_options(settings) if webhook else None
    stop = stop or asyncio.Event()
    watch = ConflictWatch(settings.conflict_grace_s)
    loop = asyncio.get_running_loop()
    caught: list[str] = []
    if signals:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda s=sig: (caught.append(s.name), stop.set()))

    def polling_error(error: TelegramError) -> None:
        if not watch.saw(error):  # anything else goes to the error handler, as run_polling does
            app.create_task(app.process_error(error=error, update=None))

    code = 0
    try:
        await app.initialize()
        try:
            await app.post_init(app)
            if options is not None:
                await app.updater.start_webhook(**options)
            else:
                await app.updater.start_polling(timeout=POLL_TIMEOUT_S, allowed_updates=ALLOWED_UPDATES,
                                                bootstrap_retries=3, error_callback=polling_error)
            await app.start()
            mode = f"webhook on {settings.webhook_listen}:{settings.webhook_port}" if webhook \
                else "long polling"
            log.info("running (%s) as @%s", mode, app.bot.username)
            await _first(stop.wait(), watch.tripped.wait())
            if watch.tripped.is_set():
                log.critical("another instance is polling Telegram with this token (409 Conflict "
                             "for %.0f s): only one may run; stop the other one, then start this one "
                             "again", settings.conflict_grace_s)
                code = EXIT_CONFLICT
            else:
                log.info("stopping%s: handling the updates already received, then closing",
                         f" ({caught[0]})" if caught else "")
        finally:
            if app.updater.running:
                await app.updater.stop()  # no new updates; confirms the last batch to Telegram
            if app.running:
                await app.stop()  # every update already fetched is handled first
            await stop_outbox(app)
            await app.shutdown()
            await app.post_shutdown(app)  # the outbox loop stops, the database closes
    finally:
        if signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)
    log.info("stopped")
    return code


async def stop_outbox(app: Application) -> None:
    """Stop the outbox loop while the database is still open, and write down what it already
    knows: the dispatcher keeps some 'sent' marks in memory to write them in batches, and a
    mark lost here is a message sent twice at the next start. After this, only a send cut off
    in the middle (at most one per concurrent send) can be repeated."""
    services = app.bot_data
    task = getattr(services, "dispatcher_task", None)
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    services.dispatcher_task = None  # post_shutdown has nothing left to cancel
    await services.dispatcher.flush()  # buffered "sent" marks: a clean stop resends nothing


async def _first(*waits) -> None:
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


async def upgrade_database(settings: Settings) -> list[int]:
    """Migrate an existing database to this release's schema, after copying it aside."""
    version, saved = backup_before_upgrade(settings.db_path, settings.backups)
    if saved is not None:
        log.warning("database at schema %s, this release needs %s: backup written to %s before "
                    "migrating", version, LATEST, saved)
    db = await Database.open(settings.db_path)
    try:
        applied = await migrate(db)
    finally:
        await db.close()
    if applied:
        log.info("database migrated to schema %s", applied[-1])
    return applied
