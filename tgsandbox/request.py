"""SandboxRequest: PTB's HTTP boundary, answered in-process by a FakeTelegram."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from tgsandbox.server import FakeTelegram, Files, TransportFault

# How the Bot builds its URLs: <base_url><token>/<method> and <base_file_url><token>/<file_path>.
_FILE_URL = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_METHOD_URL = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/?]+)/?(?:\?.*)?$")

# On the wire every parameter is a string; these are JSON (objects, numbers or booleans).
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "menu_button",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "results",
        "message_id",
        "message_ids",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "from_chat_id",
        "max_connections",
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "has_spoiler",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "latitude",
        "longitude",
        "duration",
        "width",
        "height",
        "is_anonymous",
    }
)


def decode_parameters(request_data: RequestData | None) -> tuple[dict[str, Any], Files]:
    """Read a request the way Telegram does: form fields (JSON where structured) and file parts."""
    if request_data is None:
        return {}, {}
    files: Files = {}
    if request_data.contains_files:
        for name, (filename, content, mime_type) in request_data.multipart_data.items():
            data = content if isinstance(content, bytes) else content.read()
            files[name] = (filename, data, mime_type)
    return decode_fields(request_data.json_parameters), files


def decode_fields(fields: dict[str, str]) -> dict[str, Any]:
    """The form fields of a Bot API call as Telegram reads them (JSON where structured)."""
    params: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "chat_id" and value.lstrip("-").isdigit():
            params[key] = int(value)
        elif key in _JSON_KEYS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value  # Telegram would reject it; the handler will
        else:
            params[key] = value
    return params


class SandboxRequest(BaseRequest):
    """A BaseRequest that sends nothing over the network: a FakeTelegram answers."""

    __slots__ = ("server",)

    def __init__(self, server: FakeTelegram) -> None:
        self.server = server

    @property
    def read_timeout(self) -> float:
        """Small: nothing here waits on a network."""
        return 0.5

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route a Bot API call or a file download to the server; (status, payload)."""
        try:
            if method == "GET" and (match := _FILE_URL.search(url)):
                return self.server.download(unquote(match["token"]), unquote(match["path"]))
            match = _METHOD_URL.search(url)
            if match is None:
                return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
            params, files = decode_parameters(request_data)
            status, body = await self.server.call(match["token"], match["method"], params, files)
        except TransportFault as fault:
            if fault.kind == "timeout":
                raise TimedOut("Timed out (sandbox fault injection)") from fault
            raise NetworkError("httpx.ConnectError: connection reset (sandbox fault injection)") from fault
        return status, json.dumps(body, ensure_ascii=False).encode("utf-8")
