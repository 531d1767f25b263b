"""The dispatch of outbox messages (what the bot sends on its own) to the feature that words them.

Each feature keeps its messages beside its screens (handlers/*_notices.py, handlers/status.py)
and adds them here from its `register(app)`, as `kind -> renderer`. A renderer words one row at
send time, in the recipient's current language, and returns None when the message no longer
means anything (the offer was taken, the registration cancelled meanwhile): the dispatcher then
skips it instead of sending stale news.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services.notice_reads import OutboxRow

Renderer = Callable[[Services, OutboxRow, Translator], Awaitable[Notice | None]]

_RENDERERS: dict[str, Renderer] = {}


def add(renderers: Mapping[str, Renderer]) -> None:
    """Declare a feature's renderers. Registering the same again (another Application in the
    same process) changes nothing; a kind already worded by another renderer is a bug."""
    for kind, renderer in renderers.items():
        known = _RENDERERS.setdefault(kind, renderer)
        if known is not renderer:
            raise ValueError(f"outbox kind {kind!r} has two renderers")


def kinds() -> frozenset[str]:
    """The kinds of outbox message some feature words."""
    return frozenset(_RENDERERS)


async def render(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    renderer = _RENDERERS.get(row.kind)
    if renderer is None:
        raise KeyError(f"no feature words the outbox kind {row.kind!r}")
    return await renderer(services, row, t)
