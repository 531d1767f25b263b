"""French does not agree with "vous": the "female" entries of the French catalog take the plain
translation, filled by `make i18n` (never by hand), so the catalog is complete and a woman reads
exactly what a man reads. Only empty entries are filled: a real French feminine form written
by a translator stays."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.i18n import FEMALE

PO = Path(__file__).resolve().parent.parent / "locales" / "fr" / "LC_MESSAGES" / "messages.po"


def fill(po: Path = PO) -> int:
    with po.open("rb") as f:
        catalog = read_po(f, locale="fr")
    filled = 0
    for message in catalog:
        if message.context != FEMALE:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(strings):
            continue
        plain = catalog.get(message.id)
        if plain is not None and plain.string:
            message.string = plain.string
            filled += 1
    if filled:
        with po.open("wb") as f:
            write_po(f, catalog, width=76)
    return filled


if __name__ == "__main__":
    print(f"{fill()} French 'female' entries take the plain form", file=sys.stderr)
