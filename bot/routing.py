"""One handler for a group of handlers, which finds the few that may want an update by its
command or its button's feature instead of asking every one in turn.

PTB asks a group's handlers one by one (and copies the list first) until one accepts the
update. Ours has sixty in its main group, and most updates are a button of a feature near the
end or a command: a few dozen `check_update` calls an update, 2.6% of ours' time in the
registration benchmark's profile. The answer is the same as PTB's: the candidates are the
handlers that could accept the update, asked in their original order, and the first to accept
it handles it.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

# Our callback data is `v1:<feature>:...` (handlers.ui.cb); a handler's pattern names its feature.
_FEATURE_PATTERN = re.compile(r"^\^v1:([A-Za-z0-9_]+)(?::|\$)")

Key = tuple[str, str]


def _keys(handler: BaseHandler) -> list[Key] | None:
    """The keys of the updates this handler may accept; None: any update (asked for all)."""
    if isinstance(handler, CommandHandler):
        return [("cmd", command) for command in handler.commands]
    if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern):
        feature = _FEATURE_PATTERN.match(handler.pattern.pattern)
        if feature:
            return [("cb", feature.group(1))]
    return None


def key_of(update: object) -> Key | None:
    """The key of an update: its button's feature, or its command (read as PTB's CommandHandler
    reads it); None for anything else, which only the handlers without a key may accept."""
    if not isinstance(update, Update):
        return None
    query = update.callback_query
    if query is not None:
        if not query.data:  # PTB lets every button handler take a press without data
            return ("any", "")
        parts = query.data.split(":", 2)
        return ("cb", parts[1]) if len(parts) > 1 and parts[0] == "v1" else None
    message = update.effective_message
    if message is None or not message.entities or not message.text:
        return None
    entity = message.entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    return ("cmd", message.text[1:entity.length].split("@")[0].lower())


class IndexedGroup(BaseHandler[Update, Any, Any]):
    """Stands for a group's handlers (see the module's docstring)."""

    __slots__ = ("_candidates", "_generic", "handlers")

    def __init__(self, handlers: list[BaseHandler]) -> None:
        super().__init__(self._never)
        if any(not h.block for h in handlers):  # PTB would run those as tasks: not ours to decide
            raise ValueError("IndexedGroup handles blocking handlers only")
        self.handlers = list(handlers)
        keyed: dict[Key, list[int]] = {}
        generic: list[int] = []
        for i, handler in enumerate(self.handlers):
            keys = _keys(handler)
            if keys is None:
                generic.append(i)
            for key in keys or ():
                keyed.setdefault(key, []).append(i)
        self._generic = [self.handlers[i] for i in generic]
        # Per key, its own handlers and the generic ones, in the order they were added.
        self._candidates = {key: [self.handlers[i] for i in sorted(set(own) | set(generic))]
                            for key, own in keyed.items()}

    @staticmethod
    async def _never(update: object, context: Any) -> None:
        raise RuntimeError("IndexedGroup delegates to the handler that accepted the update")

    def check_update(self, update: object) -> tuple[BaseHandler, object] | None:
        key = key_of(update)
        if key is None:
            candidates = self._generic
        elif key[0] == "any":
            candidates = self.handlers
        else:
            candidates = self._candidates.get(key, self._generic)
        for handler in candidates:
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(self, update: Update, application: Any, check_result: Any,
                            context: Any) -> Any:
        handler, check = check_result
        return await handler.handle_update(update, application, check, context)


def index_group(app: Any, group: int = 0) -> None:
    """Replace the handlers of `group` by one IndexedGroup of them (call once all are added)."""
    handlers = app.handlers.get(group, [])
    if len(handlers) > 1:
        app.handlers[group] = [IndexedGroup(handlers)]
