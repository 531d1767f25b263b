"""The buttons of the needs survey's screens (handlers/needs.py) and of its answer flow
(conversations/needs_answer.py), in one place so the notices, the screens and the flow share
them without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class NeedsHome(Callback, feature="nds", action="h"):
    """The survey screen of an administration (its latest survey, launch a new one)."""

    administration: str


@dataclass(frozen=True)
class LaunchAsk(Callback, feature="nds", action="la"):
    administration: str


@dataclass(frozen=True)
class LaunchYes(Callback, feature="nds", action="ly"):
    administration: str
    after: int  # the latest survey when the confirmation was shown (0: none): one launch per tap


@dataclass(frozen=True)
class Results(Callback, feature="nds", action="r"):
    survey: int


@dataclass(frozen=True)
class ResultsFile(Callback, feature="nds", action="x"):
    survey: int


@dataclass(frozen=True)
class ToLine(Callback, feature="nds", action="ln"):
    """Start a plan line for the theme, prefilled from the survey."""

    survey: int
    theme: str


# --- the answer flow ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer(Callback, feature="nda", action="go"):
    """The invitation's button: open (or resume, or edit) the person's answer."""

    survey: int


@dataclass(frozen=True)
class Choose(Callback, feature="nda", action="c"):
    """A tap on a choice of the current question (a theme, a level, a modality, a constraint)."""

    value: str


@dataclass(frozen=True)
class Pick(Callback, feature="nda", action="p"):
    """A box of a multiple choice (themes, constraints), carrying what the person sees it will do:
    tick it (`on`) under an empty box, untick it under a ticked one. A tap repeated because
    Telegram failed to show the first one does what the person meant, not the opposite."""

    value: str
    on: bool


@dataclass(frozen=True)
class Next(Callback, feature="nda", action="n"):
    pass
