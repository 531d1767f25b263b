"""Reserved places in the workbook's sessions sheet: the `places_reservees` column holds a
session's reservations as the chat reads them, `CODE PLACES [YYYY-MM-DD [HH:MM]]`, separated by
`;` (a blank cell leaves them as they are, `-` removes them all). Checked like the chat's
(bot/services/quotas.py), shown old → new in the preview, and written with the session, after
which places a smaller reservation frees are offered down the waitlist."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.services.quotas import administration_code, parse_reservation, reservation_text
from bot.services.workbook import Problem
from bot.storage import quotas
from bot.storage.catalogue import Session
from bot.timeutil import from_db, to_db

COLUMN = "places_reservees"


def read_cell(text: str, sheet: str, row: int, problems: list) -> list | None:
    """The cell's reservations as [code, places, release (stored form) or None] (pure)."""
    entries, seen = [], set()
    for part in filter(None, (p.strip() for p in text.split(";"))):
        found = parse_reservation(part)
        if found is None or found[1] == 0 or found[0].upper() in seen:
            problems.append(Problem(sheet, row, COLUMN, "bad_reservation", part))
            return None
        seen.add(found[0].upper())
        entries.append([found[0], found[1], to_db(found[2]) if found[2] else None])
    return entries


def text_of(entries) -> str:
    return "; ".join(reservation_text(*e) for e in sorted(entries, key=lambda e: e[0]))


def stored(conn: sqlite3.Connection, session_id: int) -> list[tuple[str, int, datetime | None]]:
    return [(q.administration, q.places, q.release_at) for q in quotas.of_session(conn, session_id)]


def plan_quotas(conn: sqlite3.Connection, s: dict, current: Session | None, values: dict,
                now: datetime, problems: list) -> tuple[str, str] | None:
    """(old, new) text when the row changes the session's reservations, with
    values["quotas"] set to what to write; problems added to `problems`."""
    if "quotas" not in s:  # the row leaves them as they are: its capacity must still hold them
        _check_capacity(conn, current, values.get("capacity"), now, s["row"], problems)
        return None
    before = stored(conn, current.id) if current else []
    kept = {(code, places, release) for code, places, release in before}
    new = []
    for typed, places, release in s["quotas"] or []:
        p = ("sessions", s["row"], COLUMN)
        code = administration_code(conn, typed)
        release_at = from_db(release) if release else None
        if code is None:
            problems.append(Problem(*p, "unknown_administration", typed))
            continue
        if values.get("capacity") is not None and places > values["capacity"]:
            problems.append(Problem(*p, "too_many_reserved", code, str(values["capacity"])))
        start = values.get("starts_at")
        if release_at and (code, places, release_at) not in kept and start is not None \
                and not now < release_at < start:
            problems.append(Problem(*p, "bad_release", code))
        new.append((code, places, release_at))
    _check_total(new, values.get("capacity"), now, p_of(s), problems)
    old_text, new_text = text_of(before), text_of(new)
    if old_text == new_text:
        return None
    values["quotas"] = new
    return old_text, new_text


def p_of(s: dict) -> tuple[str, int, str]:
    return ("sessions", s["row"], COLUMN)


def _check_capacity(conn: sqlite3.Connection, current: Session | None, capacity: int | None,
                    now: datetime, row: int, problems: list) -> None:
    """A capacity lowered below the places still reserved for administrations is refused, as the
    chat refuses it (sessions.set_capacity's below_reserved): held beyond the capacity, the
    reservations would turn those administrations' own officials away."""
    if current is None or capacity is None or capacity == current.capacity:
        return
    reserved = quotas.standing_elsewhere(conn, current.id, "", now)
    if capacity < reserved:
        problems.append(Problem("sessions", row, "capacite", "capacity_below_reserved", str(capacity),
                                str(reserved)))


def _check_total(entries, capacity: int | None, now: datetime, where: tuple[str, int, str],
                 problems: list) -> None:
    """The places held together must fit the capacity, as in the chat (bot/services/quotas)."""
    standing = [(code, places) for code, places, release in entries
                if places and (release is None or release > now)]
    if capacity is None or len(standing) < 2 or any(p > capacity for _, p in standing):
        return  # one reservation alone too many is said on its own
    if sum(p for _, p in standing) > capacity:
        problems.append(Problem(*where, "too_many_reserved",
                                " + ".join(f"{code} {places}" for code, places in standing), str(capacity)))


def write(conn: sqlite3.Connection, session_id: int, entries) -> None:
    """The session's reservations become exactly `entries`."""
    codes = {code for code, _, _ in entries}
    for code, _, _ in stored(conn, session_id):
        if code not in codes:
            quotas.remove_quota(conn, session_id, code)
    for code, places, release_at in entries:
        quotas.set_quota(conn, session_id, code, places, release_at)


def export_texts(conn: sqlite3.Connection) -> dict[int, str]:
    """Session id → its reservations as the column reads them."""
    by_session: dict[int, list] = {}
    for sid, code, places, release in conn.execute(
            "SELECT session_id, administration_code, places, release_at FROM session_quotas"):
        by_session.setdefault(sid, []).append((code, places, from_db(release)))
    return {sid: text_of(entries) for sid, entries in by_session.items()}
