"""Text utilities with no dependencies: cleaning user input, reading numbers and names, and
folding for search."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates typed by users could reorder the text around them
# (U+202E turns "txt.exe" into something else); zero-width characters hide content.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Strip bidi controls and zero-width characters from user input; normalise to NFC."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


# Eastern Arabic (U+0660-0669) and Persian (U+06F0-06F9) digits, read as 0-9: phones with an
# Arabic keyboard type them. No other script's digits are read.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Telegram's ids have at most 52 significant bits (16 digits); SQLite's integers hold 19.
INT_MAX_DIGITS = 16


def ascii_digits(text: str) -> str:
    """Eastern Arabic and Persian digits as ASCII ones; everything else unchanged."""
    return text.translate(_DIGITS)


def parse_int(text: str | None, max_digits: int = INT_MAX_DIGITS) -> int | None:
    """A whole number from 0, typed by a person or read from callback data; None otherwise.

    The one place numbers are read. Only ASCII, Eastern Arabic and Persian digits, with around
    them only spaces and the marks clean_text strips: no sign, no decimal point, and none of
    the other characters str.isdigit() lets through ("²", "①", which int() refuses) or int()
    reads (Devanagari, Thai... digits nobody here types).
    """
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):  # the common case (our buttons) costs nothing more
        text = ascii_digits(clean_text(text))
        if not (text.isascii() and text.isdigit()):
            return None
    return int(text) if len(text) <= max_digits else None


# Letters (Unicode category Lo) that print nothing: the Hangul fillers, a known way to send a
# blank name. The braille blank (So) prints nothing either. Both count as spaces in a name.
_BLANK_GLYPHS = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " ")


def visible_name(text: str) -> str:
    """A typed name as it prints: control and format characters (zero-width, bidi, soft hyphen,
    tags...) removed, blank glyphs and line breaks turned into spaces, spaces collapsed."""
    text = clean_text(text).translate(_BLANK_GLYPHS)
    text = "".join(" " if c.isspace() else c for c in text
                   if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold for search: case, Latin accents, Arabic diacritics and letter variants ignored."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))  # accents and harakat
    text = text.replace("\u0640", "")  # tatweel
    for variants, plain in (("أإآٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي")):
        for v in variants:
            text = text.replace(v, plain)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def words(text: str) -> list[str]:
    """The folded words of a search query."""
    return fold(text).split()
