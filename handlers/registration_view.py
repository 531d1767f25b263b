"""How a person's registration shows on a session card: a status line and the actions left."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton

from bot.i18n import Translator
from bot.services.catalogue import Session
from bot.services.registrations import Registration
from handlers.registration_buttons import Accept, CalendarFile, Cancel, Decline, Join
from handlers.ui import button


def waitlist_line(t: Translator, position: int) -> str:
    return t.to_person("⏳ You are in position {ordinal} on the waitlist.", ordinal=t.ordinal(position))


def reserved_line(t: Translator, position: int, until: datetime | None) -> str:
    """Queued although seats are left: they are held for other administrations (quotas). The
    person is told why, and that a place comes to them if they are released."""
    if until is None:
        return t.to_person("⏳ The places left are reserved for other administrations. You are in "
                           "position {ordinal} on the waitlist.", ordinal=t.ordinal(position))
    return t.to_person("⏳ The places left are reserved for other administrations until {date}. You "
                       "are in position {ordinal} on the waitlist: they will be offered then.",
                       date=t.datetime(until), ordinal=t.ordinal(position))


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
                 decided_by: str = "focal_point", seats_left: int = 0) -> list[str]:
    """`decided_by`: who decides on a request (read only when the registration is one).
    `seats_left`: seats shown as left; someone waiting beside them waits for places reserved
    for other administrations (offers hold their seats), and is told so."""
    if reg is None:
        return []
    if reg.status == "confirmed":
        return [t.to_person("✅ You are registered for this session.")]
    if reg.status == "requested":
        return [waiting_line(t, decided_by)]
    if reg.status == "waitlisted" and position:
        return [waitlist_line(t, position)] + ([t.to_person(
            "🎟 The places left are reserved for other administrations: one will be offered to you "
            "if they are released.")] if seats_left else [])
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
        rows = [[button(t._("📅 Calendar file"), CalendarFile(reg.id))]]
        if s.starts_at > now:
            rows.append([button(t._("❌ Cancel my registration"), Cancel(reg.id))])
        return rows
    if status == "offered":
        return [[button(t._("✅ Accept the place"), Accept(reg.id)),
                 # TRANSLATORS: button: decline the place offered from the waitlist (asked again before it
                 # happens).
                 button(t._("Decline"), Decline(reg.id))]]
    if status == "requested":
        return [[button(t._("❌ Withdraw my request"), Cancel(reg.id))]]
    if status == "waitlisted":
        return [[button(t._("❌ Leave the waitlist"), Cancel(reg.id))]]
    if status in ("attended", "absent") or s.status != "published" or s.starts_at <= now:
        return []
    if s.registration_deadline and s.registration_deadline <= now:
        return []
    if s.needs_approval:
        return [[button(t._("📝 Ask for a place"), Join(s.id))]]
    if s.seats_left:
        return [[button(t._("✅ Register"), Join(s.id))]]
    return [[button(t._("⏳ Join the waitlist"), Join(s.id))]]
