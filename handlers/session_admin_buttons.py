"""The buttons of managing a session or a training (handlers.session_admin).

Declared apart because the catalogue's cards open these screens and session_admin starts the
flows of conversations/: the catalogue imports these values, not the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class ManageSession(Callback, feature="sa", action="menu"):
    session: int


@dataclass(frozen=True)
class ManageTraining(Callback, feature="sa", action="tmenu"):
    training: int


@dataclass(frozen=True)
class Move(Callback, feature="sa", action="move"):
    session: int


@dataclass(frozen=True)
class Trainers(Callback, feature="sa", action="trainers"):
    session: int


@dataclass(frozen=True)
class AssignTrainer(Callback, feature="sa", action="tr"):
    session: int
    trainer: int


@dataclass(frozen=True)
class Seats(Callback, feature="sa", action="seats"):
    session: int


@dataclass(frozen=True)
class EditSession(Callback, feature="sa", action="edit"):
    session: int
    field: str


@dataclass(frozen=True)
class EditTraining(Callback, feature="sa", action="tedit"):
    training: int
    field: str


@dataclass(frozen=True)
class CancelSession(Callback, feature="sa", action="cancel"):
    """Asks why first (conversations.cancel_session)."""

    session: int


@dataclass(frozen=True)
class CancelSessionConfirmed(Callback, feature="sa", action="cancelok"):
    """A confirmation sent before reasons were asked: it asks for the reason too."""

    session: int
