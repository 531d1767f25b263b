"""What a session's changes say: old → new time and place for everyone concerned, and the
trainer's own news (assigned, no longer assigned, moved, cancelled). Rendered at send time in the
recipient's language; None (skipped) when the news no longer holds."""

from __future__ import annotations

from dataclasses import replace

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.catalogue import Session
from bot.services.notice_reads import OutboxRow
from bot.timeutil import from_db
from handlers.cards import session_when, session_where
from handlers.part_cards import part_lines
from handlers.session_buttons import MySessions
from handlers.ui import button, esc, keyboard


def summary(t: Translator, s: Session) -> str:
    lines = [f"<b>{esc(t.pick(s.title_fr, s.title_ar))}</b>", t._("🗓 {when}", when=session_when(t, s)),
             *part_lines(t, s)]
    where = session_where(t, s)
    return "\n".join([*lines, where] if where else lines)


def change_lines(t: Translator, before: dict | None, s: Session) -> list[str]:
    """'Date: old → new', 'Place: old → new' (the Arabic catalogue says من … إلى …, which reads
    right in a right-to-left line), for what really changed since `before` (a notice's payload)."""
    if not before:
        return []  # queued by an older release: the summary alone says how it is now
    lines = []
    start, end = from_db(before.get("starts_at")), from_db(before.get("ends_at"))
    if start and end and (start, end) != (s.starts_at, s.ends_at):
        old = session_when(t, replace(s, starts_at=start, ends_at=end))
        lines.append(t._("🗓 Date: {old} → {new}", old=old, new=session_when(t, s)))
    old_place = t.pick(before.get("place_fr") or "", before.get("place_ar") or "")
    new_place = t.pick(s.place_fr, s.place_ar)
    if old_place == new_place:
        # Only the other language's wording changed (edited alone from Manage this session):
        # that is the news, so it is shown rather than a notice that seems to say nothing.
        pairs = [(before.get(k) or "", getattr(s, k) or "") for k in ("place_fr", "place_ar")]
        old_place, new_place = next((p for p in pairs if p[0] != p[1]), (old_place, new_place))
    if old_place != new_place:
        lines.append(t._("📍 Place: {old} → {new}", old=esc(t.iso(old_place or "—")),
                         new=esc(t.iso(new_place or "—"))))
    if (before.get("online_url") or None) != (s.online_url or None) and s.online_url:
        lines.append(t._("💻 New online link: {link}", link=esc(t.iso(s.online_url))))
    return lines


def reason_line(t: Translator, reason: str | None) -> list[str]:
    return [t._("Reason: {reason}", reason=esc(t.iso(reason)))] if reason else []


def _mine(t: Translator):
    return keyboard([[button(t._("My sessions as a trainer"), MySessions())]])


async def _session(services: Services, row: OutboxRow) -> Session | None:
    return await services.catalogue.session(row.payload["session"])


async def _assigned(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    s = await _session(services, row)
    if s is None or s.status != "published" or s.trainer_id != row.user_id:
        return None  # cancelled or handed to someone else before it went
    text = "\n".join([t.to_person("👤 You are the trainer of this session:"), summary(t, s)])
    return Notice(text, _mine(t))


async def _unassigned(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    s = await _session(services, row)
    if s is None or s.trainer_id == row.user_id:
        return None  # given back to them meanwhile
    # A workbook may also leave the session without a trainer ("-" in its trainer cell).
    said = (t.to_person("👤 You no longer run this session; another trainer does:") if s.trainer_id
            else t.to_person("👤 You no longer run this session:"))
    text = "\n".join([said, summary(t, s)])
    return Notice(text, _mine(t))


async def _changed(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    s = await _session(services, row)
    if s is None or s.status != "published" or s.trainer_id != row.user_id:
        return None
    lines = change_lines(t, row.payload.get("before"), s)
    text = "\n".join([t.to_person("🔄 A session you run has changed:"), *lines, "", summary(t, s)])
    return Notice(text, _mine(t))


async def _cancelled(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    s = await _session(services, row)
    if s is None or s.status != "cancelled":
        return None
    text = "\n".join([t.to_person("❌ A session you run has been cancelled:"), summary(t, s),
                      *reason_line(t, row.payload.get("reason"))])
    return Notice(text, _mine(t))


RENDERERS = {
    "trainer_assigned": _assigned,
    "trainer_unassigned": _unassigned,
    "trainer_session_changed": _changed,
    "trainer_session_cancelled": _cancelled,
}
