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


# --- what other services' actions did (their screens compare with these, not with strings) ------
class CapacityChange(StrEnum):
    """sessions.set_capacity."""

    CHANGED = "changed"
    BELOW = "below"  # fewer than the places already taken: nothing changed
    BELOW_RESERVED = "below_reserved"  # fewer than the places still reserved for administrations
    GONE = "gone"  # the session no longer exists, is cancelled or has started


class SessionChange(StrEnum):
    """sessions.Change.outcome: a reschedule, a move or a cancellation."""

    CHANGED = "changed"
    CANCELLED = "cancelled"
    UNCHANGED = "unchanged"
    REFUSED = "refused"  # Change.refusal says why


class Marking(StrEnum):
    """attendance.set and attendance.all_present."""

    OK = "ok"
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # outside the window in which attendance may be taken


class CodeWindow(StrEnum):
    """checkin.may_show: whether a trainer can show the check-in code now."""

    OK = "ok"
    NOT_FOUND = "not_found"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class Revocation(StrEnum):
    """roles.revoke."""

    REVOKED = "revoked"
    ALREADY = "already"
    LAST = "last"  # the last holder who can hand the role on
    NO_TRAINER = "no_trainer"  # the person to take the sessions over is not a trainer


class Invitation(StrEnum):
    """roles.Redeemed.outcome: an invitation link opened."""

    GRANTED = "granted"
    ALREADY = "already"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


class CohortBooking(StrEnum):
    """paths.Booking.outcome: a cohort of a learning path booked."""

    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    ALREADY = "already"
    REFUSED = "refused"  # Booking.refusal says why


class SlotBooking(StrEnum):
    """coaching.book."""

    BOOKED = "booked"
    TAKEN = "taken"
    OWN = "own"  # a coach's own slot


class Scan(StrEnum):
    """checkin.CheckIn.outcome: a participant scanned a check-in code."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_REGISTERED = "not_registered"
    EXPIRED = "expired"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


class SlotRecord(StrEnum):
    """coaching.record: a coach records whether the person came."""

    OK = "ok"
    NOT_YOURS = "not_yours"
    NOT_BOOKED = "not_booked"
    NOT_YET = "not_yet"  # before the slot starts


class Reservation(StrEnum):
    """quotas.reserve: places reserved for an administration on a session, or why not."""

    SET = "set"
    REMOVED = "removed"
    NOT_RESERVED = "not_reserved"  # removing a reservation that does not exist
    UNKNOWN_ADMINISTRATION = "unknown_administration"
    TOO_MANY = "too_many"  # more than the session's places
    TOO_MANY_IN_ALL = "too_many_in_all"  # with the other administrations' places, more than the session's
    BAD_RELEASE = "bad_release"  # the release date is past or after the start
    # The session takes no change (bot/storage/catalogue.py `closed`).
    NOT_FOUND = "not_found"
    CANCELLED = "cancelled"
    STARTED = "started"
    CLOSED = "closed"


# --- competence plans (bot/services/plans.py) --------------------------------------------------
class PlanAction(StrEnum):
    """plans.transition's actions on a plan version."""

    SUBMIT = "submit"
    VALIDATE = "validate"
    RETURN = "return"
    ACTIVATE = "activate"
    CLOSE = "close"


class PlanStatus(StrEnum):
    """A plan version's status (the column's CHECK in bot/storage/schema_plans.py lists the same)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"
    ACTIVE = "active"
    CLOSED = "closed"
    SUPERSEDED = "superseded"  # a validated or active version replaced by a newer validated one


class PlanRefusal(StrEnum):
    """PlanError.code: which plan rule refused (handlers/prc_text.py `plan_error` says them)."""

    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"  # another administration's plan, or a national decision
    UNKNOWN_ACTION = "unknown_action"
    REASON_REQUIRED = "reason_required"  # a return says why
    ILLEGAL_TRANSITION = "illegal_transition"  # the status changed meanwhile
    NO_LINES = "no_lines"  # an empty plan is not submitted
    NOT_REVISABLE = "not_revisable"
    NOT_EDITABLE = "not_editable"
    CHANGED_MEANWHILE = "changed_meanwhile"  # a line edited by someone else since it was read
    PERIOD_INVALID = "period_invalid"
    ADMINISTRATION_UNKNOWN = "administration_unknown"
    PLAN_EXISTS = "plan_exists"
    SESSION_UNKNOWN = "session_unknown"
    # Sessions scheduled from plan lines (bot/services/plan_schedule.py).
    NO_LINE = "no_line"
    NOT_SCHEDULABLE = "not_schedulable"
    MIXED_THEMES = "mixed_themes"
    MIXED_TRAININGS = "mixed_trainings"
    QUOTA_REFUSED = "quota_refused"


# --- sessions in parts, e-learning -------------------------------------------------------------
class PartMarking(StrEnum):
    """session_parts.mark_part: one part's attendance mark."""

    OK = "ok"
    NOT_FOUND = "not_found"  # no such place or part, or not of this session
    CLOSED = "closed"  # outside the window in which this part's attendance may be taken


class PartRemoval(StrEnum):
    """SessionPartsService.remove_part."""

    REMOVED = "removed"
    NOT_FOUND = "not_found"
    MARKED = "marked"  # attendance was taken for it
    LAST = "last"  # a session in parts keeps at least one


class Completion(StrEnum):
    """An e-learning completion recorded (an import's row, a person's declaration)."""

    RECORDED = "recorded"
    ALREADY = "already"  # complete before: the first completion is kept


class Verification(StrEnum):
    """attestations.verify: what a code typed or scanned is."""

    GENUINE = "genuine"
    NOT_FOUND = "not_found"  # well formed, but no attestation has it
    MALFORMED = "malformed"  # not a verification code at all


class Issuance(StrEnum):
    """attestations.issue: an attestation issued (or found issued), or why not."""

    OK = "ok"
    NOT_YOURS = "not_yours"  # not the person's registration, or gone
    NOT_ATTENDED = "not_attended"
    NOT_ENDED = "not_ended"
    NEEDS_EVALUATION = "needs_evaluation"  # the hot questionnaire first
    NOT_PASSED = "not_passed"  # de réussite: the final test below the pass mark


# --- one field of a session or one text of a training (bot/services/field_edit.py) -------------
class FieldChange(StrEnum):
    """field_edit.write_session_field and write_training_text: what the write did."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"  # the value was already the stored one
    REFUSED = "refused"  # nothing written: the FieldRefusal says why


class FieldRefusal(StrEnum):
    """Why a field's value, or the change itself, is refused (field_edit.check_*, the writers)."""

    # The session or training takes no change (bot/storage/catalogue.py `closed`; the writer
    # checks with deadline=False, so never `closed`).
    NOT_FOUND = "not_found"
    CANCELLED = "cancelled"
    STARTED = "started"
    # The value typed or chosen.
    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_DEADLINE = "bad_deadline"  # past, or after the session's start
    BAD_CHOICE = "bad_choice"  # not one of the offered choices
    # An online link (bot/services/links.py check_link's reasons).
    LINK_SPACES = "link_spaces"
    LINK_TOO_LONG = "link_too_long"
    LINK_SCHEME = "link_scheme"
    LINK_HOST = "link_host"


class RatingProblem(StrEnum):
    """self_assessment.record: why a self-assessment was not recorded (nothing was)."""

    INCOMPLETE = "incomplete"  # a statement of the framework not rated
    UNKNOWN_STATEMENT = "unknown_statement"  # a statement the framework no longer has
    RATING = "rating"  # a rating outside 1-5
