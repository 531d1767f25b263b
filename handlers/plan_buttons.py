"""The buttons of the plan screens (/prc for a focal point, /plans for the national team), in one
place so that the view, the commands and the notices share them without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class PlanOpen(Callback, feature="prc", action="o"):
    """A plan version's screen, at a page of its lines; `national`: the coordinators' view."""

    version: int
    page: int = 0
    national: bool = False


@dataclass(frozen=True)
class CreatePlan(Callback, feature="prc", action="new"):
    start: int
    end: int


@dataclass(frozen=True)
class AddLine(Callback, feature="prc", action="add"):
    version: int


@dataclass(frozen=True)
class DeleteLine(Callback, feature="prc", action="del"):
    line: int


@dataclass(frozen=True)
class DeleteLineYes(Callback, feature="prc", action="dy"):
    line: int


@dataclass(frozen=True)
class LinkLine(Callback, feature="prc", action="lk"):
    line: int


@dataclass(frozen=True)
class LinkSession(Callback, feature="prc", action="ls"):
    line: int
    session: int
    linked: bool


@dataclass(frozen=True)
class Submit(Callback, feature="prc", action="sub"):
    version: int


@dataclass(frozen=True)
class NewVersion(Callback, feature="prc", action="nv"):
    version: int


@dataclass(frozen=True)
class Decide(Callback, feature="pln", action="do"):
    """validate, activate or close (returning asks a reason: ReturnPlan)."""

    version: int
    step: str  # not `action`: that name is the Callback's own


@dataclass(frozen=True)
class ReturnPlan(Callback, feature="pln", action="ret"):
    version: int


@dataclass(frozen=True)
class PlansPage(Callback, feature="pln", action="p"):
    status: str = "all"
    page: int = 0


@dataclass(frozen=True)
class CommonPlan(Callback, feature="pln", action="cp"):
    page: int = 0


@dataclass(frozen=True)
class ScheduleFrom(Callback, feature="pln", action="sch"):
    """Schedule a session from this line (and others of its theme: conversations/plan_schedule)."""

    line: int


@dataclass(frozen=True)
class EditLine(Callback, feature="prc", action="ed"):
    """The menu of a line's fields, each a button (conversations/plan_line_edit)."""

    line: int
    national: bool = False


@dataclass(frozen=True)
class EditField(Callback, feature="prc", action="ef"):
    line: int
    field: str  # a key of conversations/plan_line_edit.FIELDS
    national: bool = False


@dataclass(frozen=True)
class ScheduleTheme(Callback, feature="pln", action="sct"):
    """Schedule a session from the common plan: the theme's lines, none ticked yet."""

    theme: str
