"""BotClient: one person chatting with a real, initialized telegram.ext.Application."""

from __future__ import annotations

import asyncio
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ExtBot

from tgsandbox.server import FakeTelegram
from tgsandbox.state import StoredMessage
from tgsandbox.view import BotMessage, keyboard_rows

# Telegram marks a leading /command (with an optional @bot) as a bot_command entity.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DEEP_LINK = re.compile(r"^(?:https?://)?t\.me/(?P<bot>[A-Za-z0-9_]+)\?start=(?P<payload>.*)$")
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
MessageRef = BotMessage | StoredMessage | int | None


class BotClient:
    """Drives the app as one person would; each action returns the bot's new messages."""

    def __init__(
        self,
        app: Application,
        server: FakeTelegram,
        user_id: int = 1001,
        first_name: str = "Amina",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        started: bool = False,
    ) -> None:
        self.app, self.server, self.user_id = app, server, user_id
        # Not started until the person writes: the bot cannot message them first, as in Telegram.
        self.person = server.add_user(user_id, first_name, last_name, username, language_code, started)
        self.last_sent: StoredMessage | None = None
        self.last_update: dict[str, Any] | None = None
        self.last_answer: dict[str, Any] | None = None
        self._cursor = len(server.events)

    @property
    def chat_id(self) -> int:
        """The private chat with the bot (same id as the person)."""
        return self.user_id

    # --- reading ------------------------------------------------------------------------------
    @property
    def messages(self) -> list[BotMessage]:
        """Every visible bot message in this person's chat, oldest first."""
        return [BotMessage(m) for m in self.server.messages(self.chat_id) if m.from_bot]

    @property
    def last_message(self) -> BotMessage | None:
        """The most recent visible bot message."""
        stored = next(self._newest_first(), None)
        return None if stored is None else BotMessage(stored)

    def unread(self) -> list[BotMessage]:
        """Bot messages that appeared or changed since the last action (e.g. sent in background)."""
        return self._collect(self._cursor, {self.chat_id})

    # --- processing ---------------------------------------------------------------------------
    async def feed(self, update: dict[str, Any], chats: set[int] | None = None) -> list[BotMessage]:
        """Process a raw update through the app's update processor; new bot messages back."""
        if "update_id" not in update:
            update = {"update_id": self.server.next_update_id(), **update}
        self.last_update = update
        start = len(self.server.events)
        inbox = getattr(self.app.bot_data, "inbox", None)  # apps of the sandbox tests have none
        if inbox is not None and inbox.db is not None:
            # As `etamkeen run` receives it: durable first; a redelivered update is dropped there.
            await inbox.receive_one(update)
            if update["update_id"] in inbox.skip:
                inbox.skip.discard(update["update_id"])
                return self._collect(start, chats or {self.chat_id})
        obj = Update.de_json(update, self.app.bot)
        if isinstance(self.app.bot, ExtBot) and self.app.bot.callback_data_cache is not None:
            self.app.bot.insert_callback_data(obj)  # what the Updater does for arbitrary data
        await self.app.update_processor.process_update(obj, self.app.process_update(obj))
        return self._collect(start, chats or {self.chat_id})

    async def redeliver(self, update: dict[str, Any] | None = None) -> list[BotMessage]:
        """Deliver an update again with the same update_id (Telegram's redelivery after a crash)."""
        update = update or self.last_update
        if update is None:
            raise AssertionError("nothing was delivered yet")
        return await self.feed(update)

    def _collect(self, start: int, chats: set[int]) -> list[BotMessage]:
        """Bot messages of `chats` sent or edited since event `start`, in order, as they are now."""
        self._cursor = len(self.server.events)
        seen: dict[tuple[int, int], None] = {}
        for key in self.server.events[start:]:
            if key[0] in chats:
                seen[key] = None
        result = []
        for chat_id, message_id in seen:
            stored = self.server.message(chat_id, message_id)
            if stored is not None:  # sent then deleted: the person never sees it
                result.append(BotMessage(stored))
        return result

    async def _post(self, chat_id: int | None = None, **fields: Any) -> list[BotMessage]:
        """The person posts a message (private chat unless chat_id is a group)."""
        self.last_sent = self.server.user_message(self.user_id, chat_id, **fields)
        chats = {self.chat_id} if chat_id is None else {chat_id, self.chat_id}
        return await self.feed({"message": self.last_sent.to_json()}, chats)

    # --- what a person does -------------------------------------------------------------------
    async def send(self, text: str) -> list[BotMessage]:
        """Send a text message; a leading /command gets its bot_command entity."""
        return await self._post(text=text, entities=_command_entities(text))

    async def start(self, payload: str | None = None) -> list[BotMessage]:
        """Send /start, with the payload as given (garbage included, as if typed)."""
        return await self.send("/start" if payload is None else f"/start {payload}")

    async def open_link(self, url: str) -> list[BotMessage]:
        """Open a t.me/<bot>?start=<payload> link the way Telegram does.

        A payload that is not 1-64 of [A-Za-z0-9_-] is silently dropped: the bot gets a bare
        /start. This is how an invalid link the bot generated shows up in a test.
        """
        link = _DEEP_LINK.match(url)
        if link is None or link["bot"].lower() != self.server.username.lower():
            raise AssertionError(f"{url} is not a deep link to @{self.server.username}")
        payload = link["payload"]
        return await self.start(payload if _PAYLOAD.fullmatch(payload) else None)

    async def send_in_group(
        self, text: str, chat_id: int = -1001234567890, title: str = "Test group"
    ) -> list[BotMessage]:
        """Write in a group with the bot; returns new bot messages there and in private."""
        self.server.add_group(chat_id, title)
        return await self._post(chat_id, text=text, entities=_command_entities(text))

    async def upload(
        self,
        data: bytes | str | Path,
        filename: str | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> list[BotMessage]:
        """Send a document; the bot can getFile and download it."""
        if not isinstance(data, bytes):
            path = Path(data)
            filename = filename or path.name
            data = await asyncio.to_thread(lambda: path.expanduser().read_bytes())
        filename = filename or "file.bin"
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.server.store_file(data, filename, mime_type)
        return await self._post(document=stored, caption=caption)

    async def send_photo(self, data: bytes = PNG_1X1, caption: str | None = None) -> list[BotMessage]:
        """Send a photo."""
        stored = self.server.store_file(data, None, "image/png", "photos")
        return await self._post(photo=stored, caption=caption)

    async def send_sticker(self, emoji: str = "👍") -> list[BotMessage]:
        """Send a sticker."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAEsandboxsticker",
            "file_unique_id": "AgADsandbox",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": emoji,
        }
        return await self._post(extra={"sticker": sticker})

    async def send_location(self, latitude: float, longitude: float) -> list[BotMessage]:
        """Share a location."""
        return await self._post(extra={"location": {"latitude": latitude, "longitude": longitude}})

    async def send_voice(self, data: bytes = b"OggS\x00sandbox", duration: int = 2) -> list[BotMessage]:
        """Send a voice note."""
        stored = self.server.store_file(data, None, "audio/ogg", "voice")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return await self._post(extra={"voice": voice})

    async def send_contact(self, phone_number: str, first_name: str | None = None) -> list[BotMessage]:
        """Share a contact (by default, the person's own)."""
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or self.person.first_name,
            "user_id": self.user_id,
        }
        return await self._post(extra={"contact": contact})

    async def edit(self, message: StoredMessage | int | None, new_text: str) -> list[BotMessage]:
        """Edit one of the person's own messages (default: the last one sent)."""
        stored = self._current(message) if isinstance(message, int) else message or self.last_sent
        if stored is None or stored.from_bot:
            raise AssertionError("a person can only edit their own messages")
        stored.text, stored.entities = new_text, _command_entities(new_text)
        stored.edit_date = self.server.now_date()
        chats = {stored.chat_id, self.chat_id}
        return await self.feed({"edited_message": stored.to_json()}, chats)

    # --- buttons ------------------------------------------------------------------------------
    async def click(self, button_text: str, message: MessageRef = None) -> list[BotMessage]:
        """Press a button by exact text, else by unique substring; the bot must answer."""
        stored, button = self._find_button(button_text, message)
        return await self._press(stored, button)

    async def press(self, index: int, message: MessageRef = None) -> list[BotMessage]:
        """Press the index-th button (1-based, reading order) of a message."""
        stored = self._with_buttons(message)
        flat = [b for row in keyboard_rows(stored.reply_markup) for b in row]
        if not 1 <= index <= len(flat):
            raise AssertionError(f"no button [{index}]; the message has {len(flat)}")
        return await self._press(stored, flat[index - 1])

    async def click_data(
        self, data: str, message: MessageRef = None, *, inaccessible: bool = False
    ) -> list[BotMessage]:
        """Send a callback query with arbitrary (possibly forged or stale) data."""
        if inaccessible:
            stored = None
        elif message is not None:  # a deleted message arrives as inaccessible, as in Telegram
            stored = self._current(message, required=False)
        else:
            stored = next(self._newest_first(), None)
        query = self.server.new_callback_query(self.user_id, stored, data)
        return await self._answered(query, repr(data))

    async def _press(self, stored: StoredMessage, button: dict[str, Any]) -> list[BotMessage]:
        if "callback_data" in button:
            query = self.server.new_callback_query(self.user_id, stored, button["callback_data"])
            return await self._answered(query, repr(button["text"]))
        if "url" in button:
            link = _DEEP_LINK.match(button["url"])
            if link and link["bot"].lower() == self.server.username.lower():
                return await self.open_link(button["url"])
            raise AssertionError(f"{button['text']!r} opens {button['url']}; nothing to press here")
        if not (stored.reply_markup or {}).get("inline_keyboard"):
            return await self.send(button["text"])  # a reply-keyboard button sends its text
        raise AssertionError(f"button {button['text']!r} has no action the sandbox can perform")

    async def _answered(self, query: dict[str, Any], what: str) -> list[BotMessage]:
        new = await self.feed({"callback_query": query})
        self.last_answer = self.server.query_answer(query["id"])
        if self.last_answer is None:
            raise AssertionError(f"the bot did not answer the callback query of button {what}")
        return new

    def _current(self, message: MessageRef, required: bool = True) -> StoredMessage | None:
        """The message as it is now on the server."""
        if message is None:
            return None
        if isinstance(message, int):
            chat_id, message_id = self.chat_id, message
        else:
            chat_id, message_id = message.chat_id, message.message_id
        stored = self.server.message(chat_id, message_id)
        if stored is None and required:
            raise AssertionError(f"message #{message_id} is no longer in the chat")
        return stored

    def _newest_first(self) -> Iterator[StoredMessage]:
        """This chat's bot messages, newest first, lazily (long chats stay cheap)."""
        return (m for m in self.server.messages_newest_first(self.chat_id) if m.from_bot)

    def _candidates(self, message: MessageRef) -> Iterator[StoredMessage]:
        if message is not None:
            return iter([self._current(message)])  # type: ignore[list-item]
        return (m for m in self._newest_first() if keyboard_rows(m.reply_markup))

    def _with_buttons(self, message: MessageRef) -> StoredMessage:
        for stored in self._candidates(message):
            if keyboard_rows(stored.reply_markup):
                return stored
        raise AssertionError("no message with buttons")

    def _find_button(self, text: str, message: MessageRef) -> tuple[StoredMessage, dict[str, Any]]:
        """In the newest message that has it: the exact text, else a unique substring."""
        latest: StoredMessage | None = None
        for stored in self._candidates(message):
            latest = latest or stored
            buttons = [b for row in keyboard_rows(stored.reply_markup) for b in row]
            exact = [b for b in buttons if b["text"] == text]
            if exact:
                return stored, exact[0]
            hits = [b for b in buttons if text in b["text"]]
            if len(hits) == 1:
                return stored, hits[0]
            if hits:
                names = [b["text"] for b in hits]
                raise AssertionError(f"button {text!r} is ambiguous in message #{stored.message_id}: {names}")
        available = BotMessage(latest).buttons if latest else []
        raise AssertionError(f"no button {text!r}; available buttons: {available}")


def _command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram puts on a leading /command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0).encode("utf-16-le")) // 2}]
