"""Granting roles through single-use, expiring invitations; listing and revoking them. Every
change is written to the audit log in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.outcomes import Invitation, Revocation
from bot.storage import audit, outbox
from bot.storage import roles as repo
from bot.storage import users as users_repo
from bot.storage.db import Database
from bot.timeutil import Clock, from_db

ROLES = ("trainer", "focal_point", "coordinator")
INVITE_DAYS = 7


@dataclass(frozen=True)
class RevokePlan:
    held: bool  # False: already revoked (a stale button)
    last: bool  # revoking would leave nobody able to manage roles in the chat
    sessions: list[tuple[int, str, datetime]]  # upcoming sessions they train: id, reference, start
    other_trainers: list[tuple[int, str | None]]  # who could take them over: id, name


def _last_one(conn, actor_id: int | None, user_id: int, role: str, administration_code: str | None,
              admins: frozenset[int]) -> bool:
    """The rule on "the last one". Roles are managed in the chat by administrators (configured in
    ETAMKEEN_ADMINS, so never revoked here) and national coordinators. A national coordinator
    may not revoke their own role when nobody else holds it: they would lock themselves, and
    with no administrator configured everyone, out of /invite and /roles. An administrator may
    (they keep every power), and anyone may revoke others' roles (they keep their own)."""
    if role != "coordinator" or administration_code is not None:
        return False
    if actor_id != user_id or actor_id in admins:
        return False
    return not (repo.national_coordinators(conn) - {user_id})


@dataclass(frozen=True)
class Redeemed:
    outcome: Invitation
    role: str | None = None
    administration_code: str | None = None


def new_token() -> str:
    """16 characters of A-Za-z0-9_-: a deep-link payload ("i_" + token) Telegram accepts."""
    return secrets.token_urlsafe(12)


