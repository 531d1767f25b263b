"""Who may message whom: trainers their own sessions, coordinators their scope."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers.buttons import no_longer_valid


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


async def not_for_you(update: Update, context: BotContext) -> None:
    """A button for a session (or a registration) that is not, or no longer, this person's: it
    is stale or forged, and answered as every such button is. A callback run by
    handlers.buttons.on raises StaleButton instead; this is for the screens not yet doing so."""
    await no_longer_valid(update, context)


async def may_send(context: BotContext, data: dict) -> bool:
    if data.get("kind") == "trainer":
        return await trainer_may(context, int(data["audience"]["value"]))
    access = await context.access()
    if not access.coordinator:
        return False
    # A focal point's audience is always narrowed to their administration.
    return access.scope is None or data["audience"].get("scope") == access.scope
