"""Labels of coded values, translated through the catalogs (pgettext keeps short words apart)."""

from __future__ import annotations

from bot.i18n import Translator


def sex(t: Translator, code: str | None) -> str:
    return {
        "F": t.pgettext("sex", "Woman"),
        "M": t.pgettext("sex", "Man"),
    }.get(code or "", "—")


def level(t: Translator, code: str | None) -> str:
    return {
        "central": t.pgettext("level", "Central administration"),
        "territorial": t.pgettext("level", "Territorial (regional or local) services"),
    }.get(code or "", "—")


def modality(t: Translator, code: str | None) -> str:
    return {
        "presentiel": t.pgettext("modality", "In person"),
        "distanciel": t.pgettext("modality", "Online (e-learning)"),
        "hybride": t.pgettext("modality", "Blended"),
        "coaching": t.pgettext("modality", "Coaching"),
        "voyage_etude": t.pgettext("modality", "Study trip"),
    }.get(code or "", "—")


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
