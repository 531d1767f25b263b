"""Text utilities with no dependencies: cleaning user input and folding for search."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates typed by users could reorder the text around them
# (U+202E turns "txt.exe" into something else); zero-width characters hide content.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Strip bidi controls and zero-width characters from user input; normalise to NFC."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


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
