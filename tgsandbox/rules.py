"""Telegram's limits and error texts (TELEGRAM_RULES.md), as pure validation functions.

Numbers come from PTB's constants so the sandbox and the library never disagree; texts are the
Bot API server's own (tdlib/telegram-bot-api, tdlib's MessageEntity.cpp and BotCommand.cpp).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram.constants import (
    BotCommandLimit,
    BotDescriptionLimit,
    BotNameLimit,
    CallbackQueryLimit,
    FileSizeLimit,
    InlineKeyboardButtonLimit,
    InlineKeyboardMarkupLimit,
    MessageLimit,
)

from tgsandbox.html import HtmlError, parse_html

# --- error texts -------------------------------------------------------------------------------
UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
BLOCKED = "Forbidden: bot was blocked by the user"
DEACTIVATED = "Forbidden: user is deactivated"
NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
PARSE_PREFIX = "Bad Request: can't parse entities: "
BAD_PARSE_MODE = "Bad Request: unsupported parse_mode"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
MARKUP_TOO_LONG = "Bad Request: reply markup is too long"
TEXT_BUTTON = (
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
# Telegram silently uses the first action it finds; the Bot API documentation demands exactly
# one, so the sandbox is stricter here and says so in its own words.
MANY_ACTIONS = (
    "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be "
    "used (sandbox rule)"
)
BAD_MARKUP = "Bad Request: can't parse reply keyboard markup JSON object"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
CANT_EDIT = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
COMMAND_INVALID = "Bad Request: BOT_COMMAND_INVALID"
COMMANDS_TOO_MUCH = "Bad Request: BOT_COMMANDS_TOO_MUCH"
COMMAND_EMPTY = "Bad Request: command must be non-empty"
COMMAND_TOO_LONG = f"Bad Request: command length must not exceed {BotCommandLimit.MAX_COMMAND}"
COMMAND_DESCRIPTION_EMPTY = "Bad Request: command description must be non-empty"
COMMAND_DESCRIPTION_TOO_LONG = (
    f"Bad Request: command description length must not exceed {BotCommandLimit.MAX_DESCRIPTION}"
)
LANGUAGE_INVALID = "Bad Request: invalid language code specified"
DESCRIPTION_TOO_LONG = "Bad Request: description is too long"
SHORT_DESCRIPTION_TOO_LONG = "Bad Request: short description is too long"
NAME_TOO_LONG = "Bad Request: name is too long"
FILE_TOO_BIG = "Bad Request: file is too big"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
CONFLICT_POLLING = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)

TEXT_MAX = int(MessageLimit.MAX_TEXT_LENGTH)
CAPTION_MAX = int(MessageLimit.CAPTION_LENGTH)
CALLBACK_DATA_MAX = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
BUTTONS_MAX = int(InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER)
ROW_MAX = int(InlineKeyboardMarkupLimit.BUTTONS_PER_ROW)
ANSWER_TEXT_MAX = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
QUERY_TTL_S = 15.0
COMMANDS_MAX = int(BotCommandLimit.MAX_COMMAND_NUMBER)
DESCRIPTION_MAX = int(BotDescriptionLimit.MAX_DESCRIPTION_LENGTH)
SHORT_DESCRIPTION_MAX = int(BotDescriptionLimit.MAX_SHORT_DESCRIPTION_LENGTH)
NAME_MAX = int(BotNameLimit.MAX_NAME_LENGTH)
PHOTO_UPLOAD_MAX = int(FileSizeLimit.PHOTOSIZE_UPLOAD)
UPLOAD_MAX = int(FileSizeLimit.FILESIZE_UPLOAD)
DOWNLOAD_MAX = int(FileSizeLimit.FILESIZE_DOWNLOAD)

_COMMAND_RE = re.compile(r"[a-z0-9_]+")
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class ApiError(Exception):
    """A Bot API failure: HTTP status == error_code, Telegram's description."""

    code: int
    description: str
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


