"""The buttons of /invite and /roles (handlers.roles, roles_revoke, invites).

Declared apart because the three screens link to one another: they import these values, and
only handlers.roles (which registers them) imports the screens. The role and administration
of a revocation are checked again by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from bot.services.roles import ROLES
from handlers.buttons import Callback

NO_ADMINISTRATION = "-"  # a role held nationally (trainer, national coordinator)


@dataclass(frozen=True)
class InviteMenu(Callback, feature="rl", action="menu"):
    pass


@dataclass(frozen=True)
class Invite(Callback, feature="rl", action="new"):
    """An invitation to a national role (a trainer, a national coordinator)."""

    role: str

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        value = super().unpack(data)
        return value if value is not None and value.role in ("trainer", "coordinator") else None


@dataclass(frozen=True)
class InviteFocalPoint(Callback, feature="rl", action="newf"):
    administration: str


@dataclass(frozen=True)
class AdministrationsPage(Callback, feature="rl", action="admins"):
    page: int


@dataclass(frozen=True)
class RolesPage(Callback, feature="rl", action="list"):
    page: int


@dataclass(frozen=True)
class Revoke(Callback, feature="rl", action="rv"):
    """The question before revoking (what the person still trains)."""

    user: int
    role: str
    administration: str = NO_ADMINISTRATION

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        value = super().unpack(data)
        return value if value is not None and value.role in ROLES else None


@dataclass(frozen=True)
class RevokeConfirmed(Revoke, feature="rl", action="ry"):
    pass


@dataclass(frozen=True)
class HandOver(Callback, feature="rl", action="ra"):
    """Choose who takes over the sessions of a trainer whose role is revoked."""

    user: int


@dataclass(frozen=True)
class RevokeHandingOver(Callback, feature="rl", action="rt"):
    user: int
    to: int


@dataclass(frozen=True)
class InvitationsPage(Callback, feature="rl", action="pending"):
    page: int


@dataclass(frozen=True)
class Withdraw(Callback, feature="rl", action="iw"):
    invite: int


@dataclass(frozen=True)
class Resend(Callback, feature="rl", action="is"):
    invite: int
