"""The typed buttons of onboarding (feature "ob"). Their data keeps the shape of the older
release's (`v1:ob:<step>:<value>`) where it can, so a question asked before an upgrade still
answers after it."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.profile_steps import ProfileButtons
from handlers.buttons import Callback


@dataclass(frozen=True)
class PickLanguage(Callback, feature="ob", action="language"):
    code: str


@dataclass(frozen=True)
class Consent(Callback, feature="ob", action="consent"):
    answer: str  # "yes" or "no"


@dataclass(frozen=True)
class PickSex(Callback, feature="ob", action="sex"):
    code: str


@dataclass(frozen=True)
class PickAdministration(Callback, feature="ob", action="administration"):
    code: str


@dataclass(frozen=True)
class AdministrationsPage(Callback, feature="ob", action="ap"):
    page: int


@dataclass(frozen=True)
class MatchesPage(Callback, feature="ob", action="aq"):
    page: int


@dataclass(frozen=True)
class PickLevel(Callback, feature="ob", action="level"):
    code: str


@dataclass(frozen=True)
class PickRegion(Callback, feature="ob", action="region"):
    code: str


@dataclass(frozen=True)
class PickPosition(Callback, feature="ob", action="position"):
    code: str


@dataclass(frozen=True)
class EditAnswer(Callback, feature="ob", action="edit"):
    """At the summary: change one answer, then come back to the summary."""

    field: str


@dataclass(frozen=True)
class Confirm(Callback, feature="ob", action="confirm"):
    pass


PROFILE_BUTTONS = ProfileButtons(sex=PickSex, administration=PickAdministration,
                                 admin_page=AdministrationsPage, matches_page=MatchesPage,
                                 level=PickLevel, region=PickRegion, position=PickPosition)
