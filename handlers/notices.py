"""What each outbox message says, rendered at send time in the recipient's current language.

A renderer returns None when the message no longer means anything (the offer was taken, the
registration cancelled meanwhile): the dispatcher then skips it instead of sending stale news."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import notice_reads as reads
from bot.services.calendar import registration_ics
from bot.services.catalogue import Session
from bot.services.notice_reads import OutboxRow
from bot.services.registrations import Registration
from bot.timeutil import from_db
from handlers.approvals import Approve, Refuse
from handlers.browse_buttons import CatalogueHome, SessionCard
from handlers.evaluation_notices import RENDERERS as EVALUATION_RENDERERS
from handlers.session_notices import RENDERERS as SESSION_RENDERERS
from handlers.session_notices import change_lines, reason_line
from handlers.session_notices import summary as _summary
from handlers.status import duration
from handlers.ui import button, esc, keyboard

CAPTION_MAX = 1024
EXTRA_RENDERERS = {**EVALUATION_RENDERERS, **SESSION_RENDERERS}  # features that render their own kinds


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


def _clip(text: str) -> str:
    return text if len(text) <= CAPTION_MAX else text[: CAPTION_MAX - 1] + "…"


async def render(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    extra = EXTRA_RENDERERS.get(row.kind)
    if extra is not None:
        return await extra(services, row, t)
    db = services.db
    if row.kind == "announcement":
        return await _announcement(services, row, t)
    if row.kind == "broadcast_report":
        return await _broadcast_report(services, row, t)
    if row.kind == "outage":
        return _outage(row, t)
    if row.kind == "new_session":
        s = await services.catalogue.session(row.payload["session"])
        if s is None or s.status != "published" or s.starts_at <= services.clock.now():
            return None
        text = "\n".join([t._("🔔 A new session of a training you follow is open:"), _summary(t, s)])
        return Notice(text, keyboard([[button(t._("Open the session"), SessionCard(s.id))]]))

    if row.kind == "approval_request":
        return await _approval_request(services, row, t)

    # The others describe the session only, which the catalogue keeps (most notices are
    # confirmations of a few sessions).
    def load(conn):
        reg = reads.registration(conn, row.payload["registration"])
        if reg is None:
            return None, None, None
        return reg, services.catalogue.description(conn, reg.session_id), None

    reg, s, person = await db.read(load)
    if reg is None or s is None:
        return None
    if row.kind == "reminder":
        return _reminder(services, t, reg, s, row.payload)
    if row.kind == "offer_lapsed":
        return _offer_lapsed(services, t, reg, s, row.payload)
    if row.kind == "session_cancelled":
        return _session_cancelled(services, t, reg, s, row.payload)
    if row.kind == "session_changed":
        return _session_changed(services, t, reg, s, row.payload)
    return _RENDERERS[row.kind](services, t, reg, s, person)


def _reminder(services, t, reg, s, payload) -> Notice | None:
    now = services.clock.now()
    if not reads.reminder_is_due(reg, s, payload, now, services.settings.reminder_hours):
        return None  # stale: skipped, never sent
    left = (s.starts_at - now).total_seconds() / 3600  # what is really left, even if sent late
    when = (t.ngettext("⏰ Reminder: your session starts in {n} day.",
                       "⏰ Reminder: your session starts in {n} days.", max(1, round(left / 24)))
            if left >= 36 else
            t.ngettext("⏰ Reminder: your session starts in {n} hour.",
                       "⏰ Reminder: your session starts in {n} hours.", max(1, round(left))))
    rows = [[button(t._("📅 Calendar file"), "reg", "ics", reg.id)]]
    if s.starts_at - now > timedelta(hours=services.settings.cancel_deadline_hours):
        rows.append([button(t._("❌ Cancel my registration"), "reg", "cancel", reg.id)])
    return Notice("\n".join([when, _summary(t, s)]), keyboard(rows))


def _session_changed(services, t, reg, s, payload) -> Notice | None:
    if reg.status not in ("confirmed", "offered", "requested", "waitlisted") or s.status != "published":
        return None
    text = "\n".join([t._("🔄 A session you are concerned by has changed. Here it is now:"),
                      _summary(t, s), "", *change_lines(t, payload.get("before"), s)]).rstrip()
    if reg.status == "confirmed":
        text += "\n" + t._("The calendar file updates the event in your calendar.")
        return Notice(_clip(text), None, calendar_file(services, t, reg, s, "REQUEST"))
    return Notice(text)


def _session_cancelled(services, t, reg, s, payload) -> Notice | None:
    text = "\n".join([t._("❌ This session has been cancelled by the organisers:"), _summary(t, s),
                      *reason_line(t, payload.get("reason")),
                      t._("We are sorry. You can look for another session in the catalogue.")])
    rows = keyboard([[button(t._("📚 Training catalogue"), CatalogueHome())]])
    if payload.get("had_place"):
        return Notice(_clip(text), rows, calendar_file(services, t, reg, s, "CANCEL"))
    return Notice(text, rows)


async def _broadcast(services: Services, broadcast_id: int):
    """A broadcast's text, sender name and session, read once and kept (they never change)."""
    cache = services.broadcast_cache
    found = cache.get(broadcast_id)
    if found is None:
        found = await services.db.read(reads.broadcast, broadcast_id)
        if found is None:
            return None
        if len(cache) > 1000:
            cache.clear()
        cache[broadcast_id] = found
    return found


