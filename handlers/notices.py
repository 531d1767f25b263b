"""What each outbox message says, rendered at send time in the recipient's current language.

A renderer returns None when the message no longer means anything (the offer was taken, the
registration cancelled meanwhile): the dispatcher then skips it instead of sending stale news."""

from __future__ import annotations

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.calendar import registration_ics
from bot.storage import catalogue as sessions_repo
from bot.storage import registrations as regs_repo
from bot.storage import users as users_repo
from bot.storage.catalogue import Session
from bot.storage.outbox import OutboxRow
from bot.storage.registrations import Registration
from handlers.cards import session_when, session_where
from handlers.ui import button, esc, keyboard

CAPTION_MAX = 1024


def calendar_file(services: Services, t: Translator, reg: Registration, s: Session,
                  method: str) -> tuple[str, bytes]:
    place = ", ".join(p for p in (t.pick(s.place_fr, s.place_ar),
                                  t.pick(s.region_fr or "", s.region_ar or "")) if p)
    content = registration_ics(
        registration_id=reg.id, sequence=reg.ics_sequence, method=method,
        title=t.pick(s.title_fr, s.title_ar), starts_at=s.starts_at, ends_at=s.ends_at,
        location=place or (s.online_url or ""), url=s.online_url,
        description=t._("e-TAMKEEN training session {reference}", reference=s.reference),
        now=services.clock.now())
    return f"e-tamkeen-{s.reference}.ics", content


def _summary(t: Translator, s: Session) -> str:
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t._("🗓 {when}", when=session_when(t, s))]
    where = session_where(t, s)
    return "\n".join([*lines, where] if where else lines)


def _clip(text: str) -> str:
    return text if len(text) <= CAPTION_MAX else text[: CAPTION_MAX - 1] + "…"


async def render(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    db = services.db
    if row.kind == "new_session":
        s = await db.read(sessions_repo.get_session, row.payload["session"])
        if s is None or s.status != "published" or s.starts_at <= services.clock.now():
            return None
        text = "\n".join([t._("🔔 A new session of a training you follow is open:"), _summary(t, s)])
        return Notice(text, keyboard([[button(t._("Open the session"), "cat", "s", s.id, "..")]]))

    def load(conn):
        reg = regs_repo.get(conn, row.payload["registration"])
        s = sessions_repo.get_session(conn, reg.session_id) if reg else None
        person = users_repo.get(conn, reg.user_id) if reg else None
        return reg, s, person

    reg, s, person = await db.read(load)
    if reg is None or s is None:
        return None
    return _RENDERERS[row.kind](services, t, reg, s, person)


def _confirmed(services, t, reg, s, person) -> Notice | None:
    if reg.status != "confirmed":
        return None
    text = "\n".join([t._("✅ Your place is confirmed:"), _summary(t, s),
                      t._("The calendar file adds the session to your calendar.")])
    rows = [[button(t._("❌ Cancel my registration"), "reg", "cancel", reg.id)]]
    return Notice(_clip(text), keyboard(rows), calendar_file(services, t, reg, s, "REQUEST"))


def _cancelled(services, t, reg, s, person) -> Notice | None:
    if reg.status != "cancelled":
        return None
    text = "\n".join([t._("Your registration is cancelled:"), _summary(t, s),
                      t._("Open the calendar file to remove the session from your calendar.")])
    return Notice(_clip(text), None, calendar_file(services, t, reg, s, "CANCEL"))


def _offer(services, t, reg, s, person) -> Notice | None:
    if reg.status != "offered" or not reg.expires_at or reg.expires_at <= services.clock.now():
        return None
    text = "\n".join([t._("🎟 A place has freed up for you:"), _summary(t, s),
                      t._("It is kept for you until {expiry}.", expiry=t.datetime(reg.expires_at))])
    rows = [[button(t._("✅ Accept the place"), "reg", "accept", reg.id),
             button(t._("Decline"), "reg", "decline", reg.id)]]
    return Notice(text, keyboard(rows))


def _offer_lapsed(services, t, reg, s, person) -> Notice | None:
    if reg.status != "lapsed":
        return None
    return Notice("\n".join([t._("⌛ The place offered to you was not accepted in time and went to "
                                 "the next person:"), _summary(t, s)]))


def _approval_request(services, t, reg, s, person) -> Notice | None:
    if reg.status != "requested" or person is None:
        return None
    admin = services.reference.get("administrations", person.administration_code)
    text = "\n".join([
        t._("📝 Approval request from {name} ({administration}) for:",
            name=esc(t.iso(person.full_name or "")),
            administration=esc(t.pick(admin.name_fr, admin.name_ar)) if admin else "—"),
        _summary(t, s),
        t.ngettext("{n} seat left.", "{n} seats left.", s.seats_left),
    ])
    rows = [[button(t._("✅ Approve"), "apr", "ok", reg.id), button(t._("❌ Refuse"), "apr", "no", reg.id)]]
    return Notice(text, keyboard(rows))


def _refused(services, t, reg, s, person) -> Notice | None:
    if reg.status != "rejected":
        return None
    lines = [t._("Your request was not approved:"), _summary(t, s)]
    if reg.reason:
        lines.append(t._("Reason: {reason}", reason=esc(t.iso(reg.reason))))
    return Notice("\n".join(lines))


def _approved_waitlisted(services, t, reg, s, person) -> Notice | None:
    if reg.status != "waitlisted":
        return None
    return Notice("\n".join([
        t._("Your request was approved, but the session is full: you are on the waitlist and will "
            "be offered the first place that frees up."), _summary(t, s)]))


def _request_expired(services, t, reg, s, person) -> Notice | None:
    if reg.status != "lapsed":
        return None
    return Notice("\n".join([t._("⌛ Your request was not answered in time and has expired:"),
                             _summary(t, s)]))


_RENDERERS = {
    "confirmed": _confirmed,
    "cancelled": _cancelled,
    "offer": _offer,
    "offer_lapsed": _offer_lapsed,
    "approval_request": _approval_request,
    "refused": _refused,
    "approved_waitlisted": _approved_waitlisted,
    "request_expired": _request_expired,
}
