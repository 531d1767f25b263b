"""Calendar files (RFC 5545) for registrations: one stable UID per registration, METHOD:REQUEST
on confirmation, METHOD:CANCEL on cancellation, SEQUENCE bumped when the session changes. A
session in parts has one event per part (`part_ics`), each with its own UID and SEQUENCE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from bot.services.links import check_link
from bot.timeutil import TZ_NAME, morocco

PRODID = "-//e-TAMKEEN//etamkeen-bot//FR"
ORGANIZER = "mailto:noreply@e-tamkeen.ma"


@cache
def _vtimezone_ical(offset_seconds: int) -> bytes:
    """Africa/Casablanca at a given UTC offset, as the tzdata we pin knows it.

    icalendar can generate VTIMEZONEs, but it misses a zone's last, permanent change (Morocco's
    move to UTC+0 on 2026-09-20), so the offset is read from the pinned tzdata instead."""
    offset = timedelta(seconds=offset_seconds)
    tz = Timezone()
    tz.add("tzid", TZ_NAME)
    std = TimezoneStandard()
    std.add("dtstart", datetime(1970, 1, 1))
    std.add("tzoffsetfrom", offset)
    std.add("tzoffsetto", offset)
    std.add("tzname", f"{'+' if offset >= timedelta(0) else '-'}{abs(offset).seconds // 3600:02d}")
    tz.add_component(std)
    return tz.to_ical()


# What differs between two people's files of one session: their UID and the time stamp. The rest
# is serialised once per session, language and change (icalendar's line folding costs ~12 µs a
# line, a quarter of a millisecond a file: most of what a confirmation cost the dispatcher) and
# these two lines are put in afterwards. Both are short, so neither is ever folded.
_UID_MARK = b"UID:registration-0@etamkeen.template"
_STAMP = datetime(2000, 1, 1, tzinfo=UTC)
_STAMP_LINE = b"DTSTAMP:20000101T000000Z"


def registration_ics(*, registration_id: int, sequence: int, method: str, title: str,
                     starts_at: datetime, ends_at: datetime, location: str, url: str | None,
                     description: str, now: datetime) -> bytes:
    """The .ics of one registration, in the recipient's language."""
    template = _event_ics(sequence, title, starts_at, ends_at, location, url, description)
    stamp = now.astimezone(UTC).strftime("DTSTAMP:%Y%m%dT%H%M%SZ").encode()
    uid = b"UID:registration-%d@etamkeen" % registration_id
    text = template.replace(_UID_MARK, uid, 1).replace(_STAMP_LINE, stamp, 1)
    if method == "REQUEST":
        return text
    if method != "CANCEL":
        raise ValueError(f"unsupported calendar method {method!r}")
    # A cancellation is the same event with two short lines changed (one template for both).
    return (text.replace(b"\r\nMETHOD:REQUEST\r\n", b"\r\nMETHOD:CANCEL\r\n", 1)
            .replace(b"\r\nSTATUS:CONFIRMED\r\n", b"\r\nSTATUS:CANCELLED\r\n", 1))


def part_uid(registration_id: int, part_id: int) -> str:
    """A part's event UID: stable whatever happens to the other parts (the part's id, not its
    rank, which moving another part could change)."""
    return f"registration-{registration_id}-part-{part_id}@etamkeen"


def part_ics(*, registration_id: int, part_id: int, sequence: int, method: str, title: str,
             starts_at: datetime, ends_at: datetime, location: str, url: str | None,
             description: str, now: datetime) -> bytes:
    """The .ics of one part of a session in parts: one event per part and file (an iTIP message
    carries one UID), so moving a part re-sends that part's file alone, with its SEQUENCE."""
    text = registration_ics(registration_id=0, sequence=sequence, method=method, title=title,
                            starts_at=starts_at, ends_at=ends_at, location=location, url=url,
                            description=description, now=now)
    return text.replace(b"UID:registration-0@etamkeen",
                        b"UID:" + part_uid(registration_id, part_id).encode(), 1)


@lru_cache(maxsize=2048)
def _event_ics(sequence: int, title: str, starts_at: datetime, ends_at: datetime,
               location: str, url: str | None, description: str) -> bytes:
    """The confirmed event (METHOD:REQUEST) with a placeholder UID and stamp."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    cal.add("calscale", "GREGORIAN")
    offset = starts_at.astimezone(morocco()).utcoffset() or timedelta(0)
    same_offset = offset == ends_at.astimezone(morocco()).utcoffset()
    event = Event()
    event.add("uid", _UID_MARK[4:].decode())
    event.add("sequence", sequence)
    event.add("dtstamp", _STAMP)
    # iTIP (RFC 5546) wants an organizer on REQUEST/CANCEL; calendar apps show it as the sender.
    event.add("organizer", ORGANIZER, parameters={"CN": "e-TAMKEEN"})
    # Local wall-clock times with TZID; in the rare event spanning an offset change, UTC.
    local = (lambda d: d.astimezone(morocco())) if same_offset else (lambda d: d)
    event.add("dtstart", local(starts_at))
    event.add("dtend", local(ends_at))
    event.add("summary", title)
    if location:
        event.add("location", location)
    if url:
        link, refused = check_link(url)
        if refused is None:  # a link stored before links were checked must not break the file
            event.add("url", link)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    cal.add_component(event)
    text = cal.to_ical()
    if not all(line in text for line in (_UID_MARK, _STAMP_LINE, b"\r\nMETHOD:REQUEST\r\n",
                                         b"\r\nSTATUS:CONFIRMED\r\n")):  # icalendar changed
        raise RuntimeError("calendar template lines not found")
    if not same_offset:
        return text
    # The VTIMEZONE is the same for every file of a given offset: serialised once and put where
    # RFC 5545 wants it, before the event.
    return text.replace(b"BEGIN:VEVENT", _vtimezone_ical(int(offset.total_seconds())) + b"BEGIN:VEVENT", 1)
