"""What a session in parts sends: each part's calendar event (on confirmation; when a part is
added, moved or removed, that part's alone) and the reminders before each part. Rendered at
send time in the recipient's language; None (skipped) when the news no longer holds."""

from __future__ import annotations

from datetime import timedelta

from telegram import InputFile, Update

from bot.context import BotContext, Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.calendar import part_ics
from bot.services.notice_reads import OutboxRow
from bot.services.part_notices import PART_EVENT, PART_REMINDER, PART_SPLIT
from bot.services.session_parts import Part
from bot.timeutil import from_db, to_db
from handlers.part_cards import part_line
from handlers.ui import answer, esc, send_file


def part_file(services: Services, t: Translator, reg_id: int, s, part: Part,
              method: str) -> tuple[str, bytes]:
    """One part's calendar file (its own UID), in the recipient's language."""
    content = part_ics(
        registration_id=reg_id, part_id=part.id, sequence=part.sequence, method=method,
        title=t.pick(s.title_fr, s.title_ar), starts_at=part.starts_at, ends_at=part.ends_at,
        location=t.pick(part.place_fr, part.place_ar) or (part.online_url or ""), url=part.online_url,
        description=t._("e-TAMKEEN training session {reference}", reference=s.reference),
        now=services.clock.now())
    return f"e-tamkeen-{s.reference}-{part.id}.ics", content


async def _load(services: Services, row: OutboxRow):
    def read(conn):
        from bot.services import notice_reads as reads

        reg = reads.registration(conn, row.payload["registration"])
        return reg, services.catalogue.description(conn, reg.session_id) if reg else None

    return await services.db.read(read)


def _from_payload(s, payload: dict) -> Part:
    return Part(payload["part"], s.id, 0, from_db(payload["starts_at"]), from_db(payload["ends_at"]),
                payload.get("place_fr") or "", payload.get("place_ar") or "",
                payload.get("online_url"), None, payload["sequence"])


async def _event(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    reg, s = await _load(services, row)
    p = row.payload
    if reg is None or s is None or (s.status != "published" and p["method"] != "CANCEL"):
        return None
    current = next((part for part in s.parts if part.id == p["part"]), None)
    title = f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>"
    if p["method"] == "CANCEL":
        if p["change"] == "left" and reg.status == "confirmed":
            return None  # registered again before it went: the new events follow
        part = _from_payload(s, p)
        if current is not None and p["change"] == "removed":
            return None  # not removed after all (cannot happen today: ids are not reused)
        said = (t._("❌ A part of this session has been removed:") if p["change"] == "removed"
                else t._("❌ This session has been cancelled.") if s.status == "cancelled"
                else t._("Your registration is cancelled:"))
        text = "\n".join([said, title, part_line(t, part, max(len(s.parts), 1)),
                          t.to_person("Open the calendar file to remove it from your calendar.")])
        return Notice(text, None, part_file(services, t, reg.id, s, part, "CANCEL"))
    # A newer change of this part sends its own event: this one is stale.
    if reg.status != "confirmed" or current is None or current.sequence != p["sequence"]:
        return None
    said = (t._("🔄 A part of this session has changed. Here it is now:") if p["change"] == "moved"
            else t._("📅 A part of your session:"))
    text = "\n".join([said, title, part_line(t, current, len(s.parts)),
                      t._("The calendar file puts this part in your calendar.")])
    return Notice(text, None, part_file(services, t, reg.id, s, current, "REQUEST"))


async def _split(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    """The session now runs in parts: its former single event leaves the calendar."""
    from handlers.registration_notices import calendar_file  # the single event's file

    reg, s = await _load(services, row)
    if reg is None or s is None or reg.status != "confirmed" or not s.parts:
        return None
    text = "\n".join([t.ngettext("🧩 Your session now runs in {n} part: each part's calendar event "
                                  "follows.", "🧩 Your session now runs in {n} parts: each part's "
                                  "calendar event follows.", len(s.parts)),
                      f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>",
                      t._("This file removes the former single event from your calendar.")])
    return Notice(text, None, calendar_file(services, t, reg, s, "CANCEL"))


async def _reminder(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    reg, s = await _load(services, row)
    p = row.payload
    now = services.clock.now()
    if reg is None or s is None or reg.status != "confirmed" or s.status != "published":
        return None
    part = next((part for part in s.parts if part.id == p["part"]), None)
    # Moved (a new reminder was queued at its new time), removed, or already begun: stale.
    if part is None or part.starts_at <= now or p.get("starts_at") != to_db(part.starts_at):
        return None
    hours = p.get("hours", 0)
    if any(h < hours and part.starts_at - timedelta(hours=h) <= now
           for h in services.settings.reminder_hours):
        return None  # overtaken by a closer reminder (caught up after downtime)
    left = (part.starts_at - now).total_seconds() / 3600
    when = (t.ngettext("⏰ Reminder: the next part of your session starts in {n} day.",
                       "⏰ Reminder: the next part of your session starts in {n} days.",
                       max(1, round(left / 24))) if left >= 36 else
            t.ngettext("⏰ Reminder: the next part of your session starts in {n} hour.",
                       "⏰ Reminder: the next part of your session starts in {n} hours.",
                       max(1, round(left))))
    return Notice("\n".join([when, f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>",
                             part_line(t, part, len(s.parts))]))


async def send_part_files(update: Update, context: BotContext, reg, session_id: int) -> bool:
    """The '📅 Calendar file' button of a session in parts: one file per part (False for a
    session in one piece, which has its one file)."""
    services = context.services
    s = await services.db.read(services.catalogue.description, session_id)
    if s is None or not s.parts:
        return False
    t = context.t
    await answer(update)
    for part in s.parts:
        name, content = part_file(services, t, reg.id, s, part, "REQUEST")
        await send_file(update, t, InputFile(content, filename=name),
                        caption=part_line(t, part, len(s.parts)))
    return True


RENDERERS = {PART_EVENT: _event, PART_REMINDER: _reminder, PART_SPLIT: _split}
