"""Bot API methods about the bot itself: identity, commands, descriptions, menu, updates."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from tgsandbox import rules
from tgsandbox.rules import ApiError, bad

if TYPE_CHECKING:
    from tgsandbox.server import Files

Params = dict[str, Any]
_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


def scope_key(scope: dict[str, Any] | None) -> str:
    """A readable key for a BotCommandScope: 'default', 'chat:1001', 'chat_member:-100:7'."""
    scope = scope or {"type": "default"}
    parts = [str(scope.get("type", "default"))]
    parts += [str(scope[key]) for key in ("chat_id", "user_id") if key in scope]
    return ":".join(parts)


class BotMethods:
    """The bot-level ``api_*`` handlers of FakeTelegram, and the getUpdates queue."""

    def __init__(self) -> None:
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}  # (scope, language)
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}  # None: the default button
        self.webhook_url = ""
        self._updates: deque[dict[str, Any]] = deque()
        # Telegram never reuses an update id for a bot; a new sandbox on an old database (the
        # console, a restart in a test) must not either, or the inbox takes it for a redelivery.
        self._next_update_id = time.time_ns() // 1000
        self._poll: asyncio.Future[str] | None = None

    # --- the update queue ---------------------------------------------------------------------
    def next_update_id(self) -> int:
        """Reserve an update_id (updates fed directly to the app use these too)."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id."""
        if "update_id" not in update:
            update = {"update_id": self.next_update_id(), **update}
        else:
            self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        if self._poll is not None and not self._poll.done():
            self._poll.set_result("update")
        return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    def _confirm(self, offset: int) -> None:
        """Drop what an offset confirms (a negative offset keeps the last -offset updates)."""
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
            return
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    async def api_getUpdates(self, p: Params, files: Files) -> list[dict[str, Any]]:
        """Long polling; a newer getUpdates terminates a waiting one with 409, like Telegram."""
        if self.webhook_url:
            raise ApiError(409, rules.CONFLICT_WEBHOOK)
        self._confirm(int(p.get("offset") or 0))
        if self._poll is not None and not self._poll.done():
            self._poll.set_result("conflict")
        timeout = float(p.get("timeout") or 0)
        if not self._updates and timeout > 0:
            poll = self._poll = asyncio.get_running_loop().create_future()
            try:
                outcome = await asyncio.wait_for(asyncio.shield(poll), timeout)
            except TimeoutError:
                outcome = "timeout"
            finally:
                if self._poll is poll:
                    self._poll = None
            if outcome == "conflict":
                raise ApiError(409, rules.CONFLICT_POLLING)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        allowed = p.get("allowed_updates") or None
        batch = []
        for update in self._updates:
            if allowed is None or any(kind in update for kind in allowed):
                batch.append(update)
                if len(batch) == limit:
                    break
        return batch

    def api_setWebhook(self, p: Params, files: Files) -> bool:
        """Set (or, with an empty url, remove) the webhook."""
        self.webhook_url = str(p.get("url") or "")
        return True

    def api_deleteWebhook(self, p: Params, files: Files) -> bool:
        """Remove the webhook; optionally drop the queue."""
        self.webhook_url = ""
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def api_getWebhookInfo(self, p: Params, files: Files) -> dict[str, Any]:
        """Webhook status."""
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def api_close(self, p: Params, files: Files) -> bool:
        """Close the bot instance (nothing to close here)."""
        return True

    def api_logOut(self, p: Params, files: Files) -> bool:
        """Log out from the cloud Bot API server (nothing to do here)."""
        return True

    # --- identity and settings ----------------------------------------------------------------
    def api_getMe(self, p: Params, files: Files) -> dict[str, Any]:
        """The bot's User object."""
        return {
            **self.bot_json,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _scope(self, p: Params) -> str:
        """Validate scope and language_code; return the scope key."""
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad("Bad Request: unsupported bot command scope type")
        if "chat_id" in scope:
            self._chat({"chat_id": scope["chat_id"]})
        rules.check_language_code(p.get("language_code"))
        return scope_key(scope)

    def api_setMyCommands(self, p: Params, files: Files) -> bool:
        """Set the command menu for a scope and language (an empty list deletes it)."""
        key = (self._scope(p), p.get("language_code") or "")
        commands = rules.normalize_commands(p.get("commands", []))
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def api_getMyCommands(self, p: Params, files: Files) -> list[dict[str, str]]:
        """The command menu for exactly this scope and language."""
        return list(self.commands.get((self._scope(p), p.get("language_code") or ""), []))

    def api_deleteMyCommands(self, p: Params, files: Files) -> bool:
        """Delete the command menu for a scope and language."""
        self.commands.pop((self._scope(p), p.get("language_code") or ""), None)
        return True

    def _set_text(self, table: dict[str, str], p: Params, key: str, limit: int, error: str) -> bool:
        rules.check_language_code(p.get("language_code"))
        value = rules.check_length(p.get(key), limit, error)
        language = p.get("language_code") or ""
        if value:
            table[language] = value
        else:
            table.pop(language, None)
        return True

    def api_setMyDescription(self, p: Params, files: Files) -> bool:
        """Description shown in an empty chat (0-512)."""
        return self._set_text(
            self.descriptions, p, "description", rules.DESCRIPTION_MAX, rules.DESCRIPTION_TOO_LONG
        )

    def api_setMyShortDescription(self, p: Params, files: Files) -> bool:
        """Short description shown on the profile (0-120)."""
        return self._set_text(
            self.short_descriptions,
            p,
            "short_description",
            rules.SHORT_DESCRIPTION_MAX,
            rules.SHORT_DESCRIPTION_TOO_LONG,
        )

    def api_setMyName(self, p: Params, files: Files) -> bool:
        """The bot's name (0-64)."""
        return self._set_text(self.names, p, "name", rules.NAME_MAX, rules.NAME_TOO_LONG)

    def api_getMyDescription(self, p: Params, files: Files) -> dict[str, str]:
        """The description for a language."""
        rules.check_language_code(p.get("language_code"))
        return {"description": self.descriptions.get(p.get("language_code") or "", "")}

    def api_getMyShortDescription(self, p: Params, files: Files) -> dict[str, str]:
        """The short description for a language."""
        rules.check_language_code(p.get("language_code"))
        language = p.get("language_code") or ""
        return {"short_description": self.short_descriptions.get(language, "")}

    def api_getMyName(self, p: Params, files: Files) -> dict[str, str]:
        """The name for a language."""
        rules.check_language_code(p.get("language_code"))
        return {"name": self.names.get(p.get("language_code") or "", self.first_name)}

    def api_setChatMenuButton(self, p: Params, files: Files) -> bool:
        """The menu button of one private chat, or the default one."""
        chat_id = p.get("chat_id")
        if chat_id is not None:
            chat_id = int(chat_id)
            if chat_id not in self.people:
                raise bad("Bad Request: user not found")
        self.menu_buttons[chat_id] = p.get("menu_button") or {"type": "default"}
        return True

    def api_getChatMenuButton(self, p: Params, files: Files) -> dict[str, Any]:
        """The menu button of a chat (falling back to the default one)."""
        chat_id = int(p["chat_id"]) if p.get("chat_id") is not None else None
        button = self.menu_buttons.get(chat_id) or self.menu_buttons.get(None)
        return button or {"type": "commands"}
