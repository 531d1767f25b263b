"""How a session in parts shows its parts on its card, its confirmation and its notices."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.catalogue import Session
from handlers.dates import when
from handlers.ui import esc


def part_line(t: Translator, part, count: int) -> str:
    """'Part 2 of 3: thursday 3 december 2026, 09:00 – 16:00 · Institut, Rabat'."""
    line = when(t, part.starts_at, part.ends_at)
    if part.number:  # 0: a part no longer in the session (its cancellation)
        line = t._("Part {number} of {count}: {when}", number=t.number(part.number),
                   count=t.number(count), when=line)
    where = t.pick(part.place_fr, part.place_ar) or (t.iso(part.online_url) if part.online_url else "")
    return f"{line} · {esc(t.iso(where))}" if where else line


def part_lines(t: Translator, s: Session) -> list[str]:
    """The parts of a session, one line each, with the hours they make (nothing for a session
    in one piece)."""
    if not s.parts:
        return []
    hours = sum(p.hours for p in s.parts)
    head = t.ngettext("🧩 In {n} part, {hours} h in all:", "🧩 In {n} parts, {hours} h in all:",
                      len(s.parts), hours=t.number(round(hours, 1)))
    return [head, *(f"• {part_line(t, p, len(s.parts))}" for p in s.parts)]


def roster_status(t: Translator, row) -> str:
    """A registration's status in the coordinators' roster; for a session in parts whose
    attendance was taken part by part, attended or partial with the hours ("partial, 14 of
    21 h": stored as absent, see bot/services/session_parts.py)."""
    from bot.services import vocabulary

    hours, total = row["hours_attended"], row["parts_hours"]
    if hours is None or not total or row["status"] not in ("attended", "absent"):
        return vocabulary.status(t, row["status"])
    done, total = t.number(round(hours, 1)), t.number(round(total, 1))
    if row["status"] == "attended":
        return t._("attended, {done} of {total} h", done=done, total=total)
    if hours > 0:
        return t._("partial, {done} of {total} h", done=done, total=total)
    return t._("absent, {done} of {total} h", done=done, total=total)
