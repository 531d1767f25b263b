"""The date formats a person is asked to type are written in their language: French says
AAAA-MM-JJ (année, mois, jour), never the English YYYY-MM-DD. Before, /newsession asked the start
as "YYYY-MM-DD" and, on the next screen, the release date of the plan lines' places as
"AAAA-MM-JJ"."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n import translator

CATALOG = Path(__file__).resolve().parent.parent / "locales" / "fr" / "LC_MESSAGES" / "messages.po"


def test_no_french_text_asks_for_yyyy_mm_dd():
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    english = [m.id for m in catalog if m.id and any("YYYY" in s for s in (
        m.string if isinstance(m.string, tuple) else (m.string,)) if s)]
    assert not english, english


def test_the_new_session_start_question_in_french():
    fr = translator("fr")
    assert "AAAA-MM-JJ HH:MM" in fr._("Start, in Moroccan time, as YYYY-MM-DD HH:MM.")
