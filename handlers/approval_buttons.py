"""The buttons of approvals (handlers.approvals), declared apart because the request the outbox
sends to focal points (handlers.approval_notices) carries them too."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import Callback


@dataclass(frozen=True)
class Approve(Callback, feature="apr", action="ok"):
    registration: int


@dataclass(frozen=True)
class Refuse(Callback, feature="apr", action="no"):
    registration: int


@dataclass(frozen=True)
class RefuseWithoutReason(Callback, feature="apr", action="skip"):
    """"Skip" under the question for a reason (pressed outside the flow: the flow was left)."""

    registration: int


@dataclass(frozen=True)
class ApprovalsPage(Callback, feature="aprs", action="p"):
    page: int
