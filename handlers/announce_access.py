"""Who may message whom: trainers their own sessions, coordinators their scope."""

from __future__ import annotations

from bot.context import BotContext


async def trainer_may(context: BotContext, session_id: int) -> bool:
    """The session's trainer, or someone who manages sessions; never for a cancelled session
    (its roster, check-in and messages are gone with it, even from a button shown before)."""
    session = await context.services.catalogue.session(session_id)
    if session is None or session.status == "cancelled":
        return False
    access = await context.access()
    if access.manages_sessions:
        return True
    return access.trainer and session.trainer_id == context.person.user_id


async def may_send(context: BotContext, data: dict) -> bool:
    if data.get("kind") == "trainer":
        return await trainer_may(context, int(data["audience"]["value"]))
    access = await context.access()
    if not access.coordinator:
        return False
    # A focal point's audience is always narrowed to their administration.
    return access.scope is None or data["audience"].get("scope") == access.scope