class RoleService:
    def __init__(self, db: Database, clock: Clock, on_change: Callable[[int], None] = lambda uid: None):
        self.db = db
        self.clock = clock
        self.on_change = on_change  # a person's roles changed (drop their cached state)

    async def invite(self, actor_id: int | None, role: str, administration_code: str | None,
                     days: float = INVITE_DAYS) -> str:
        if role not in ROLES or (role == "focal_point") != bool(administration_code):
            raise ValueError("a focal point needs an administration, the other roles none")
        now = self.clock.now()
        token = new_token()

        def tx(conn):
            repo.create_invite(conn, token, role, administration_code, actor_id, now,
                               now + timedelta(days=days))
            audit.record(conn, actor_id, "invite_created", role, now,
                         administration=administration_code, token=token[:4] + "…")

        await self.db.write(tx)
        return token

    async def redeem(self, user_id: int, token: str) -> Redeemed:
        now = self.clock.now()

        def tx(conn) -> Redeemed:
            invite = repo.get_invite(conn, token)
            if invite is None:
                return Redeemed(Invitation.UNKNOWN)
            if invite.revoked:
                return Redeemed(Invitation.REVOKED)
            if invite.used:
                mine = invite.used_by == user_id
                return Redeemed(Invitation.ALREADY if mine else Invitation.USED, invite.role)
            if invite.expires_at <= now:
                return Redeemed(Invitation.EXPIRED)
            if not repo.use_invite(conn, token, user_id, now):
                return Redeemed(Invitation.USED)
            users_repo.grant(conn, user_id, invite.role, invite.administration_code, None, now)
            audit.record(conn, user_id, "invite_redeemed", invite.role, now,
                         administration=invite.administration_code)
            return Redeemed(Invitation.GRANTED, invite.role, invite.administration_code)

        result = await self.db.write(tx)
        self.on_change(user_id)
        return result

    async def holders(self):
        return await self.db.read(repo.holders)

    async def revoke_plan(self, actor_id: int, user_id: int, role: str,
                          administration_code: str | None, admins: frozenset[int]) -> RevokePlan:
        """What revoking would leave behind, asked before the revocation itself."""
        now = self.clock.now()

        def read(conn) -> RevokePlan:
            held = any(r.role == role and r.administration_code == administration_code
                       for r in users_repo.roles_of(conn, user_id))
            sessions = repo.upcoming_sessions_trained(conn, user_id, now) if role == "trainer" else []
            others = [r for r in repo.trainers(conn) if r["user_id"] != user_id]
            return RevokePlan(held, _last_one(conn, actor_id, user_id, role, administration_code, admins),
                              [(r["id"], r["reference"], from_db(r["starts_at"])) for r in sessions],
                              [(r["user_id"], r["full_name"]) for r in others])

        return await self.db.read(read)

    async def revoke(self, actor_id: int | None, user_id: int, role: str,
                     administration_code: str | None, admins: frozenset[int] = frozenset(),
                     reassign_to: int | None = None) -> Revocation:
        """Take a role away: revoked | already | last (see _last_one) |
        no_trainer (reassign_to does not hold the trainer role). A trainer's upcoming sessions go
        to `reassign_to` (who is told), or are left without a trainer, in the same transaction."""
        now = self.clock.now()

        def tx(conn) -> Revocation:
            if _last_one(conn, actor_id, user_id, role, administration_code, admins):
                return Revocation.LAST
            if reassign_to is not None and (reassign_to == user_id or not repo.is_trainer(conn, reassign_to)):
                return Revocation.NO_TRAINER
            if not repo.revoke(conn, user_id, role, administration_code):
                return Revocation.ALREADY
            sessions = repo.upcoming_sessions_trained(conn, user_id, now) if role == "trainer" else []
            for s in sessions:
                repo.set_trainer(conn, s["id"], reassign_to, now)
                if reassign_to is not None:
                    outbox.enqueue(conn, reassign_to, "trainer_assigned", {"session": s["id"]},
                                   f"trainer_assigned:{s['id']}:{reassign_to}", now)
                    audit.record(conn, actor_id, "trainer_assigned", f"session:{s['id']}", now,
                                 trainer=reassign_to)
            audit.record(conn, actor_id, "role_revoked", f"user:{user_id}", now, role=role,
                         administration=administration_code,
                         sessions_without_trainer=len(sessions) if sessions and reassign_to is None else None)
            return Revocation.REVOKED

        outcome = await self.db.write(tx)
        self.on_change(user_id)
        return outcome

    async def pending(self):
        return await self.db.read(repo.pending_invites, self.clock.now())

    async def withdraw(self, actor_id: int | None, invite_id: int) -> bool:
        """Withdraw an open invitation, chosen by its row number (as buttons carry it)."""
        invite = await self.db.read(repo.open_invite, invite_id, self.clock.now())
        return invite is not None and await self.revoke_invite(actor_id, invite["token"])

    async def resend(self, actor_id: int | None, invite_id: int) -> tuple[str, str | None, str] | None:
        """A new single-use link for the same role; the old one is withdrawn at the same time.
        (role, administration, new token), or None if the invitation is no longer open."""
        now = self.clock.now()
        token = new_token()

        def tx(conn):
            old = repo.open_invite(conn, invite_id, now)
            if old is None or not repo.revoke_invite(conn, old["token"], now):
                return None
            audit.record(conn, actor_id, "invite_revoked", old["token"][:4] + "…", now)
            repo.create_invite(conn, token, old["role"], old["administration_code"], actor_id, now,
                               now + timedelta(days=INVITE_DAYS))
            audit.record(conn, actor_id, "invite_created", old["role"], now,
                         administration=old["administration_code"], token=token[:4] + "…")
            return old["role"], old["administration_code"], token

        return await self.db.write(tx)

    async def revoke_invite(self, actor_id: int | None, token: str) -> bool:
        now = self.clock.now()

        def tx(conn) -> bool:
            done = repo.revoke_invite(conn, token, now)
            if done:
                audit.record(conn, actor_id, "invite_revoked", token[:4] + "…", now)
            return done

        return await self.db.write(tx)
