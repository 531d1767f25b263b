"""Coordinators reserve places of a session for an administration until a release date
(issue 16). The registration path enforces them (bot/storage/quotas.py); here they are set,
changed and removed, each with its audit entry, in one transaction that also offers to the
waitlist the places a smaller or removed reservation frees."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.services.outcomes import Reservation
from bot.storage import audit, quotas
from bot.storage import catalogue as sessions_repo
from bot.storage.catalogue import Session
from bot.storage.db import Database
from bot.storage.quotas import Quota
from bot.text import ascii_digits, clean_text, parse_int
from bot.timeutil import Clock, from_local, to_db, to_local

MAX_PLACES = 10_000


def parse_reservation(text: str) -> tuple[str, int, datetime | None] | None:
    """(code, places, release or None) from 'MEF 5 2026-12-01 09:00' (Moroccan time; the time
    may be left out: midnight); None if malformed. The chat and the workbook read the same."""
    parts = ascii_digits(clean_text(text)).split()
    if len(parts) not in (2, 3, 4):
        return None
    places = parse_int(parts[1])
    if places is None or not 0 <= places <= MAX_PLACES:
        return None
    if len(parts) == 2:
        return parts[0], places, None
    typed = " ".join(parts[2:]) if len(parts) == 4 else f"{parts[2]} 00:00"
    try:
        return parts[0], places, from_local(datetime.strptime(typed, "%Y-%m-%d %H:%M"))
    except ValueError:
        return None


def reservation_text(code: str, places: int, release_at: datetime | None) -> str:
    """What parse_reservation reads back."""
    when = f" {to_local(release_at).strftime('%Y-%m-%d %H:%M')}" if release_at else ""
    return f"{code} {places}{when}"


@dataclass(frozen=True)
class SessionQuotas:
    session: Session
    quotas: list[Quota]


async def of_session(db: Database, session_id: int,
                     administration: str | None = None) -> SessionQuotas | None:
    """The session's reservations; for a focal point's `administration`, only those that admit
    its officials or its children's, each with its total filled and, per administration, the
    seats of that part of the tree alone (a ministry's focal point sees its directorates'
    figures, a directorate's not its sibling directorates')."""
    def read(conn):
        session = sessions_repo.get_session(conn, session_id)
        if session is None:
            return None
        found = quotas.of_session(conn, session_id)
        if administration is None:
            return SessionQuotas(session, found)
        mine = quotas.descendants(conn, administration)
        return SessionQuotas(session, [_within(q, mine) for q in found
                                       if administration in q.admits or q.administration in mine])

    return await db.read(read)


def _within(quota: Quota, codes: frozenset[str]) -> Quota:
    seats = {c: n for c, n in quota.by_administration.items() if c in codes}
    return replace(quota, by_administration=seats)


def administration_code(conn: sqlite3.Connection, typed: str) -> str | None:
    """An active administration's code, typed in any letter case."""
    row = conn.execute("SELECT code FROM administrations WHERE active = 1 AND code = ? COLLATE NOCASE",
                       (typed.strip(),)).fetchone()
    return row[0] if row else None


def check(conn: sqlite3.Connection, session: Session | None, code: str | None, places: int,
          release_at: datetime | None, now: datetime) -> Reservation | None:
    """Why this reservation cannot be made (None: it can). Codes the screens localise:
    not_found, cancelled, started, unknown_administration, too_many, too_many_in_all,
    bad_release. The places held together must fit the capacity: held beyond it, they would
    turn everyone away (each official's seat counting against the places held for others)."""
    closed = sessions_repo.closed(session, now, deadline=False)
    if closed:
        return Reservation(closed)
    assert session is not None  # closed() refuses a missing session ("not_found")
    if code is None:
        return Reservation.UNKNOWN_ADMINISTRATION
    if places > session.capacity:
        return Reservation.TOO_MANY
    if places and places + quotas.standing_elsewhere(conn, session.id, code, now) > session.capacity:
        return Reservation.TOO_MANY_IN_ALL
    if release_at is not None and not now < release_at < session.starts_at:
        return Reservation.BAD_RELEASE
    return None


def reserve_in(conn: sqlite3.Connection, actor_id: int | None, session_id: int, typed_code: str,
               places: int, release_at: datetime | None, now: datetime,
               offer_free_seats: Callable[[sqlite3.Connection, int, datetime], None]) -> Reservation:
    """Reserve `places` (0: remove the reservation). Returns set, removed, not_reserved or a
    refusal code of `check`. Freed places go down the waitlist in the same transaction."""
    session = sessions_repo.get_session(conn, session_id)
    code = administration_code(conn, typed_code)
    refusal = check(conn, session, code, places, release_at, now)
    if refusal:
        return refusal
    assert code is not None  # check() refuses an unknown administration
    if places == 0:
        if not quotas.remove_quota(conn, session_id, code):
            return Reservation.NOT_RESERVED
        outcome = Reservation.REMOVED
        audit.record(conn, actor_id, "quota_removed", f"session:{session_id}", now, code=code)
    else:
        quotas.set_quota(conn, session_id, code, places, release_at)
        outcome = Reservation.SET
        audit.record(conn, actor_id, "quota_set", f"session:{session_id}", now, code=code,
                     places=places, release=to_db(release_at) if release_at else None)
    offer_free_seats(conn, session_id, now)  # a smaller reservation frees held places
    return outcome


async def reserve(db: Database, clock: Clock, offer_free_seats, actor_id: int, session_id: int,
                  typed_code: str, places: int, release_at: datetime | None,
                  on_change: Callable[[], None] = lambda: None) -> Reservation:
    try:
        return await db.write(reserve_in, actor_id, session_id, typed_code, places, release_at,
                              clock.now(), offer_free_seats)
    finally:
        on_change()  # offers change the seats a card shows
