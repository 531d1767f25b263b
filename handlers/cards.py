"""How a training and a session look in a message."""

from __future__ import annotations

from functools import lru_cache

from bot.i18n import Translator, translator
from bot.services.catalogue import Session, Training
from handlers import labels
from handlers.dates import when
from handlers.part_cards import part_lines
from handlers.ui import esc

DESCRIPTION_MAX = 900


def session_when(t: Translator, s: Session) -> str:
    return when(t, s.starts_at, s.ends_at)


def session_where(t: Translator, s: Session) -> str:
    place = t.pick(s.place_fr, s.place_ar)
    region = t.pick(s.region_fr or "", s.region_ar or "")
    parts = []
    if place or region:
        parts.append(t._("📍 {place}", place=esc(t.join(p for p in (place, region) if p))))
    if s.online_url:
        parts.append(t._("💻 Online: {link}", link=esc(t.iso(s.online_url))))
    return "\n".join(parts)


def session_button(t: Translator, s: Session) -> str:
    """A short line for a list: date, place or 'online', seats."""
    # TRANSLATORS: where a session takes place when it is held online (in place of a town).
    where = t.pick(s.place_fr, s.place_ar) or t._("online")
    where = where.split(",")[-1].strip() or where
    # TRANSLATORS: places still free, at the end of a short session line (date · town · seats).
    seats = (t.ngettext("{n} seat", "{n} seats", s.seats_left) if s.seats_left
             # TRANSLATORS: a session with no place left, at the end of a short session line.
             else t._("full"))
    return f"{t.short_date(s.starts_at)} · {where} · {seats}"


def session_card(t: Translator, s: Session, now, link: str) -> str:
    """The card's text. It is what every tap on a session, a registration or a cancellation
    shows, and it changes only with the session, its seats and two instants (its start, its
    registration deadline): rendered once per language and such state (a tenth of a
    registration's own work, profiled)."""
    if s.status == "cancelled":
        state: tuple = ("cancelled",)
    elif s.starts_at <= now:
        state = ("started",)
    else:
        state = ("open", s.registration_deadline is not None and s.registration_deadline > now)
    return _session_card(t.lang, s, state, link)


@lru_cache(maxsize=4096)
def _session_card(lang: str, s: Session, state: tuple, link: str) -> str:
    t = translator(lang)
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>",
             t._("🗓 {when}", when=session_when(t, s)), *part_lines(t, s)]
    where = session_where(t, s)
    if where:
        lines.append(where)
    # TRANSLATORS: {modality}: in person, online or blended; {language}: the language the session is taught
    # in.
    lines.append(t._("🎓 {modality} · in {language}", modality=labels.modality(t, s.modality),
                     language=labels.session_language(t, s.language)))
    if s.trainer_name:
        lines.append(t._("👤 Trainer: {name}", name=esc(t.iso(s.trainer_name))))
    if state[0] == "cancelled":
        lines.append(t._("❌ This session has been cancelled."))
    elif state[0] == "started":
        lines.append(t._("This session has already started or taken place."))
    else:
        if s.seats_left:
            lines.append(t.ngettext("🪑 {n} seat left out of {capacity}",
                                    "🪑 {n} seats left out of {capacity}", s.seats_left,
                                    capacity=t.number(s.capacity)))
        else:
            lines.append(t._("🪑 Full ({capacity} seats)", capacity=t.number(s.capacity)))
        if s.registration_deadline:
            if state[1]:
                lines.append(t._("⏳ Registration until {deadline}",
                                 deadline=t.datetime(s.registration_deadline)))
            else:
                lines.append(t._("⏳ Registration closed on {deadline}",
                                 deadline=t.datetime(s.registration_deadline)))
        if s.needs_approval:
            lines.append(t._("✅ Registration needs the approval of your focal point."))
    lines.append(t._("🔗 Share: {link}", link=esc(t.iso(link))))
    return "\n".join(lines)


def training_card(t: Translator, tr: Training, theme_name: str) -> str:
    lines = [f"<b>{esc(t.pick(tr.title_fr, tr.title_ar))}</b>",
             t._("Theme: {theme}", theme=esc(theme_name)),
             t._("🎓 {modality} · {level}", modality=labels.modality(t, tr.modality),
                 level=labels.training_level(t, tr.level))]
    if tr.duration_hours:
        hours = int(tr.duration_hours) if float(tr.duration_hours).is_integer() else tr.duration_hours
        # TRANSLATORS: the length of a training.
        lines.append(t.ngettext("⏱ {n} hour", "⏱ {n} hours", hours))
    description = t.pick(tr.description_fr, tr.description_ar)
    if description:
        if len(description) > DESCRIPTION_MAX:
            description = description[:DESCRIPTION_MAX].rsplit(" ", 1)[0] + "…"
        lines.append("")
        lines.append(esc(description))
    return "\n".join(lines)