def bad(description: str) -> ApiError:
    """A 400 Bad Request."""
    return ApiError(400, description)


def parse_formatted(
    text: str | None, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode like Telegram; return (plain text, entities)."""
    text = text or ""
    mode = (parse_mode or "").lower()
    if not mode:
        return text, list(entities or [])
    if mode == "html":
        try:
            return parse_html(text)
        except HtmlError as exc:
            raise bad(PARSE_PREFIX + str(exc)) from None
    if mode in ("markdown", "markdownv2"):
        # Not validated: the project sends HTML only. Kept as raw text so nothing is lost.
        return text, []
    raise bad(BAD_PARSE_MODE)


def check_text(plain: str) -> None:
    """Message text: 1-4096 characters after entity parsing."""
    if not plain.strip():
        raise bad(TEXT_EMPTY)
    if len(plain) > TEXT_MAX:
        raise bad(TEXT_TOO_LONG)


def check_caption(plain: str) -> None:
    """Caption: 0-1024 characters after entity parsing."""
    if len(plain) > CAPTION_MAX:
        raise bad(CAPTION_TOO_LONG)


def check_reply_markup(markup: Any) -> None:
    """Inline keyboards: <=100 buttons, <=8 per row, one action each, callback_data 1-64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad(BAD_MARKUP)
    rows = markup.get("inline_keyboard")
    if rows is None:
        return  # reply keyboards, remove_keyboard and force_reply carry no such rules here
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if sum(len(row) for row in rows) > BUTTONS_MAX or any(len(row) > ROW_MAX for row in rows):
        raise bad(MARKUP_TOO_LONG)
    for row in rows:
        for button in row:
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise bad(TEXT_BUTTON)
            if len(actions) > 1:
                raise bad(MANY_ACTIONS)
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode("utf-8"))
                if not 1 <= size <= CALLBACK_DATA_MAX:
                    raise bad(BUTTON_DATA_INVALID)


def check_language_code(code: str | None) -> None:
    """Bot settings language codes: empty or two lowercase ASCII letters (tdlib's rule)."""
    if code and not (len(code) == 2 and code.isascii() and code.isalpha() and code.islower()):
        raise bad(LANGUAGE_INVALID)


def normalize_commands(commands: Any) -> list[dict[str, str]]:
    """Validate a setMyCommands list in tdlib's order; return it trimmed like Telegram stores it."""
    if not isinstance(commands, list):
        raise bad("Bad Request: can't parse commands JSON object")
    result = []
    for item in commands:  # tdlib's own checks come first, in this order
        if not isinstance(item, dict):
            raise bad(COMMAND_EMPTY)
        command = str(item.get("command", "")).strip().removeprefix("/")
        description = str(item.get("description", "")).strip()
        if not command:
            raise bad(COMMAND_EMPTY)
        if len(command) > BotCommandLimit.MAX_COMMAND:
            raise bad(COMMAND_TOO_LONG)
        if not description:
            raise bad(COMMAND_DESCRIPTION_EMPTY)
        if len(description) > BotCommandLimit.MAX_DESCRIPTION:
            raise bad(COMMAND_DESCRIPTION_TOO_LONG)
        result.append({"command": command, "description": description})
    # then Telegram's servers: the count, and the characters tdlib let through
    if len(result) > COMMANDS_MAX:
        raise bad(COMMANDS_TOO_MUCH)
    if not all(_COMMAND_RE.fullmatch(item["command"]) for item in result):
        raise bad(COMMAND_INVALID)
    return result


def check_length(value: str | None, limit: int, error: str) -> str:
    """Bot description / short description / name limits."""
    value = value or ""
    if len(value) > limit:
        raise bad(error)
    return value


def check_answer_text(text: str | None) -> None:
    """answerCallbackQuery text: 0-200 characters."""
    if text and len(text) > ANSWER_TEXT_MAX:
        raise bad(ANSWER_TOO_LONG)
