"""Granting roles through single-use, expiring invitations; listing and revoking them. Every
change is written to the audit log in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.storage import audit
from bot.storage import roles as repo
from bot.storage import users as users_repo
from bot.storage.db import Database
from bot.timeutil import Clock

ROLES = ("trainer", "focal_point", "coordinator")
INVITE_DAYS = 7


@dataclass(frozen=True)
class Redeemed:
    outcome: str  # granted | already | used | expired | revoked | unknown
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
                return Redeemed("unknown")
            if invite.revoked:
                return Redeemed("revoked")
            if invite.used:
                return Redeemed("already" if invite.used_by == user_id else "used", invite.role)
            if invite.expires_at <= now:
                return Redeemed("expired")
            if not repo.use_invite(conn, token, user_id, now):
                return Redeemed("used")
            users_repo.grant(conn, user_id, invite.role, invite.administration_code, None, now)
            audit.record(conn, user_id, "invite_redeemed", invite.role, now,
                         administration=invite.administration_code)
            return Redeemed("granted", invite.role, invite.administration_code)

        result = await self.db.write(tx)
        self.on_change(user_id)
        return result

    async def holders(self):
        return await self.db.read(repo.holders)

    async def revoke(self, actor_id: int | None, user_id: int, role: str,
                     administration_code: str | None) -> bool:
        now = self.clock.now()

        def tx(conn) -> bool:
            done = repo.revoke(conn, user_id, role, administration_code)
            if done:
                audit.record(conn, actor_id, "role_revoked", f"user:{user_id}", now, role=role,
                             administration=administration_code)
            return done

        done = await self.db.write(tx)
        self.on_change(user_id)
        return done

    async def revoke_invite(self, actor_id: int | None, token: str) -> bool:
        now = self.clock.now()

        def tx(conn) -> bool:
            done = repo.revoke_invite(conn, token, now)
            if done:
                audit.record(conn, actor_id, "invite_revoked", token[:4] + "…", now)
            return done

        return await self.db.write(tx)
