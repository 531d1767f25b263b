"""What the outbox renderers read at send time, and the rules that decide whether a queued
notice still means something (the offer was taken, the session moved, the questionnaire closed).

The rules are plain synchronous functions of what was read, so that a renderer, a service or a
transaction can ask the same question and get the same answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import approvers
from bot.services.evaluation_rules import windows
from bot.storage import catalogue as sessions_repo
from bot.storage import evaluations as evaluations_repo
from bot.storage import registrations as regs_repo
from bot.storage import users as users_repo
from bot.storage.catalogue import Session
from bot.storage.evaluations import Response
from bot.storage.outbox import OutboxRow as OutboxRow  # the renderers' argument
from bot.storage.registrations import Registration
from bot.storage.users import Profile
from bot.timeutil import to_db


def reminder_is_due(reg: Registration, session: Session, payload: dict, now: datetime,
                    reminder_hours: Iterable[float]) -> bool:
    """A reminder for a time that no longer holds (the session moved), a cancelled place or a
    session already under way is stale; so is one overtaken by a closer reminder (caught up
    after downtime)."""
    if (reg.status != "confirmed" or session.status != "published" or session.starts_at <= now
            or payload.get("starts_at") != to_db(session.starts_at)):
        return False
    hours = payload.get("hours", 0)
    return not any(h < hours and session.starts_at - timedelta(hours=h) <= now for h in reminder_hours)


def offer_is_open(reg: Registration, now: datetime) -> bool:
    """An offered place can still be accepted until it expires."""
    return reg.status == "offered" and reg.expires_at is not None and reg.expires_at > now


def evaluation_is_open(kind: str, session: Session, response: Response | None, now: datetime,
                       settings: Settings) -> bool:
    """The questionnaire still waits for this person: not submitted, and inside its window."""
    opens, closes = windows(kind, session.ends_at, settings)
    return (response is None or response.submitted_at is None) and opens <= now < closes


def registration(conn: sqlite3.Connection, reg_id: int) -> Registration | None:
    return regs_repo.get(conn, reg_id)


def session(conn: sqlite3.Connection, session_id: int) -> Session | None:
    return sessions_repo.get_session(conn, session_id)


@dataclass(frozen=True)
class ApprovalRequest:
    registration: Registration
    session: Session | None
    person: Profile | None
    asks_as_approver: bool


def approval_request(conn: sqlite3.Connection, reg_id: int, settings: Settings) -> ApprovalRequest | None:
    """Who asks and for what, read afresh; and whether they could decide on others' requests."""
    reg = regs_repo.get(conn, reg_id)
    if reg is None:
        return None
    return ApprovalRequest(reg, sessions_repo.get_session(conn, reg.session_id),
                           users_repo.get(conn, reg.user_id), approvers.asks_as_approver(conn, reg, settings))


@dataclass(frozen=True)
class Broadcast:
    row: sqlite3.Row
    sender: str | None  # the sender's name
    session: Session | None


def broadcast(conn: sqlite3.Connection, broadcast_id: int) -> Broadcast | None:
    """A broadcast's text, sender name and session (they never change once sent)."""
    b = conn.execute("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,)).fetchone()
    if b is None:
        return None
    sender = users_repo.get(conn, b["sender_id"])
    s = sessions_repo.get_session(conn, b["session_id"]) if b["session_id"] else None
    return Broadcast(b, sender.full_name if sender else None, s)


def evaluation_invite(conn: sqlite3.Connection, reg_id: int,
                      kind: str) -> tuple[Registration, Session, Response | None] | None:
    """(registration, session, response) for an attendee asked a hot or cold questionnaire."""
    reg = regs_repo.get(conn, reg_id)
    if reg is None or reg.status != "attended" or kind not in ("hot", "cold"):
        return None
    s = sessions_repo.get_session(conn, reg.session_id)
    if s is None:
        return None
    return reg, s, evaluations_repo.response_of(conn, reg.id, kind)
