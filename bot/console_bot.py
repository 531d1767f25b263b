"""`etamkeen console` on the real application: who the person is, and when the bot is done.

The console person holds exactly the role asked for (`--role`, default an official): roles
left by an earlier console session under the same id are taken back, so `make demo` never
shows staff screens to someone who did not ask for them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.timeutil import to_db

if TYPE_CHECKING:  # `etamkeen --help` stays quick: the bot is imported only to run it
    from bot.context import Services

CONSOLE_ROLES = ("official", "admin", "coordinator", "focal_point", "trainer")
HORIZON = timedelta(seconds=3)  # a message paced behind another one is due within this


class ConsoleRoleError(ValueError):
    """The role asked for cannot be given (e.g. a focal point of an unknown administration)."""


def admins_for(configured: frozenset[int], user_id: int, role: str) -> frozenset[int]:
    """Admins are configured, not stored: the console person is one only with --role admin."""
    return configured | {user_id} if role == "admin" else configured - {user_id}


async def assume_role(services: Services, user_id: int, role: str,
                      administration: str | None) -> None:
    """Give the person the stored role asked for (through an invitation, as staff get theirs)
    and take back any other; `official` and `admin` hold no stored role."""
    if role not in CONSOLE_ROLES:
        raise ConsoleRoleError(f"unknown role {role!r}: one of {', '.join(CONSOLE_ROLES)}")
    wanted: tuple[str, str | None] | None = None
    if role == "focal_point":
        codes = [a.code for a in services.reference.administrations]
        code = administration or (codes[0] if codes else None)
        if code not in codes:
            raise ConsoleRoleError(f"unknown administration {code!r}: one of {', '.join(codes)}")
        wanted = (role, code)
    elif role in ("coordinator", "trainer"):
        wanted = (role, None)
    held = False
    for row in await services.roles.holders():
        if row["user_id"] != user_id:
            continue
        if (row["role"], row["administration_code"]) == wanted:
            held = True
        else:
            await services.roles.revoke(None, user_id, row["role"], row["administration_code"])
    if wanted is not None and not held:
        token = await services.roles.invite(None, wanted[0], wanted[1], days=1)
        await services.roles.redeem(user_id, token)


def outbox_pending(services: Services, user_id: int):
    """A check for the console: does the outbox still hold messages due now for this person
    (in flight, or pending and due within HORIZON; at night only urgent ones go out)?"""

    def due(conn, now, quiet: bool) -> bool:
        urgent = "AND o.urgent = 1" if quiet else ""
        row = conn.execute(
            f"""SELECT 1 FROM outbox o LEFT JOIN users u ON u.id = o.user_id
                 WHERE o.user_id = ? AND u.unreachable_at IS NULL
                   AND (o.state = 'sending' OR (o.state = 'pending' AND o.due_at <= ? {urgent}))
                 LIMIT 1""", (user_id, to_db(now + HORIZON))).fetchone()
        return row is not None

    async def pending() -> bool:
        if services.db is None or services.dispatcher is None:
            return False
        now = services.clock.now()
        return await services.db.read(due, now, services.dispatcher.quiet(now))

    return pending
