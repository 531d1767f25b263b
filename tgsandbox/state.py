"""The sandbox server's records: calls, people, chats, messages and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One Bot API request as the server saw it, and how it ended."""

    method: str
    params: dict[str, Any]
    chat_id: int | str | None
    time: float
    ok: bool = True
    error_code: int | None = None
    description: str | None = None
    result: Any = None

    @property
    def outcome(self) -> str:
        """'ok', 'error <code>: <description>', or the transport failure ('timeout', 'network')."""
        if self.ok:
            return "ok"
        return f"error {self.error_code}: {self.description}" if self.error_code else str(self.description)


@dataclass
class StoredFile:
    """A file known to the server, uploaded by the bot or by a person."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None
    mime_type: str | None
    file_path: str

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class Person:
    """A Telegram user the bot may talk to."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "fr"
    started: bool = True
    blocked: bool = False
    deactivated: bool = False

    def to_json(self) -> dict[str, Any]:
        """The User object Telegram sends."""
        data: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class Chat:
    """A chat: private (id == user id) or a group (negative id)."""

    chat_id: int
    type: str
    title: str | None = None
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    def to_json(self, person: Person | None) -> dict[str, Any]:
        """The Chat object Telegram sends."""
        data: dict[str, Any] = {"id": self.chat_id, "type": self.type}
        if self.title is not None:
            data["title"] = self.title
        if person is not None:
            data["first_name"] = person.first_name
            for key in ("last_name", "username"):
                if getattr(person, key) is not None:
                    data[key] = getattr(person, key)
        return data


@dataclass
class StoredMessage:
    """A message in a chat, with what the sandbox needs beyond Telegram's JSON."""

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    sender: dict[str, Any]
    chat: dict[str, Any]
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str | None = None  # the source as sent, before parse_mode
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    caption_html: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # sticker, location, voice, ...
    edit_date: int | None = None
    deleted: bool = False

    @property
    def edited(self) -> bool:
        """Whether the message was edited after it was sent."""
        return self.edit_date is not None

    def content_key(self) -> tuple[Any, ...]:
        """What an edit must change for Telegram to accept it."""
        return (self.text, self.entities, self.caption, self.caption_entities, self.reply_markup)

    def to_json(self) -> dict[str, Any]:
        """The Message object Telegram returns."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat,
            "from": self.sender,
        }
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.caption:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.document is not None:
            data["document"] = document_json(self.document)
        if self.photo is not None:
            data["photo"] = photo_json(self.photo)
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup  # Telegram echoes inline keyboards only
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        data.update(self.extra)
        return data


def document_json(file: StoredFile) -> dict[str, Any]:
    """A Document object."""
    data: dict[str, Any] = {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.size,
    }
    if file.filename:
        data["file_name"] = file.filename
    if file.mime_type:
        data["mime_type"] = file.mime_type
    return data


def photo_json(file: StoredFile) -> list[dict[str, Any]]:
    """A photo as Telegram sends it: a list of sizes (one here)."""
    width, height = image_size(file.data)
    return [
        {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": file.size,
            "width": width,
            "height": height,
        }
    ]


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (from its header); 1x1 for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 1, 1
