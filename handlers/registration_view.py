"""How a person's registration shows on a session card: a status line and the actions left."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.i18n import Translator
from bot.services.catalogue import Session
from bot.services.registrations import Registration
from handlers.ui import button


def waitlist_line(t: Translator, position: int) -> str:
    return t.to_person("⏳ You are in position {ordinal} on the waitlist.", ordinal=t.ordinal(position))


def request_sent(t: Translator, decided_by: str) -> str:
    """The answer to a request for a place, naming who really decides (approvers.decided_by)."""
    if decided_by == "other_focal_point":
        return t.to_person("📝 Request sent: another focal point of your administration decides, as "
                           "nobody decides on their own request. You will be told of the decision.")
    if decided_by == "national":
        return t.to_person("📝 Request sent to the national team: nobody else in your administration "
                           "can decide on it. You will be told of the decision.")
    return t._("📝 Request sent to your focal point. You will be told of the decision.")


def waiting_line(t: Translator, decided_by: str) -> str:
    if decided_by == "other_focal_point":
        return t.to_person("📝 Your request is waiting for the approval of another focal point of "
                           "your administration.")
    if decided_by == "national":
        return t.to_person("📝 Your request is waiting for the approval of the national team.")
    return t._("📝 Your request is waiting for the approval of your focal point.")


def status_lines(t: Translator, reg: Registration | None, position: int | None,
                 decided_by: str = "focal_point") -> list[str]:
    """`decided_by`: who decides on a request (read only when the registration is one)."""
    if reg is None:
        return []
    if reg.status == "confirmed":
        return [t.to_person("✅ You are registered for this session.")]
    if reg.status == "requested":
        return [waiting_line(t, decided_by)]
    if reg.status == "waitlisted" and position:
        return [waitlist_line(t, position)]
    if reg.status == "offered" and reg.expires_at:
        return [t._("🎟 A place is offered to you until {expiry}.", expiry=t.datetime(reg.expires_at))]
    if reg.status == "attended":
        return [t._("✅ You attended this session.")]
    if reg.status == "absent":
        return [t._("You were marked absent from this session.")]
    if reg.status == "rejected":
        return [t._("Your request for this session was not approved.")]
    return []


def actions(t: Translator, s: Session, reg: Registration | None, now) -> list[list[InlineKeyboardButton]]:
    """The buttons a person may press on the card, given the session and their registration."""
    status = reg.status if reg else None
    if status == "confirmed":
        rows = [[button(t._("📅 Calendar file"), "reg", "ics", reg.id)]]
        if s.starts_at > now:
            rows.append([button(t._("❌ Cancel my registration"), "reg", "cancel", reg.id)])
        return rows
    if status == "offered":
        return [[button(t._("✅ Accept the place"), "reg", "accept", reg.id),
                 button(t._("Decline"), "reg", "decline", reg.id)]]
    if status == "requested":
        return [[button(t._("❌ Withdraw my request"), "reg", "cancel", reg.id)]]
    if status == "waitlisted":
        return [[button(t._("❌ Leave the waitlist"), "reg", "cancel", reg.id)]]
    if status in ("attended", "absent") or s.status != "published" or s.starts_at <= now:
        return []
    if s.registration_deadline and s.registration_deadline <= now:
        return []
    if s.needs_approval:
        return [[button(t._("📝 Ask for a place"), "reg", "join", s.id)]]
    if s.seats_left:
        return [[button(t._("✅ Register"), "reg", "join", s.id)]]
    return [[button(t._("⏳ Join the waitlist"), "reg", "join", s.id)]]
