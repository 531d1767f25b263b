"""FakeTelegram: an in-memory Bot API server that answers like Telegram, errors included."""

from __future__ import annotations

import inspect
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

from tgsandbox import rules
from tgsandbox.limits import Fault, FaultPlan, RateLimiter
from tgsandbox.methods_bot import BotMethods
from tgsandbox.methods_messages import MessageMethods
from tgsandbox.people import PeopleMixin, Query
from tgsandbox.rules import ApiError
from tgsandbox.state import Call, Chat, Person, StoredFile, StoredMessage

Files = dict[str, tuple[str | None, bytes, str | None]]  # part name -> (filename, data, mime)

_FAULT_ERRORS = {
    "403_blocked": (403, rules.BLOCKED),
    "403_deactivated": (403, rules.DEACTIVATED),
    "400_chat_not_found": (400, rules.CHAT_NOT_FOUND),
    "500": (500, "Internal Server Error"),
    "502": (502, "Bad Gateway"),
}


class TransportFault(Exception):
    """The HTTP exchange failed: kind 'timeout' or 'network'; delivered if Telegram acted anyway."""

    def __init__(self, kind: str, delivered: bool = False) -> None:
        super().__init__(f"{kind} (delivered)" if delivered else kind)
        self.kind, self.delivered = kind, delivered


class FakeTelegram(MessageMethods, BotMethods, PeopleMixin):
    """The Bot API in memory. Handlers are the ``api_<method>`` methods of the mixins."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        username: str = "etamkeen_bot",
        first_name: str = "e-TAMKEEN",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.bot_id, self.username, self.first_name = bot_id, username, first_name
        self.clock = clock
        self._epoch = time.time() - clock()  # message dates are Unix times, whatever the clock
        self.calls: list[Call] = []
        self.people: dict[int, Person] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self.events: list[tuple[int, int]] = []  # (chat, message) each time a bot message appears/changes
        self._queries: dict[str, Query] = {}
        self._ids = itertools.count(1)
        self._rate: RateLimiter | None = None
        self._faults = FaultPlan()
        self.bot_json = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self._handlers: dict[str, tuple[str, Callable[..., Any], bool]] = {}
        for name in dir(type(self)):
            if name.startswith("api_"):
                fn = getattr(self, name)
                self._handlers[name[4:].lower()] = (name[4:], fn, inspect.iscoroutinefunction(fn))
        BotMethods.__init__(self)

    # --- serving ------------------------------------------------------------------------------
    async def call(
        self, token: str, method: str, params: dict[str, Any], files: Files | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Serve one request; return (HTTP status, response body). Raises TransportFault."""
        name, handler, is_async = self._handlers.get(method.lower(), (method, None, False))
        chat_id = _chat_id(params.get("chat_id"))
        call = Call(name, params, chat_id, self.clock())
        self.calls.append(call)
        try:
            if self._faults.outage is not None:  # nothing gets through, not even a bad token
                self._raise_fault(self._faults.outage, call)
            if token != self.token:
                raise ApiError(401, rules.UNAUTHORIZED)
            if handler is None:
                raise ApiError(404, rules.NOT_FOUND)  # Telegram's answer to an unknown method
            fault = self._faults.take(name, chat_id)
            if fault is not None and fault.kind != "timeout_after_delivery":
                self._raise_fault(fault, call)
            result = await handler(params, files or {}) if is_async else handler(params, files or {})
            call.result = result
            if fault is not None:  # the call went through, but its answer is lost
                call.ok, call.description = False, "timed out after delivery"
                raise TransportFault("timeout", delivered=True)
        except ApiError as exc:
            call.ok, call.error_code, call.description = False, exc.code, exc.description
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return exc.code, body
        return 200, {"ok": True, "result": result}

    def download(self, token: str, file_path: str) -> tuple[int, bytes]:
        """Serve GET <file url>/<file_path>: (status, body)."""
        stored = self._files_by_path.get(file_path) if token == self.token else None
        if stored is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        return 200, stored.data

    def _raise_fault(self, fault: Fault, call: Call) -> None:
        """Turn an armed fault into the failure it stands for."""
        if fault.kind in ("timeout", "network"):
            call.ok, call.description = False, fault.kind
            raise TransportFault(fault.kind)
        if fault.kind == "429":
            raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}", fault.retry_after)
        raise ApiError(*_FAULT_ERRORS[fault.kind])

    # --- configuration ------------------------------------------------------------------------
    def set_rate_limits(
        self,
        global_per_s: float = 30,
        per_chat_per_s: float = 1,
        per_chat_burst: int = 3,
        group_per_min: float = 20,
    ) -> None:
        """Turn on Telegram's flood control (off by default) for the send* methods."""
        self._rate = RateLimiter(self.clock, global_per_s, per_chat_per_s, per_chat_burst, group_per_min)

    def disable_rate_limits(self) -> None:
        """Turn flood control off."""
        self._rate = None

    def fail_next(
        self,
        kind: str,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
        retry_after: int = 3,
    ) -> None:
        """Make the next `times` matching calls fail with `kind` (see limits.FAULT_KINDS)."""
        self._faults.arm(Fault(kind, method, chat_id, times, retry_after))

    def start_outage(self, kind: str = "network") -> None:
        """Telegram unreachable: every call fails with `kind` (network, timeout, 500 or 502)
        until end_outage(), as in a network cut or a Telegram outage."""
        self._faults.start_outage(kind)

    def end_outage(self) -> None:
        """Telegram reachable again."""
        self._faults.end_outage()

    def clear_faults(self) -> None:
        """Disarm every pending fault."""
        self._faults.clear()

    # --- queries for tests --------------------------------------------------------------------
    def messages(self, chat_id: int) -> list[StoredMessage]:
        """Visible messages of a chat, both sides, in order."""
        chat = self.chats.get(chat_id)
        return list(chat.messages.values()) if chat else []

    def last_message(self, chat_id: int) -> StoredMessage | None:
        """The most recent visible message of a chat."""
        chat = self.chats.get(chat_id)
        if not chat or not chat.messages:
            return None
        return chat.messages[next(reversed(chat.messages))]

    def messages_newest_first(self, chat_id: int) -> Iterator[StoredMessage]:
        """Visible messages of a chat, newest first, lazily."""
        chat = self.chats.get(chat_id)
        return reversed(chat.messages.values()) if chat else iter(())

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """One visible message, or None (unknown or deleted)."""
        chat = self.chats.get(chat_id)
        return chat.messages.get(message_id) if chat else None

    def calls_for(self, method: str) -> list[Call]:
        """The recorded calls of one method (case-insensitive)."""
        method = method.lower()
        return [call for call in self.calls if call.method.lower() == method]

    def reset_calls(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()


def _chat_id(raw: Any) -> int | str | None:
    """chat_id as Telegram reads it: an integer when it looks like one."""
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        return int(raw)
    return raw
