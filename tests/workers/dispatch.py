"""A bot process for the kill -9 tests: the real Application and dispatcher on an in-process
sandbox that appends every delivered message to a log file (flushed at once), so what people
received survives the process being killed.

    python -m tests.workers.dispatch DB_PATH LOG_PATH
It sends what the outbox holds, then exits 0 when nothing is left to send.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.app import build_application
from bot.config import Settings
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram


class LoggingTelegram(FakeTelegram):
    def __init__(self, log: Path) -> None:
        super().__init__()
        self._log = log.open("a", buffering=1)

    async def call(self, token, method, params, files=None):
        status, body = await super().call(token, method, params, files)
        if method == "sendMessage" and status == 200:
            self._log.write(f"{params.get('chat_id')}\n")  # line-buffered: on disk before we go on
        return status, body


async def main(db_path: str, log_path: str) -> int:
    server = LoggingTelegram(Path(log_path))
    settings = Settings(token=server.token, db_path=Path(db_path), background_jobs=False,
                        quiet_start_hour=0, quiet_end_hour=0, send_rate_per_s=2000,
                        per_chat_interval_s=0)
    app = build_application(settings, request=SandboxRequest(server), rate_limiter=False)
    await app.initialize()
    await app.post_init(app)  # recovers what was in flight at the last stop
    people = await app.bot_data.db.read(lambda c: [r[0] for r in c.execute("SELECT id FROM users")])
    for user_id in people:
        server.add_user(user_id, started=True)
    print("ready", flush=True)
    try:
        while True:
            stats = await app.bot_data.dispatcher.drain()
            if not stats.sent and not stats.retried:
                left = await app.bot_data.db.read(lambda c: c.execute(
                    "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')").fetchone()[0])
                if not left:
                    return 0
                await asyncio.sleep(0.05)
    finally:
        await app.post_shutdown(app)
        await app.shutdown()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
