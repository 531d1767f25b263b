"""Who decides on an approval request: the one rule behind who is asked, whose /approvals list
shows it, and who may press its buttons.

Nobody decides on their own request. A person's request goes to the focal points of their
administration; a focal point asking for a place is decided on by another focal point of it,
and when nobody else can decide for that administration, by the national coordinators (or,
when there are none, the admins). National coordinators and admins may decide on any request
but their own. Plain functions on a connection, run inside the caller's transaction or read."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.config import Settings
from bot.services.outcomes import Refusal
from bot.storage import registrations as repo
from bot.storage import users as users_repo
from bot.storage.registrations import Registration


@dataclass(frozen=True)
class Scope:
    """Which requests a person may decide on: all (national), or those of some administrations;
    never those of `user_id` themselves."""

    user_id: int
    national: bool
    administrations: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.national and not self.administrations


def scope(conn: sqlite3.Connection, user_id: int, settings: Settings) -> Scope:
    roles = users_repo.roles_of(conn, user_id)
    national = user_id in settings.admins or any(
        r.role == "coordinator" and r.administration_code is None for r in roles)
    focal = tuple(sorted({r.administration_code for r in roles
                          if r.role == "focal_point" and r.administration_code}))
    return Scope(user_id, national, focal)


def refusal(conn: sqlite3.Connection, approver_id: int, reg: Registration,
            settings: Settings) -> Refusal | None:
    """Why this person may not decide on this request (None: they may): own_request or
    not_allowed (not an approver of the person's administration)."""
    if approver_id == reg.user_id:
        return Refusal.OWN_REQUEST
    mine = scope(conn, approver_id, settings)
    if mine.national:
        return None
    person = users_repo.get(conn, reg.user_id)
    if person is not None and person.administration_code in mine.administrations:
        return None
    return Refusal.NOT_ALLOWED


def _first_in_line(conn: sqlite3.Connection, user_id: int, settings: Settings) -> tuple[str, list[int]]:
    """Who decides first on this person's requests, and which kind of decider they are."""
    person = users_repo.get(conn, user_id)
    focal = repo.focal_points(conn, person.administration_code if person else None)
    others = [u for u in focal if u != user_id]
    if others:
        return ("other_focal_point" if user_id in focal else "focal_point"), others
    # Nobody else decides for that administration (no focal point, or the only one is asking).
    national = [u for u in repo.national_coordinators(conn) if u != user_id]
    return "national", national or [u for u in sorted(settings.admins) if u != user_id]


def recipients(conn: sqlite3.Connection, reg: Registration, settings: Settings) -> list[int]:
    """Whom a new request goes to: everyone who may decide on it first in line, never its author."""
    return _first_in_line(conn, reg.user_id, settings)[1]


def decided_by(conn: sqlite3.Connection, user_id: int, settings: Settings) -> str:
    """Who decides on this person's requests, as their request tells them: focal_point (of
    their administration), other_focal_point (they are one: another one decides) or national
    (nobody else can for their administration: the national coordinators, or the admins)."""
    return _first_in_line(conn, user_id, settings)[0]


def asks_as_approver(conn: sqlite3.Connection, reg: Registration, settings: Settings) -> bool:
    """Whether the person asking could decide on others' requests of their administration:
    their request then says that someone else decides."""
    person = users_repo.get(conn, reg.user_id)
    mine = scope(conn, reg.user_id, settings)
    return mine.national or (person is not None and person.administration_code in mine.administrations)
