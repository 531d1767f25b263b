"""Labels of coded values for reports, exports and charts, in the reader's language.

Sex, level and modality use the very msgids and contexts of handlers/labels.py, so the catalogs
hold one translation for each (services may not import handlers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import Translator
from bot.services.reference import ReferenceData

DIMENSIONS = ("sex", "administration", "level", "region", "modality", "training")


def sex(t: Translator, code: str | None) -> str:
    return {"F": t.pgettext("sex", "Woman"), "M": t.pgettext("sex", "Man")}.get(code or "", "—")


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


def status(t: Translator, code: str | None) -> str:
    """A registration's state (DESIGN 5.2), as a coordinator reads it on a roster."""
    return {
        "requested": t.pgettext("registration status", "Waiting for approval"),
        "confirmed": t.pgettext("registration status", "Confirmed"),
        "rejected": t.pgettext("registration status", "Refused"),
        "waitlisted": t.pgettext("registration status", "On the waitlist"),
        "offered": t.pgettext("registration status", "Seat offered"),
        "lapsed": t.pgettext("registration status", "Offer or request expired"),
        "declined": t.pgettext("registration status", "Offer declined"),
        "cancelled": t.pgettext("registration status", "Cancelled"),
        "attended": t.pgettext("registration status", "Attended"),
        "absent": t.pgettext("registration status", "Absent"),
    }.get(code or "", "—")


def dimension(t: Translator, name: str) -> str:
    """The name of a breakdown ("by …")."""
    return {
        "total": t.pgettext("breakdown", "All"),
        "sex": t.pgettext("breakdown", "Sex"),
        "administration": t.pgettext("breakdown", "Administration"),
        "level": t.pgettext("breakdown", "Level"),
        "region": t.pgettext("breakdown", "Region"),
        "modality": t.pgettext("breakdown", "Modality"),
        "training": t.pgettext("breakdown", "Training"),
        "position": t.pgettext("breakdown", "Position"),
        "theme": t.pgettext("breakdown", "Theme"),
    }[name]


def evaluation_kind(t: Translator, kind: str) -> str:
    return {"hot": t.pgettext("evaluation", "Hot (right after)"),
            "cold": t.pgettext("evaluation", "Cold (months later)")}.get(kind, kind)


@dataclass
class Namer:
    """Names the groups of every dimension (and statuses, positions) in one language:
    administrations, regions and positions from the reference data, trainings from their titles
    (given by the caller)."""

    t: Translator
    reference: ReferenceData
    trainings: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Exports ask for the same few labels on every row: each is made once.
    _cache: dict[tuple[str, object], str] = field(default_factory=dict)

    def __call__(self, dim: str, code: object) -> str:
        key = (dim, code)
        label = self._cache.get(key)
        if label is None:
            label = self._cache[key] = self._label(dim, code)
        return label

    def _label(self, dim: str, code: object) -> str:
        t = self.t
        if dim == "status":
            return status(t, code)  # type: ignore[arg-type]
        if dim in ("position", "theme"):
            ref = self.reference.get(f"{dim}s", code)  # type: ignore[arg-type]
            return t.pick(ref.name_fr, ref.name_ar) if ref else "—"
        if dim == "total":
            return t.pgettext("breakdown", "All")
        if dim == "sex":
            return sex(t, code)  # type: ignore[arg-type]
        if dim == "level":
            return level(t, code)  # type: ignore[arg-type]
        if dim == "modality":
            return modality(t, code)  # type: ignore[arg-type]
        if dim == "training":
            title = self.trainings.get(code) if isinstance(code, int) else None
            return t.pick(*title) if title else "—"
        if dim == "region" and code is None:
            return t.pgettext("region", "No region (central)")
        ref = self.reference.get("administrations" if dim == "administration" else "regions",
                                 code)  # type: ignore[arg-type]
        return t.pick(ref.name_fr, ref.name_ar) if ref else (str(code) if code else "—")
