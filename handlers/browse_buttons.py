"""The buttons of browsing: the catalogue, the main menu, the search pages and the language.

Declared apart from their handlers because those import one another (the menu opens a session
card, the catalogue goes back to the menu) and many other features link to a session card, a
training or the menu: they all import these values, never a handler module. The data of the
catalogue, menu and language buttons is the same as before typed callback data (`v1:cat:s:12:..`),
so buttons already sent, and any still built from raw parts, keep working.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Self

from bot.i18n import LANGUAGES
from handlers.buttons import Callback

NO_FILTER = ".."  # handlers.filters.pack(Filters()): what links from outside the catalogue carry


@dataclass(frozen=True)
class CatalogueHome(Callback, feature="cat", action="h"):
    """The themes, with these filters (packed by handlers.filters; forged ones mean 'none')."""

    filters: str = NO_FILTER


@dataclass(frozen=True)
class ThemePage(Callback, feature="cat", action="th"):
    theme: str
    filters: str = NO_FILTER
    page: int = 0


@dataclass(frozen=True)
class TrainingPage(Callback, feature="cat", action="t"):
    """A training's card and one page of its sessions."""

    training: int
    filters: str = NO_FILTER
    page: int = 0


@dataclass(frozen=True)
class SessionCard(Callback, feature="cat", action="s"):
    session: int
    filters: str = NO_FILTER


@dataclass(frozen=True)
class ModalityFilter(Callback, feature="cat", action="fm"):
    """The choices of a filter, each going back to the themes with it applied."""

    filters: str


@dataclass(frozen=True)
class MonthFilter(Callback, feature="cat", action="fd"):
    filters: str


@dataclass(frozen=True)
class PlaceFilter(Callback, feature="cat", action="fr"):
    filters: str


@dataclass(frozen=True)
class MainMenu(Callback, feature="menu", action="home"):
    pass


@dataclass(frozen=True)
class Help(Callback, feature="menu", action="help"):
    pass


@dataclass(frozen=True)
class LanguageMenu(Callback, feature="lang", action="menu"):
    pass


@dataclass(frozen=True)
class SetLanguage(Callback, feature="lang", action="set"):
    language: str

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        value = super().unpack(data)
        return value if value is not None and value.language in LANGUAGES else None


# A query is any text, and callback data fields are plain tokens: the query travels as URL-safe
# base64 of its UTF-8, which a token holds 30 bytes of (a few words, in either script).
QUERY_BYTES = 30
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class SearchPage(Callback, feature="q", action="p"):
    page: int
    query: str  # encoded: use SearchPage.of(page, text) and .text

    @classmethod
    def of(cls, page: int, text: str) -> SearchPage:
        """The button for a page of a search; the query is cut, on a character, to fit."""
        data = text.encode()[:QUERY_BYTES].decode(errors="ignore").strip().encode()
        return cls(page, base64.urlsafe_b64encode(data).decode().rstrip("="))

    @property
    def text(self) -> str:
        return _decode(self.query) or ""

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        value = super().unpack(data)
        return value if value is not None and _decode(value.query) else None


def _decode(token: str) -> str | None:
    """The query of a search page, or None when the token is not one we made."""
    if not _BASE64URL.fullmatch(token):
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return text if text.strip() else None
