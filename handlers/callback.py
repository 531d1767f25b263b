"""The typed callback data itself (handlers/buttons.py says how it is used): the Callback base,
its pack/unpack and the one registry of actions. Its own module, below handlers.ui, so that the
helpers there (nav_row's page counter) declare their buttons as every feature does."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar, Self, get_type_hints

from bot.text import parse_int

VERSION = "v1"
MAX_CALLBACK_BYTES = 64

_TOKEN = re.compile(r"[A-Za-z0-9_.-]{1,40}")
_REGISTRY: dict[tuple[str, str], type[Callback]] = {}


class Callback:
    """The base of every typed callback data (subclasses are frozen dataclasses)."""

    feature: ClassVar[str]
    action: ClassVar[str]
    _fields: ClassVar[tuple[tuple[str, type], ...]]

    def __init_subclass__(cls, feature: str, action: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not (_TOKEN.fullmatch(feature) and _TOKEN.fullmatch(action)) or ":" in feature + action:
            raise ValueError(f"bad callback name {feature}:{action}")
        if (feature, action) in _REGISTRY:
            raise ValueError(f"callback {feature}:{action} is declared twice")
        cls.feature, cls.action = feature, action
        _REGISTRY[(feature, action)] = cls

    @classmethod
    def _layout(cls) -> tuple[tuple[str, type], ...]:
        layout = cls.__dict__.get("_fields")
        if layout is None:
            hints = get_type_hints(cls)
            layout = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
            if any(name in ("feature", "action") for name, _ in layout):
                # The field would shadow the class's own name: the data would not match its handler.
                raise TypeError(f"{cls.__name__}: a field cannot be named feature or action")
            if any(kind not in (int, str, bool) for _, kind in layout):
                raise TypeError(f"{cls.__name__}: callback fields are int, str or bool")
            cls._fields = layout
        return layout

    def pack(self) -> str:
        """The button's data; ValueError past Telegram's 64 bytes (a bug, found in tests)."""
        parts = [VERSION, self.feature, self.action]
        for name, kind in self._layout():
            value = getattr(self, name)
            text = ("1" if value else "0") if kind is bool else str(value)
            if kind is str and not _TOKEN.fullmatch(text):
                raise ValueError(f"{type(self).__name__}.{name}: {text!r} cannot go in callback data")
            parts.append(text)
        data = ":".join(parts)
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data too long: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The value a button carries, or None when its data is not one of ours as it is now."""
        if not data:
            return None
        parts = data.split(":")
        layout = cls._layout()
        if parts[:3] != [VERSION, cls.feature, cls.action] or len(parts) != 3 + len(layout):
            return None
        values = {}
        for (name, kind), text in zip(layout, parts[3:], strict=True):
            if kind is int:
                value = parse_int(text)
                if value is None or not text.isascii():
                    return None
            elif kind is bool:
                if text not in ("0", "1"):
                    return None
                value = text == "1"
            else:
                if not _TOKEN.fullmatch(text):
                    return None
                value = text
            values[name] = value
        return cls(**values)

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """PTB's pattern for this action (the routing index reads the feature from it)."""
        return re.compile(rf"^{VERSION}:{re.escape(cls.feature)}:{re.escape(cls.action)}(?::|$)")


def registered() -> dict[tuple[str, str], type[Callback]]:
    """Every declared action, by (feature, action): one registry for the whole bot."""
    return dict(_REGISTRY)
