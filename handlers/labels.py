"""Labels of coded values, translated through the catalogs (pgettext keeps short words apart)."""

from __future__ import annotations

from bot.i18n import Translator

# One definition for the bot and the reports (services cannot import handlers).
from bot.services.vocabulary import level, modality, sex  # noqa: F401


def training_level(t: Translator, code: str | None) -> str:
    return {
        "strategique": t.pgettext("training level", "Strategic"),
        "operationnel": t.pgettext("training level", "Operational"),
        "tous": t.pgettext("training level", "All levels"),
    }.get(code or "", "—")


def session_language(t: Translator, code: str | None) -> str:
    return {
        "fr": t.pgettext("session language", "French"),
        "ar": t.pgettext("session language", "Arabic"),
        "fr+ar": t.pgettext("session language", "French and Arabic"),
    }.get(code or "", "—")


LANGUAGE_NAMES = {"fr": "Français", "ar": "العربية"}
