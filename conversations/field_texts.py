"""What the field-edit flow says about a field: its name, the question, its value shown, and the
buttons of a field chosen rather than typed (conversations/field_edit)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.field_edit import SESSION_LANGUAGES
from bot.timeutil import from_db
from handlers import labels
from handlers.buttons import Callback
from handlers.ui import button, esc, pairs

SHOWN_MAX = 1200  # old and new side by side stay well within a message (4096)
# Fields whose change participants are told about (bot/services/sessions.tell_change).
TOLD = ("place_fr", "place_ar", "online_url")


# The buttons of the field-edit flow, read while its draft is open; pressed once it is closed,
# they are stale buttons like any other (handlers.fallback).
@dataclass(frozen=True)
class NoDeadline(Callback, feature="fe", action="nd"):
    pass


@dataclass(frozen=True)
class Approval(Callback, feature="fe", action="a"):
    needed: bool


@dataclass(frozen=True)
class Language(Callback, feature="fe", action="l"):
    index: int  # in SESSION_LANGUAGES ("fr+ar" cannot go in callback data as it is)


@dataclass(frozen=True)
class Region(Callback, feature="fe", action="r"):
    code: str


@dataclass(frozen=True)
class Confirm(Callback, feature="fe", action="go"):
    pass


@dataclass(frozen=True)
class KeepAsItWas(Callback, feature="fe", action="no"):
    pass


def field_name(t: Translator, field: str) -> str:
    return {
        "place_fr": t._("Place in French"),
        "place_ar": t._("Place in Arabic"),
        "online_url": t._("Online link"),
        "registration_deadline": t._("Registration deadline"),
        "needs_approval": t._("Approval by the focal point"),
        "language": t._("Language of the session"),
        "region_code": t._("Region"),
        "title_fr": t._("Title in French"),
        "title_ar": t._("Title in Arabic"),
        "description_fr": t._("Description in French"),
        "description_ar": t._("Description in Arabic"),
    }[field]


def question(t: Translator, field: str) -> str:
    if field == "online_url":
        return t.to_person("Type the new link of the online meeting, starting with https://. "
                           "(/cancel to stop)")
    if field == "registration_deadline":
        return t.to_person("Type the new registration deadline, in Moroccan time, as YYYY-MM-DD HH:MM (no "
                           "later than the start), or press No deadline. (/cancel to stop)")
    if field in ("needs_approval", "language", "region_code"):
        return t.to_person("Choose the new value. (/cancel to stop)")
    return t.to_person("Type the new text. (/cancel to stop)")


def choices(context: BotContext, field: str) -> list[list]:
    """The buttons of a field chosen from a list (and of No deadline)."""
    t = context.t
    if field == "registration_deadline":
        return [[button(t._("No deadline"), NoDeadline())]]
    if field == "needs_approval":
        return [[button(t._("Yes"), Approval(True)), button(t._("No"), Approval(False))]]
    if field == "language":
        return [[button(labels.session_language(t, c), Language(i)) for i, c in enumerate(SESSION_LANGUAGES)]]
    if field == "region_code":
        return pairs([button(t.pick(r.name_fr, r.name_ar), Region(r.code))
                      for r in context.services.reference.regions])
    return []


def shown(context: BotContext, field: str, value) -> str:
    """A value as the person reads it (HTML-escaped); `value` as the draft stores it."""
    t = context.t
    if value is None or value == "":
        return t._("no deadline") if field == "registration_deadline" else "—"
    if field == "registration_deadline":
        return t.datetime(from_db(value))
    if field == "needs_approval":
        return t._("Yes") if value else t._("No")
    if field == "language":
        return labels.session_language(t, value)
    if field == "region_code":
        region = context.services.reference.get("regions", value)
        return esc(t.pick(region.name_fr, region.name_ar) if region else value)
    text = value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX] + "…"
    return esc(t.iso(text))
