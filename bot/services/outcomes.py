"""What a registration action did, and why nothing happened when it was refused: named once
here, read by the screens (handlers/registration.py, handlers/approvals.py) that say each one.

StrEnum members equal their value, so a screen comparing with "refused" keeps working; the
values are checked: tests/test_outcomes.py fails if a screen compares with, or writes a text for,
an outcome or a refusal that does not exist, or if a refusal has no text of its own."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    REQUESTED = "requested"  # waiting for an approver
    WAITLISTED = "waitlisted"
    ALREADY = "already"  # the same action had been done (a repeated tap, another device)
    CANCELLED = "cancelled"
    ACCEPTED = "accepted"  # an offered place
    DECLINED = "declined"
    REFUSED = "refused"  # nothing happened: `refusal` says why
    REFUSED_BY_APPROVER = "refused_by_approver"


class Refusal(StrEnum):
    # The session takes no registration or change now (bot/storage/catalogue.py `closed`).
    NOT_FOUND = "not_found"
    CANCELLED = "cancelled"
    STARTED = "started"
    CLOSED = "closed"
    # The person's own registration.
    NOT_YOURS = "not_yours"
    TOO_LATE = "too_late"  # to cancel: past the cancellation deadline
    NO_OFFER = "no_offer"
    EXPIRED = "expired"  # the offer lapsed and its seat went to the next person
    EXPIRED_FREE = "expired_free"  # ... and is free again (nobody was waiting)
    EXPIRED_CLOSED = "expired_closed"  # ... and the session closed meanwhile
    # An approver's decision (bot/services/approvers.py `refusal`).
    NOT_ALLOWED = "not_allowed"  # another administration's request
    OWN_REQUEST = "own_request"  # nobody decides on their own request
