"""Shared rendering helpers: callback data, keyboards, edit-or-send, safe callback answers."""

from __future__ import annotations

import html
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, NetworkError

from bot.i18n import Translator
from bot.text import parse_int
from handlers.callback import MAX_CALLBACK_BYTES, VERSION, Callback

log = logging.getLogger(__name__)

# Telegram accepts one answer per callback query. Helpers answer as they go (a toast, then an
# edit), so the id of the query answered in this task is remembered; ids are unique, so a value
# left over from an earlier update never matches.
_answered: ContextVar[str | None] = ContextVar("answered_callback_query", default=None)

MAX_TEXT = 4096


@dataclass(frozen=True)
class PageCounter(Callback, feature="pg", action="n"):
    """The page counter between ◀ and ▶ (“2/5”): does nothing, but is answered (handlers.menu;
    in a flow, conversations.flow)."""


def cb(*parts: object) -> str:
    """Short versioned callback data, e.g. v1:cat:s:123; never over Telegram's 64 bytes."""
    data = ":".join([VERSION, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None, feature: str) -> list[str] | None:
    """The parts after `v1:<feature>:`, or None for another version or feature (stale, forged)."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION or parts[1] != feature:
        return None
    return parts[2:]


def to_int(text: str | None) -> int | None:
    """An id or page from callback data; None when forged ("²" and "①" included)."""
    return parse_int(text)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


class Button(InlineKeyboardButton):
    """A callback button — the only kind ours are — that gives its JSON form directly: PTB's
    generic to_dict walks all thirteen attributes a button may have, for two."""

    __slots__ = ()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return {"callback_data": self.callback_data, "text": self.text}


_BUTTONS: dict[tuple, InlineKeyboardButton] = {}


def button(text: str, *data: object) -> InlineKeyboardButton:
    """A callback button. PTB objects are immutable and costly to build (≈10 µs), and most
    buttons recur (menus, filters, page arrows, session lists), so they are shared."""
    key = (text, *data)
    found = _BUTTONS.get(key)
    if found is None:
        if len(_BUTTONS) >= 50_000:
            _BUTTONS.clear()
        # Typed callback data (handlers.buttons) packs itself; raw parts are the older form.
        packed = data[0].pack() if len(data) == 1 and hasattr(data[0], "pack") else cb(*data)
        found = _BUTTONS[key] = Button(text, callback_data=packed)
    return found


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that turns itself into the Bot API's JSON form once. PTB does it on
    every call that carries a markup, walking every attribute of every button (more than it
    costs to build one), and ours are immutable and shared (`keyboard`), so most are sent many
    times. Everything else is PTB's InlineKeyboardMarkup."""

    __slots__ = ("_as_dict",)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        cached = getattr(self, "_as_dict", None)
        if cached is None:
            cached = super().to_dict()
            object.__setattr__(self, "_as_dict", cached)  # PTB objects are frozen: a cache only
        return dict(cached)  # a copy of the top level: nothing PTB does to it reaches the cache


_KEYBOARDS: dict[tuple, InlineKeyboardMarkup] = {}


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    """A keyboard of these rows. Shared like the buttons (most are made of shared buttons, and
    PTB's markup costs as much to build as a few of them): keyed by the buttons' identities,
    which cannot be reused while the cached markup holds them."""
    rows = [r for r in rows if r]
    if not rows:
        return None
    key = tuple(tuple(map(id, r)) for r in rows)
    found = _KEYBOARDS.get(key)
    if found is None:
        if len(_KEYBOARDS) >= 50_000:
            _KEYBOARDS.clear()
        found = _KEYBOARDS[key] = Keyboard(rows)
    return found


def pairs(buttons: list[InlineKeyboardButton], per_row: int = 2) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def nav_row(t: Translator, page: int, pages: int, *data: object,
            after: tuple = ()) -> list[InlineKeyboardButton]:
    """◀ n/N ▶ for paginated lists. The page's button data is `data[0](page)` when given one
    callable (a typed callback: `nav_row(t, page, pages, ApprovalsPage)`), else the raw parts
    `data`, the page, then `after`."""
    if pages <= 1:
        return []
    if len(data) == 1 and callable(data[0]):
        def target(n: int) -> tuple:
            return (data[0](n),)
    else:
        def target(n: int) -> tuple:
            return (*data, n, *after)
    row = []
    if page > 0:
        row.append(button("◀", *target(page - 1)))
    # TRANSLATORS: the page counter between the ◀ and ▶ buttons of a list, e.g. “2/5”.
    row.append(button(t._("{page}/{pages}", page=t.number(page + 1), pages=t.number(pages)),
                      PageCounter()))
    if page < pages - 1:
        row.append(button("▶", *target(page + 1)))
    return row


_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=4096)
def plain(html_text: str) -> str:
    """The text a person sees of our HTML (formatting aside), to compare with a sent message.
    Cached: every edit asks it, and most texts recur (cards, menus, lists)."""
    return html.unescape(_TAG.sub("", html_text)).strip()


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Keep a message under Telegram's limit (callers paginate; this is the last guard). An HTML
    text cut in the middle keeps its markup valid: a tag or an entity cut in half is dropped and
    the tags left open are closed, else Telegram refuses the whole message."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    while True:
        if cut.rfind("<") > cut.rfind(">"):  # inside a tag
            cut = cut[: cut.rfind("<")]
        if cut.rfind("&") > cut.rfind(";"):  # inside an entity (a bare & is always escaped)
            cut = cut[: cut.rfind("&")]
        open_tags: list[str] = []
        for match in _TAG.finditer(cut):
            name = match.group(2).lower()
            if not match.group(1):
                open_tags.append(name)
            elif name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
        closing = "".join(f"</{name}>" for name in reversed(open_tags))
        if len(cut) + 1 + len(closing) <= limit:
            return cut + "…" + closing
        cut = cut[: limit - 1 - len(closing)]


