"""When something happens, as a card, a part line and a draft show it. Its own module, below
handlers.cards and handlers.part_cards, which both show it (no circle of imports)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator


def when(t: Translator, start: datetime, end: datetime) -> str:
    """'jeudi 3 décembre 2026, 09:00 – 16:00', or start and end dates for several days (in
    Arabic 'من … إلى …': see Translator.span). Also the drafts of /newsession and a move."""
    if t.date(start) == t.date(end):
        return t.span(t.datetime(start), t.time(end))
    return t.span(t.datetime(start), t.datetime(end))
