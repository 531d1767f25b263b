"""BotMessage: what a person sees of one bot message, captured at one moment."""

from __future__ import annotations

from typing import Any, NamedTuple

from tgsandbox.state import StoredFile, StoredMessage


class SandboxFile(NamedTuple):
    """A document or photo as the person receives it: (filename, data, mime_type)."""

    filename: str | None
    data: bytes
    mime_type: str | None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    @classmethod
    def of(cls, stored: StoredFile | None) -> SandboxFile | None:
        """Wrap a stored file (None stays None)."""
        return None if stored is None else cls(stored.filename, stored.data, stored.mime_type)


def keyboard_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """The buttons of an inline or reply keyboard, as rows of dicts with at least 'text'."""
    if not markup:
        return []
    if "inline_keyboard" in markup:
        return [list(row) for row in markup["inline_keyboard"]]
    if "keyboard" in markup:
        return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]]
    return []


class BotMessage:
    """A snapshot of a bot message: text as seen, source HTML, buttons, attachments."""

    def __init__(self, stored: StoredMessage) -> None:
        self.chat_id = stored.chat_id
        self.message_id = stored.message_id
        self.caption = stored.caption
        self.text: str = stored.text if stored.text is not None else (stored.caption or "")
        source = stored.html if stored.text is not None else stored.caption_html
        self.html: str = source if source is not None else self.text
        self.reply_markup = stored.reply_markup
        self.document = SandboxFile.of(stored.document)
        self.photo = SandboxFile.of(stored.photo)
        self.edited = stored.edited
        self.json = stored.to_json()

    @property
    def inline(self) -> bool:
        """Whether the buttons are an inline keyboard (pressing sends a callback query)."""
        return bool(self.reply_markup) and "inline_keyboard" in self.reply_markup

    @property
    def button_rows(self) -> list[list[dict[str, Any]]]:
        """The raw buttons, row by row."""
        return keyboard_rows(self.reply_markup)

    @property
    def buttons(self) -> list[list[str]]:
        """Button texts, row by row."""
        return [[b["text"] for b in row] for row in self.button_rows]

    @property
    def button_data(self) -> list[list[str | None]]:
        """callback_data of each button, row by row (None for URL and reply buttons)."""
        return [[b.get("callback_data") for b in row] for row in self.button_rows]

    @property
    def flat_buttons(self) -> list[str]:
        """All button texts in reading order."""
        return [text for row in self.buttons for text in row]

    def __repr__(self) -> str:
        parts = [f"#{self.message_id}", repr(self.text[:80])]
        if self.buttons:
            parts.append(f"buttons={self.buttons}")
        if self.document:
            parts.append(f"document={self.document.filename!r}")
        if self.photo:
            parts.append("photo")
        if self.edited:
            parts.append("edited")
        return f"BotMessage({', '.join(parts)})"
