"""The buttons of a trainer's sessions that several screens show: the list and a session's view
(handlers.trainer), its roster and its check-in code (handlers.attendance). Declared here, below
those screens, so that the attendance of a part, the results and the test results lead back to
them without importing the screens that show them (no circle of imports)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class MySessions(Callback, feature="tr", action="list"):
    """The sessions a trainer runs (also under the notice that gives a trainer a session)."""


@dataclass(frozen=True)
class SessionView(Callback, feature="tr", action="s"):
    session: int


@dataclass(frozen=True)
class Roster(Callback, feature="att", action="r"):
    session: int
    page: int


@dataclass(frozen=True)
class CheckInCode(Callback, feature="att", action="qr"):
    session: int
