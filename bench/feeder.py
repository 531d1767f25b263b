"""The feeder: Telegram played over real loopback HTTP, in a process of its own, for drills that
kill the bot (`make drill`, tests/test_drill.py).

It is the offline sandbox (FakeTelegram) behind a tornado server, so it outlives the bot's
process: it keeps what the bot confirmed with its getUpdates offset and redelivers only what
Telegram would, records every message it delivers, and can play an outage (every call fails,
as when the network or Telegram is down).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import tornado.httputil
import tornado.web
from tornado.httpserver import HTTPServer

from tgsandbox.request import decode_fields
from tgsandbox.server import FakeTelegram, Files, TransportFault
from tgsandbox.state import Chat


class FeederTelegram(FakeTelegram):
    """FakeTelegram where every chat the bot writes to has opened the bot; deliveries kept."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls_kept = False
        self.delivered: dict[int, list[dict[str, Any]]] = defaultdict(list)  # chat -> messages
        self.answered: set[str] = set()  # callback query ids answered
        self.outage = False
        self.refused_during_outage = 0
        self.polls = 0

    def _chat(self, p: dict[str, Any]) -> Chat:
        raw = p.get("chat_id")
        if str(raw).isdigit() and int(raw) not in self.people:
            self.add_user(int(raw), started=True)
        return super()._chat(p)

    async def call(self, token: str, method: str, params: dict[str, Any],
                   files: Files | None = None) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(token, method, params, files)
        if not self.calls_kept:
            self.calls.clear()  # a drill makes tens of thousands of calls: keep only outcomes
        if status == 200:
            if method == "getUpdates":
                self.polls += 1
            elif method.lower().startswith("send"):
                self.delivered[int(params["chat_id"])].append({
                    "method": method, "text": params.get("text") or params.get("caption") or "",
                    "message_id": body["result"].get("message_id"),
                    "markup": params.get("reply_markup"), "at": time.monotonic()})
            elif method == "answerCallbackQuery":
                self.answered.add(str(params.get("callback_query_id")))
        return status, body


class ApiHandler(tornado.web.RequestHandler):
    """POST/GET <base>/bot<token>/<method>, as PTB's HTTPXRequest sends them."""

    def initialize(self, telegram: FeederTelegram) -> None:
        self.telegram = telegram

    async def post(self, token: str, method: str) -> None:
        telegram = self.telegram
        if telegram.outage:
            telegram.refused_during_outage += 1
            self.set_status(502)
            self.finish({"ok": False, "error_code": 502, "description": "Bad Gateway"})
            return
        args: dict[str, list[bytes]] = {}
        parts: dict[str, list[tornado.httputil.HTTPFile]] = {}
        tornado.httputil.parse_body_arguments(self.request.headers.get("Content-Type", ""),
                                              self.request.body, args, parts)
        for key, values in self.request.query_arguments.items():
            args.setdefault(key, values)
        fields = {key: values[0].decode("utf-8") for key, values in args.items()}
        files: Files = {name: (f[0].filename, f[0].body, f[0].content_type) for name, f in parts.items()}
        try:
            status, body = await telegram.call(token, method, decode_fields(fields), files)
        except TransportFault:
            self.set_status(504)
            self.finish({"ok": False, "error_code": 504, "description": "Gateway Timeout"})
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)

    get = post


def serve_feeder(telegram: FeederTelegram, port: int) -> HTTPServer:
    """Listen on 127.0.0.1:port (loopback only); the Bot API base is http://127.0.0.1:port/bot."""
    app = tornado.web.Application([(r"/bot([^/]+)/([^/?]+)/?", ApiHandler, {"telegram": telegram})])
    server = HTTPServer(app, max_body_size=60 * 1024 * 1024)
    server.listen(port, address="127.0.0.1")
    return server
