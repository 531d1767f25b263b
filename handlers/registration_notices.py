"""What the outbox tells a person about their own registration: confirmed, cancelled, a place
offered or lapsed, a request expired, a reminder, their session changed or cancelled, and a new
session of a training they follow.
Rendered at send time in the recipient's language; None (skipped) when the news no longer holds
(the offer was taken, the registration cancelled meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import notice_reads as reads
from bot.services.calendar import registration_ics
from bot.services.catalogue import Session
from bot.services.notice_reads import OutboxRow
from bot.services.registrations import Registration
from bot.timeutil import to_db
from handlers.browse_buttons import CatalogueHome, SessionCard
from handlers.registration_buttons import Accept, CalendarFile, Cancel, Decline
from handlers.session_notices import change_lines, reason_line, summary
from handlers.test_notices import with_test
from handlers.ui import button, keyboard

CAPTION_MAX = 1024

About = Callable[[Services, Translator, Registration, Session, dict], "Notice | None"]


def calendar_file(services: Services, t: Translator, reg: Registration, s: Session,
                  method: str) -> tuple[str, bytes]:
    place = ", ".join(p for p in (t.pick(s.place_fr, s.place_ar),
                                  t.pick(s.region_fr or "", s.region_ar or "")) if p)
    content = registration_ics(
        registration_id=reg.id, sequence=reg.ics_sequence, method=method,
        title=t.pick(s.title_fr, s.title_ar), starts_at=s.starts_at, ends_at=s.ends_at,
        location=place or (s.online_url or ""), url=s.online_url,
        # TRANSLATORS: description of the event in the calendar file; {reference} is the session's code.
        description=t._("e-TAMKEEN training session {reference}", reference=s.reference),
        now=services.clock.now())
    return f"e-tamkeen-{s.reference}.ics", content


def clip_caption(text: str) -> str:
    return text if len(text) <= CAPTION_MAX else text[: CAPTION_MAX - 1] + "…"


def about_registration(render: About):
    """A renderer of a notice about one registration (its payload names it): the registration
    and its session are read first (the session as the catalogue describes it, which it keeps:
    most notices are confirmations of a few sessions); gone, the notice is skipped."""

    async def rendered(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
        def load(conn):
            reg = reads.registration(conn, row.payload["registration"])
            if reg is None:
                return None, None
            return reg, services.catalogue.description(conn, reg.session_id)

        reg, s = await services.db.read(load)
        if reg is None or s is None:
            return None
        return render(services, t, reg, s, row.payload)

    rendered.__qualname__ = f"about_registration({render.__name__})"
    return rendered


async def _new_session(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    """A new session of a training the person follows (the interest button of its screen)."""
    s = await services.db.read(reads.session, row.payload["session"])
    if s is None or s.status != "published" or s.starts_at <= services.clock.now():
        return None
    text = "\n".join([t._("🔔 A new session of a training you follow is open:"), summary(t, s)])
    return Notice(text, keyboard([[button(t._("Open the session"), SessionCard(s.id))]]))


def _reminder(services, t, reg, s, payload) -> Notice | None:
    now = services.clock.now()
    # A reminder for a time that no longer holds (the session moved), a cancelled place or a
    # session already under way is stale: skipped, never sent.
    if (reg.status != "confirmed" or s.status != "published" or s.starts_at <= now or s.parts
            or payload.get("starts_at") != to_db(s.starts_at)):
        return None
    hours = payload.get("hours", 0)
    # Caught up after downtime: a reminder overtaken by a closer one is not worth sending.
    if any(h < hours and s.starts_at - timedelta(hours=h) <= now
           for h in services.settings.reminder_hours):
        return None
    left = (s.starts_at - now).total_seconds() / 3600  # what is really left, even if sent late
    when = (t.ngettext("⏰ Reminder: your session starts in {n} day.",
                       "⏰ Reminder: your session starts in {n} days.", max(1, round(left / 24)))
            if left >= 36 else
            t.ngettext("⏰ Reminder: your session starts in {n} hour.",
                       "⏰ Reminder: your session starts in {n} hours.", max(1, round(left))))
    rows = [[button(t._("📅 Calendar file"), CalendarFile(reg.id))]]
    if s.starts_at - now > timedelta(hours=services.settings.cancel_deadline_hours):
        rows.append([button(t._("❌ Cancel my registration"), Cancel(reg.id))])
    return Notice("\n".join([when, summary(t, s)]), keyboard(rows))


def _confirmed(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "confirmed":
        return None
    rows = [[button(t._("❌ Cancel my registration"), Cancel(reg.id))]]
    if s.parts:  # one calendar file per part follows (bot/services/part_notices.py)
        text = "\n".join([t._("✅ Your place is confirmed:"), summary(t, s),
                          t._("A calendar file for each part follows.")])
        return Notice(clip_caption(text), keyboard(rows))
    text = "\n".join([t._("✅ Your place is confirmed:"), summary(t, s),
                      t._("The calendar file adds the session to your calendar.")])
    return Notice(clip_caption(text), keyboard(rows), calendar_file(services, t, reg, s, "REQUEST"))


def _cancelled(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "cancelled":
        return None
    if s.parts:  # each part's cancelled event follows
        return Notice(clip_caption("\n".join([t._("Your registration is cancelled:"), summary(t, s)])))
    text = "\n".join([t._("Your registration is cancelled:"), summary(t, s),
                      t.to_person("Open the calendar file to remove the session from your calendar.")])
    return Notice(clip_caption(text), None, calendar_file(services, t, reg, s, "CANCEL"))


def _offer(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "offered" or not reg.expires_at or reg.expires_at <= services.clock.now():
        return None
    text = "\n".join([t._("🎟 A place has freed up for you:"), summary(t, s),
                      t._("It is kept for you until {expiry}.", expiry=t.datetime(reg.expires_at))])
    rows = [[button(t._("✅ Accept the place"), Accept(reg.id)),
             button(t._("Decline"), Decline(reg.id))]]
    return Notice(text, keyboard(rows))


def _offer_lapsed(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "lapsed":
        return None
    place = payload.get("place", "passed")  # where the seat went (RegistrationService._lapse)
    if place == "free":
        text = t._("⌛ The place offered to you was not accepted in time. Nobody else was waiting, "
                   "so it is free again: you can still register while it lasts.")
        rows = [[button(t._("Open the session"), SessionCard(s.id))]]
        return Notice("\n".join([text, summary(t, s)]), keyboard(rows))
    if place == "closed":
        return Notice("\n".join([t._("⌛ The place offered to you was not accepted in time:"),
                                 summary(t, s)]))
    return Notice("\n".join([t._("⌛ The place offered to you was not accepted in time and went to "
                                 "the next person:"), summary(t, s)]))


def _request_expired(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "lapsed":
        return None
    return Notice("\n".join([t._("⌛ Your request was not answered in time and has expired:"),
                             summary(t, s)]))


def _session_changed(services, t, reg, s, payload) -> Notice | None:
    if reg.status not in ("confirmed", "offered", "requested", "waitlisted") or s.status != "published":
        return None
    text = "\n".join([t._("🔄 A session you are concerned by has changed. Here it is now:"),
                      summary(t, s), "", *change_lines(t, payload.get("before"), s)]).rstrip()
    if reg.status == "confirmed":
        text += "\n" + t._("The calendar file updates the event in your calendar.")
        return Notice(clip_caption(text), None, calendar_file(services, t, reg, s, "REQUEST"))
    return Notice(text)


def _session_cancelled(services, t, reg, s, payload) -> Notice | None:
    text = "\n".join([t._("❌ This session has been cancelled by the organisers:"), summary(t, s),
                      *reason_line(t, payload.get("reason")),
                      t._("We are sorry. You can look for another session in the catalogue.")])
    rows = keyboard([[button(t._("📚 Training catalogue"), CatalogueHome())]])
    if payload.get("had_place") and not s.parts:  # a session in parts: each part's file follows
        return Notice(clip_caption(text), rows, calendar_file(services, t, reg, s, "CANCEL"))
    return Notice(text, rows)


async def _confirmed_with_test(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    notice = await about_registration(_confirmed)(services, row, t)
    if notice is not None:  # the pre-test is offered with it (handlers/test_notices.py)
        notice = await with_test(services, t, notice, row.payload["registration"], "pre")
    return notice


RENDERERS = {
    "new_session": _new_session,
    "reminder": about_registration(_reminder),
    "confirmed": _confirmed_with_test,
    "cancelled": about_registration(_cancelled),
    "offer": about_registration(_offer),
    "offer_lapsed": about_registration(_offer_lapsed),
    "request_expired": about_registration(_request_expired),
    "session_changed": about_registration(_session_changed),
    "session_cancelled": about_registration(_session_cancelled),
}
