"""The buttons of registering, cancelling and answering a seat offer.

Declared apart from their handlers (handlers.registration) because the session card
(handlers.catalogue, handlers.registration_view) and the outbox messages build them too, and the
registration handlers open the card: they all import these values, never one another.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class Join(Callback, feature="reg", action="join"):
    """Register (or ask, or join the waitlist); an overlap with another session is asked first."""

    session: int


@dataclass(frozen=True)
class JoinAnyway(Callback, feature="reg", action="joinok"):
    session: int


@dataclass(frozen=True)
class BackToCard(Callback, feature="reg", action="back"):
    session: int


@dataclass(frozen=True)
class Cancel(Callback, feature="reg", action="cancel"):
    """Cancel a place, withdraw a request or leave the waitlist: asked once more first."""

    registration: int


@dataclass(frozen=True)
class CancelConfirmed(Callback, feature="reg", action="cancelok"):
    registration: int


@dataclass(frozen=True)
class Keep(Callback, feature="reg", action="keep"):
    """"No" to cancelling or declining: back to the session's card."""

    registration: int


@dataclass(frozen=True)
class Accept(Callback, feature="reg", action="accept"):
    registration: int


@dataclass(frozen=True)
class Decline(Callback, feature="reg", action="decline"):
    registration: int


@dataclass(frozen=True)
class DeclineConfirmed(Callback, feature="reg", action="declineok"):
    registration: int


@dataclass(frozen=True)
class CalendarFile(Callback, feature="reg", action="ics"):
    registration: int


@dataclass(frozen=True)
class Interest(Callback, feature="int", action="t"):
    """Follow (or stop following) a training: told when a new session opens."""

    training: int
