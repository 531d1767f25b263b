"""The buttons of the evaluation questionnaires (hot, cold). A question's buttons carry the
response, the questionnaire version and the question id: the service checks all three against
the database, so a button of an older message, version or person is answered, never trusted.
Declared apart from the flow so that the invitation, the attestation and the test result can
show "Answer the questionnaire" without importing the flow."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class OpenQuestionnaire(Callback, feature="ev", action="open"):
    """Start or resume the questionnaire of a kind (hot, cold) for one of the person's sessions."""

    registration: int
    kind: str


@dataclass(frozen=True)
class ChooseAnswer(Callback, feature="ev", action="a"):
    """One tap on a scale or single choice: the answer."""

    response: int
    version: int  # the questionnaire id (one per version)
    question: str
    code: str


@dataclass(frozen=True)
class TickAnswer(Callback, feature="ev", action="m"):
    """Tick or untick one choice of a multiple-choice question (kept until Done)."""

    response: int
    version: int
    question: str
    code: str


@dataclass(frozen=True)
class DoneTicking(Callback, feature="ev", action="d"):
    response: int
    version: int
    question: str


@dataclass(frozen=True)
class SkipQuestion(Callback, feature="ev", action="s"):
    response: int
    version: int
    question: str


@dataclass(frozen=True)
class BackQuestion(Callback, feature="ev", action="b"):
    """Back from a question (or from the summary, whose step is SUMMARY) to the one before."""

    response: int
    version: int
    question: str


@dataclass(frozen=True)
class EditAnswer(Callback, feature="ev", action="e"):
    """From the summary, back to one question to change its answer."""

    response: int
    version: int
    question: str


@dataclass(frozen=True)
class SendAnswers(Callback, feature="ev", action="ok"):
    response: int
    version: int
