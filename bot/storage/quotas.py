"""Places reserved per administration on a session (table session_quotas), until a release date.

While a quota stands (release_at in the future, or none: the whole registration period), the
places an administration reserved and has not filled yet are held for it: anyone else may take
a seat only if one is left beside them. The registration service applies this inside the one
seat rule's transaction (`seat_for`, `Holds`), so concurrent registrations can exceed neither
the capacity nor a quota. Once released (`due_releases`), the places are open to everyone and
offered down the waitlist like any freed place.

A reservation for an administration admits the officials of its child administrations too (all
its descendants through administrations.parent_code: a ministry's places go to its
directorates' officials). When reservations nest (a ministry and one of its directorates both
reserved), an official counts against the most specific one only — the directorate's — and the
ministry's places stay held for its other officials: `covers` maps each reserved administration
to the codes it admits and counts, each code under exactly one reservation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bot.storage.registrations import SEAT_SQL
from bot.timeutil import from_db, to_db


def set_quota(conn: sqlite3.Connection, session_id: int, administration: str, places: int,
              release_at: datetime | None) -> None:
    """Reserve (or change) an administration's places; a new release date is released again."""
    conn.execute(
        "INSERT INTO session_quotas (session_id, administration_code, places, release_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, administration_code) DO UPDATE SET"
        " places = excluded.places, release_at = excluded.release_at, released_at = NULL",
        (session_id, administration, places, to_db(release_at) if release_at else None))


def remove_quota(conn: sqlite3.Connection, session_id: int, administration: str) -> bool:
    return conn.execute("DELETE FROM session_quotas WHERE session_id = ? AND administration_code = ?",
                        (session_id, administration)).rowcount > 0


@dataclass(frozen=True)
class Quota:
    administration: str
    places: int
    release_at: datetime | None
    filled: int  # seats held by officials it counts (its own, its children's: see covers) now
    by_administration: dict[str, int] = field(default_factory=dict)  # those seats, per code
    admits: frozenset[str] = frozenset()  # the administrations it admits (itself, descendants)


def covers(conn: sqlite3.Connection, session_id: int,
           now: datetime | None = None) -> dict[str, frozenset[str]]:
    """Each administration with places reserved on the session → the codes it admits: itself
    and every descendant not under a more specific reservation (UNION, not UNION ALL: a cycle
    cannot loop). With `now`, only the reservations still standing then: a directorate whose
    places were released is admitted again by its ministry's."""
    tree: dict[str, set[str]] = {}
    standing = to_db(now) if now is not None else None
    for root, code in conn.execute(
            """WITH RECURSIVE tree(root, code) AS (
                   SELECT administration_code, administration_code FROM session_quotas
                    WHERE session_id = ?1
                      AND (?2 IS NULL OR release_at IS NULL OR release_at > ?2)
                   UNION SELECT tree.root, a.code FROM administrations a
                          JOIN tree ON a.parent_code = tree.code)
               SELECT root, code FROM tree""", (session_id, standing)):
        tree.setdefault(root, set()).add(code)
    return most_specific(tree)