async def answer(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer the callback query once; an expired query is not worth a traceback."""
    query = update.callback_query
    if query is None or _answered.get() == query.id:
        return
    _answered.set(query.id)
    try:
        await query.answer(text[:200] if text else None, show_alert=alert)
    except BadRequest as exc:
        log.info("callback answer refused: %s", exc)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Edit the message whose button was pressed, or send a new one."""
    text = clip(text)
    query = update.callback_query
    if query is not None:
        await answer(update)
        message = query.message
        # An InaccessibleMessage (date == 0) cannot be edited, nor can a document or a photo
        # into text (a button under a calendar file): those get a new message.
        if isinstance(message, Message) and message.text is not None:
            if message.text == plain(text) and message.reply_markup == markup:
                return message  # Telegram refuses an edit that changes nothing
            try:
                edited = await message.edit_text(text, reply_markup=markup)
                return edited if isinstance(edited, Message) else message
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return message
                if "not found" not in str(exc).lower():
                    raise
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, reply_markup=markup)


async def say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send a new message to the person (answering a pending callback query first)."""
    await answer(update)
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(clip(text), reply_markup=markup)


async def send_file(update: Update, t: Translator, file: InputFile, caption: str | None = None,
                    markup: InlineKeyboardMarkup | None = None) -> bool:
    """Send a file the person asked for. When Telegram does not take it (a 5xx, a reset, a
    timeout), the error handler stays quiet for network errors, so the person would see only
    "Preparing…": say so instead, and that the same button sends it again. False if not sent."""
    chat = update.effective_chat
    if chat is None:
        return False
    try:
        await chat.send_document(file, caption=caption, reply_markup=markup)
        return True
    except BadRequest:
        raise  # a request we got wrong: the error handler's apology and alert
    except NetworkError as exc:  # TimedOut too: it may have arrived, hence "if it has not"
        log.warning("document not sent to chat=%s: %r", chat.id, exc)
    try:
        await chat.send_message(t.to_person("⚠️ Telegram did not take the file just now. If it has not "
                                          "arrived, tap the same button again in a moment."))
    except NetworkError as exc:  # Telegram is still away: the log line is all we can do
        log.info("could not say the file failed to chat=%s: %r", chat.id, exc)
    return False


async def fetch_file(update: Update, bot: Bot, t: Translator, file_id: str,
                     markup: InlineKeyboardMarkup | None = None) -> bytes | None:
    """The bytes of a file the person sent; None when Telegram does not hand it over (a 5xx, a
    reset, a timeout): the person is told (the error handler is quiet on network errors), with
    `markup` to try again from where they were."""
    try:
        return bytes(await (await bot.get_file(file_id)).download_as_bytearray())
    except BadRequest:
        raise  # a request we got wrong: the error handler's apology and alert
    except NetworkError as exc:
        log.warning("file not handed over by Telegram: %r", exc)
        await say(update, t.to_person("⚠️ Telegram did not hand over your file just now. "
                                      "Please try again in a moment."), markup)
        return None
