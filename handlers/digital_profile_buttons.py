"""The buttons of "My digital profile" (issue 17). Declared apart from their handlers because
the self-assessment flow (conversations/self_assessment.py), the result screen, the onboarding's
offer and the outbox's re-offers all build them: they import these values, never one another."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class DigitalProfile(Callback, feature="dp", action="home"):
    """The main menu's entry: the newest result, or the invitation (as /digitalprofile)."""


@dataclass(frozen=True)
class Begin(Callback, feature="dp", action="go"):
    """Start the self-assessment (again)."""


@dataclass(frozen=True)
class Resume(Callback, feature="dp", action="c"):
    """Back to the statement where a self-assessment left by a command stopped (its answers kept)."""


@dataclass(frozen=True)
class Later(Callback, feature="dp", action="later"):
    """Not now: the offer is put away, /digitalprofile stays."""


@dataclass(frozen=True)
class Rate(Callback, feature="dp", action="r"):
    """A level (1-5) for one statement; a statement other than the current one is stale."""

    statement: str
    level: int


@dataclass(frozen=True)
class Previous(Callback, feature="dp", action="b"):
    """Back to the statement before (its answer can be changed)."""

    statement: str


@dataclass(frozen=True)
class Notify(Callback, feature="dp", action="n"):
    """A recommended training without a session to register for: the interest list of /demand."""

    training: int