def most_specific(tree: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Each code kept under one reservation only: of the reservations admitting it (a chain of
    its ancestors), the one with the smallest subtree — the nearest; by code in a cycle."""
    owner: dict[str, str] = {}
    for root in sorted(tree, key=lambda r: (len(tree[r]), r)):
        for code in tree[root]:
            owner.setdefault(code, root)
    return {root: frozenset(c for c in codes if owner[c] == root) for root, codes in tree.items()}


def seats_by_administration(conn: sqlite3.Connection, session_id: int) -> dict[str, int]:
    """Seats held now on the session, per administration of the people holding them."""
    return {r[0]: r[1] for r in conn.execute(
        f"""SELECT administration_code, COUNT(*) FROM registration_facts
             WHERE session_id = ? AND status IN {SEAT_SQL} AND administration_code IS NOT NULL
             GROUP BY administration_code""", (session_id,))}


def of_session(conn: sqlite3.Connection, session_id: int) -> list[Quota]:
    """Every quota of the session (released ones too), with the places its officials hold."""
    rows = conn.execute("SELECT administration_code, places, release_at FROM session_quotas"
                        " WHERE session_id = ? ORDER BY administration_code", (session_id,)).fetchall()
    if not rows:
        return []
    admitted, seats = covers(conn, session_id), seats_by_administration(conn, session_id)
    out = []
    for code, places, release in rows:
        mine = {c: n for c, n in sorted(seats.items()) if c in admitted.get(code, {code})}
        out.append(Quota(code, places, from_db(release), sum(mine.values()), mine,
                         admitted.get(code, frozenset({code}))))
    return out


def standing_elsewhere(conn: sqlite3.Connection, session_id: int, administration: str,
                       now: datetime) -> int:
    """The places still held on the session for the other administrations (not released;
    every administration's with "")."""
    return conn.execute(
        """SELECT COALESCE(SUM(places), 0) FROM session_quotas WHERE session_id = ?
            AND administration_code != ? AND (release_at IS NULL OR release_at > ?)""",
        (session_id, administration, to_db(now))).fetchone()[0]


def descendants(conn: sqlite3.Connection, code: str) -> frozenset[str]:
    """An administration and every administration under it."""
    return frozenset(r[0] for r in conn.execute(
        """WITH RECURSIVE tree(code) AS (SELECT ?
               UNION SELECT a.code FROM administrations a JOIN tree ON a.parent_code = tree.code)
           SELECT code FROM tree""", (code,)))


@dataclass
class Holds:
    """The places still held per administration (active quotas only), as a transaction walks
    through the seats it gives: `take` when one of them gets a seat."""

    remaining: dict[str, int]
    release: dict[str, datetime | None] = field(default_factory=dict)
    covers: dict[str, frozenset[str]] = field(default_factory=dict)  # see the module's docstring

    def admits(self, quota: str, administration: str | None) -> bool:
        return administration is not None and administration in self.covers.get(quota, {quota})

    def held_for_others(self, administration: str | None) -> int:
        return sum(n for q, n in self.remaining.items() if not self.admits(q, administration))

    def allows(self, taken: int, capacity: int, administration: str | None) -> bool:
        return taken + self.held_for_others(administration) < capacity

    def take(self, administration: str | None) -> None:
        """A seat went to an official: it fills the one reservation counting them, as counted
        from the database (`holds`)."""
        for q, n in self.remaining.items():
            if n > 0 and self.admits(q, administration):
                self.remaining[q] = n - 1

    def frees_at(self, administration: str | None) -> datetime | None:
        """When the first of the places held for others is released (None: they are all held
        until registration closes)."""
        dates = [self.release.get(q) for q, n in self.remaining.items()
                 if n and not self.admits(q, administration)]
        return min((d for d in dates if d is not None), default=None)


def holds(conn: sqlite3.Connection, session_id: int, now: datetime) -> Holds | None:
    """The session's standing quotas, or None when it has none (the common case: one lookup)."""
    rows = conn.execute(
        """SELECT administration_code, places, release_at FROM session_quotas
            WHERE session_id = ? AND (release_at IS NULL OR release_at > ?)""",
        (session_id, to_db(now))).fetchall()
    if not rows:
        return None
    admitted, seats = covers(conn, session_id, now), seats_by_administration(conn, session_id)
    filled = {code: sum(n for c, n in seats.items() if c in admitted.get(code, {code}))
              for code, _, _ in rows}
    return Holds({code: max(0, places - filled[code]) for code, places, _ in rows},
                 {code: from_db(release) for code, _, release in rows}, admitted)


def administration_of(conn: sqlite3.Connection, user_id: int) -> str | None:
    row = conn.execute("SELECT administration_code FROM users WHERE id = ?", (user_id,)).fetchone()
    return row[0] if row else None


def waiting_administrations(conn: sqlite3.Connection, session_id: int,
                            exclude_user: int | None = None) -> set[str | None]:
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT u.administration_code FROM registrations g JOIN users u ON u.id = g.user_id"
        " WHERE g.session_id = ? AND g.status = 'waitlisted' AND g.user_id IS NOT ?",
        (session_id, exclude_user))}


def waitlist(conn: sqlite3.Connection, session_id: int) -> list[tuple[int, str | None]]:
    """(registration id, administration) of everyone waiting, in order."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT g.id, u.administration_code FROM registrations g JOIN users u ON u.id = g.user_id"
        " WHERE g.session_id = ? AND g.status = 'waitlisted' ORDER BY g.seq", (session_id,))]


@dataclass(frozen=True)
class Seat:
    free: bool
    reserved: bool = False  # not free because the places left are held for others
    until: datetime | None = None  # when those start to free up (None: not before closing)


def seat_for(conn: sqlite3.Connection, session_id: int, capacity: int, taken: int, waiting: int,
             user_id: int, now: datetime, quotas: bool = True) -> Seat:
    """Whether the person may take a seat now, inside the caller's transaction: one left for
    them beside the places held for other administrations, and nobody waiting who could take it
    (the people waiting only for reserved places do not block an official they are held for).
    `quotas`: False when the caller knows, from this transaction, that the session has none."""
    if taken >= capacity:
        return Seat(False)
    held = holds(conn, session_id, now) if quotas else None
    if held is None:
        return Seat(not waiting)
    mine = administration_of(conn, user_id)
    if not held.allows(taken, capacity, mine):
        return Seat(False, reserved=True, until=held.frees_at(mine))
    if waiting and any(held.allows(taken, capacity, adm)
                       for adm in waiting_administrations(conn, session_id, user_id)):
        return Seat(False)
    return Seat(True)


def due_releases(conn: sqlite3.Connection, now: datetime) -> list[int]:
    """Mark the quotas whose release date has come as released; return their sessions."""
    return sorted({r[0] for r in conn.execute(
        "UPDATE session_quotas SET released_at = ?1 WHERE released_at IS NULL"
        " AND release_at IS NOT NULL AND release_at <= ?1 RETURNING session_id", (to_db(now),))})


def quota_allows(conn: sqlite3.Connection, session_id: int, administration: str | None,
                 now: datetime) -> bool:
    """Whether an official of `administration` may take a seat of the session at `now`: the
    seats taken plus the places still held for *other* administrations leave one free."""
    row = conn.execute(f"SELECT capacity, (SELECT COUNT(*) FROM registrations g WHERE"
                       f" g.session_id = s.id AND g.status IN {SEAT_SQL}) FROM sessions s"
                       f" WHERE s.id = ?", (session_id,)).fetchone()
    if row is None:
        return False
    held = holds(conn, session_id, now)
    return held is None and row[1] < row[0] or held is not None and held.allows(row[1], row[0],
                                                                                 administration)