async def _announcement(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    found = await _broadcast(services, row.payload["broadcast"])
    if found is None:
        return None
    b, sender, s = found.row, found.sender, found.session
    if b["kind"] == "trainer" and s is not None:
        head = t._("📣 Message from your trainer {name} about <b>{title}</b> ({date}):",
                   name=esc(t.iso(sender or "—")), title=esc(t.pick(s.title_fr, s.title_ar)),
                   date=t.date(s.starts_at))
    elif scope := json.loads(b["audience"] or "{}").get("scope"):
        # A focal point speaks for one administration: they sign, with its name.
        admin = services.reference.get("administrations", scope)
        head = t._("📣 Message from {name}, focal point of {administration}:",
                   name=esc(t.iso(sender or "—")),
                   administration=esc(t.pick(admin.name_fr, admin.name_ar) if admin else scope))
    else:
        head = t._("📣 Message from the e-TAMKEEN programme team:")
    return Notice(f"{head}\n\n{esc(b['text'])}")


def _outage(row: OutboxRow, t: Translator) -> Notice:
    """To the admins, once Telegram is back after a long outage (queued by the dispatcher)."""
    start, end = from_db(row.payload["from"]), from_db(row.payload["to"])
    lines = [
        t._("⚠️ Telegram could not be reached from {start} to {end} ({duration}): the bot sent "
            "nothing meanwhile and kept every message.", start=t.datetime(start), end=t.datetime(end),
            duration=duration(t, (end - start).total_seconds())),
    ]
    if row.payload["waiting"]:
        lines.append(t.ngettext("{n} message due was waiting when it came back; it is being sent now.",
                                "{n} messages due were waiting when it came back; they are being sent now.",
                                row.payload["waiting"]))
    return Notice("\n".join(lines))


async def _broadcast_report(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    progress = await services.broadcasts.progress(row.payload["broadcast"])
    if progress is None:
        return None
    return Notice("\n".join([
        t._("📊 Your message has been delivered."),
        t.ngettext("Delivered: {n} person", "Delivered: {n} people", progress.sent),
        t.ngettext("Could not be reached: {n} person", "Could not be reached: {n} people",
                   progress.unreachable + progress.failed),
    ]))


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
                      t.to_person("Open the calendar file to remove the session from your calendar.")])
    return Notice(_clip(text), None, calendar_file(services, t, reg, s, "CANCEL"))


def _offer(services, t, reg, s, person) -> Notice | None:
    if not reads.offer_is_open(reg, services.clock.now()):
        return None
    text = "\n".join([t._("🎟 A place has freed up for you:"), _summary(t, s),
                      t._("It is kept for you until {expiry}.", expiry=t.datetime(reg.expires_at))])
    rows = [[button(t._("✅ Accept the place"), "reg", "accept", reg.id),
             button(t._("Decline"), "reg", "decline", reg.id)]]
    return Notice(text, keyboard(rows))


def _offer_lapsed(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "lapsed":
        return None
    place = payload.get("place", "passed")  # where the seat went (RegistrationService, when an offer lapses)
    if place == "free":
        text = t._("⌛ The place offered to you was not accepted in time. Nobody else was waiting, "
                   "so it is free again: you can still register while it lasts.")
        rows = [[button(t._("Open the session"), SessionCard(s.id))]]
        return Notice("\n".join([text, _summary(t, s)]), keyboard(rows))
    if place == "closed":
        return Notice("\n".join([t._("⌛ The place offered to you was not accepted in time:"),
                                 _summary(t, s)]))
    return Notice("\n".join([t._("⌛ The place offered to you was not accepted in time and went to "
                                 "the next person:"), _summary(t, s)]))


async def _approval_request(services, row: OutboxRow, t: Translator) -> Notice | None:
    """Who asks and how many seats are left, read afresh; and, when the person asking could
    decide on others' requests, that someone else decides on theirs."""

    found = await services.db.read(reads.approval_request, row.payload["registration"],
                                   services.settings)
    if found is None:
        return None
    reg, s, person, approver = found.registration, found.session, found.person, found.asks_as_approver
    # Queued to its own author (before nobody decided on their own request): never shown.
    if reg.status != "requested" or person is None or s is None or row.user_id == reg.user_id:
        return None
    admin = services.reference.get("administrations", person.administration_code)
    lines = [
        t._("📝 Approval request from {name} ({administration}) for:",
            name=esc(t.iso(person.full_name or "")),
            administration=esc(t.pick(admin.name_fr, admin.name_ar)) if admin else "—"),
        _summary(t, s),
        t.ngettext("{n} seat left.", "{n} seats left.", s.seats_left),
    ]
    if approver:
        lines.append(t._("⚖️ The person asking is an approver of this administration, and nobody "
                         "decides on their own request: the decision is yours."))
    rows = [[button(t._("✅ Approve"), Approve(reg.id)), button(t._("❌ Refuse"), Refuse(reg.id))]]
    return Notice("\n".join(lines), keyboard(rows))


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
        t.to_person("Your request was approved, but the session is full: you are on the waitlist and will "
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
    "refused": _refused,
    "approved_waitlisted": _approved_waitlisted,
    "request_expired": _request_expired,
}
