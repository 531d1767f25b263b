"""A test and demo facility, never for production: `etamkeen run` with ETAMKEEN_SANDBOX_LOG=<file>
serves the Bot API in-process (FakeTelegram) instead of calling Telegram, and appends every
message it delivers to <file> as one JSON line, so a test can stop the process (SIGTERM, kill)
and count what people received."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tgsandbox.server import FakeTelegram, Files
from tgsandbox.state import Chat

ENV = "ETAMKEEN_SANDBOX_LOG"


class RecordingTelegram(FakeTelegram):
    """FakeTelegram where every private chat has opened the bot, recording deliveries."""

    def __init__(self, record: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Line-buffered: each delivery reaches the file when it happens, whatever stops us.
        self._record = open(record, "a", buffering=1, encoding="utf-8")

    def _chat(self, p: dict[str, Any]) -> Chat:
        raw = p.get("chat_id")
        if str(raw).isdigit() and int(raw) not in self.people:
            self.add_user(int(raw), started=True)  # the people of the database, met on first send
        return super()._chat(p)

    async def call(self, token: str, method: str, params: dict[str, Any],
                   files: Files | None = None) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(token, method, params, files)
        if status == 200 and method.lower().startswith("send"):
            self._record.write(json.dumps({
                "method": method, "chat_id": params.get("chat_id"),
                "text": params.get("text") or params.get("caption") or "",
                "message_id": body["result"].get("message_id"),
            }, ensure_ascii=False) + "\n")
        return status, body

    def close(self) -> None:
        self._record.close()


def read_record(path: Path) -> list[dict[str, Any]]:
    """The deliveries recorded so far (a test reads them while the bot runs)."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:  # the line being written right now
            break
    return records
