"""Who may do what: roles from the database, admins from configuration, checked on every use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.storage import users as users_repo
from bot.storage.db import Database


class Role(StrEnum):
    """What a screen or a button requires (checked with `Access.has`)."""

    TRAINER = "trainer"
    COORDINATOR = "coordinator"  # a focal point (their administration) or the national team
    NATIONAL = "national"  # the national team: manages sessions and the catalogue
    ADMIN = "admin"  # named in ETAMKEEN_ADMINS


@dataclass(frozen=True)
class Access:
    user_id: int
    admin: bool = False
    national: bool = False  # a coordinator of the national programme team
    focal_administration: str | None = None  # the administration a focal point answers for
    trainer: bool = False

    @property
    def coordinator(self) -> bool:
        """May manage sessions and broadcast (national scope, or one administration)."""
        return self.admin or self.national or self.focal_administration is not None

    @property
    def scope(self) -> str | None:
        """None for national scope; else the one administration this person may see."""
        return None if (self.admin or self.national) else self.focal_administration

    @property
    def manages_sessions(self) -> bool:
        return self.admin or self.national

    def has(self, role: Role) -> bool:
        """Whether this person may do what `role` stands for (an admin may do everything)."""
        if role is Role.ADMIN:
            return self.admin
        if role is Role.NATIONAL:
            return self.manages_sessions
        if role is Role.COORDINATOR:
            return self.coordinator
        # The national team oversees every session: it may do what a trainer does (their
        # commands are in its menu, handlers.commands; it may take any session's attendance).
        return self.trainer or self.manages_sessions


async def access_of(db: Database, user_id: int, admins: frozenset[int]) -> Access:
    roles = await db.read(users_repo.roles_of, user_id)
    focal = next((r.administration_code for r in roles if r.role == "focal_point"), None)
    return Access(
        user_id=user_id,
        admin=user_id in admins,
        national=any(r.role == "coordinator" and r.administration_code is None for r in roles),
        focal_administration=focal,
        trainer=any(r.role == "trainer" for r in roles),
    )
