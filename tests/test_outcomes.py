"""Registration outcomes and refusal reasons are named once (bot/services/outcomes.py); the
screens that say them are checked against those names, so a typo or a new reason without a
text fails here instead of showing "This button is no longer valid." to someone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.services.outcomes import Outcome, PlanAction, PlanRefusal, PlanStatus, Refusal

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ("handlers/registration.py", "handlers/approvals.py")


def function(path: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                and n.name == name)


def dict_keys(node: ast.AST) -> set[str]:
    return {k.value for d in ast.walk(node) if isinstance(d, ast.Dict)
            for k in d.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def compared_with(path: str, attribute: str) -> set[str]:
    """The strings a screen compares `<x>.<attribute>` with (==, !=, in)."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) \
                and node.left.attr == attribute:
            for right in node.comparators:
                for c in ast.walk(right):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str):
                        found.add(c.value)
    return found


def test_every_refusal_has_a_text_of_its_own_and_every_text_a_refusal():
    texts = (dict_keys(function("handlers/registration.py", "refusal_text"))
             | dict_keys(function("handlers/approvals.py", "refusal_text")))
    # Another person's button gets the one shared answer for stale buttons (handlers/buttons.py),
    # on purpose: it says nothing of whose registration it was.
    assert Refusal.NOT_YOURS.value not in texts
    assert texts | {Refusal.NOT_YOURS.value} == {r.value for r in Refusal}


@pytest.mark.parametrize("path", SCREENS)
def test_screens_compare_outcomes_that_exist(path):
    assert compared_with(path, "outcome") <= {o.value for o in Outcome}
    assert compared_with(path, "refusal") <= {r.value for r in Refusal}


def test_the_approval_screen_says_every_outcome_of_a_decision():
    said = dict_keys(function("handlers/approvals.py", "decide"))
    assert said and said <= {o.value for o in Outcome}


def test_an_unknown_reason_is_refused_loudly():
    from bot.services.registrations import _refused  # the one constructor of a refusal

    assert _refused("too_late").refusal is Refusal.TOO_LATE
    with pytest.raises(ValueError):
        _refused("tooo_late")


# --- the other services' outcomes: StrEnums, returned as such, compared as such ------------------
TYPED = {  # screen (or flow) -> what it compares results with
    "conversations/capacity.py", "conversations/reschedule.py", "conversations/field_edit.py",
    "handlers/session_admin.py", "handlers/attendance.py", "handlers/roles.py",
    "handlers/roles_revoke.py", "handlers/paths.py", "handlers/coaching.py", "conversations/quota.py",
    "handlers/attestation.py",
}


def test_the_services_declare_their_outcomes():
    from typing import get_type_hints

    from bot.services import outcomes, quotas
    from bot.services.attendance import AttendanceService
    from bot.services.checkin import CheckIn, CheckinService
    from bot.services.coaching import CoachingService
    from bot.services.paths import Booking
    from bot.services.roles import Redeemed, RoleService
    from bot.services.sessions import Change, SessionAdmin

    assert get_type_hints(SessionAdmin.set_capacity)["return"] is outcomes.CapacityChange
    assert get_type_hints(RoleService.revoke)["return"] is outcomes.Revocation
    assert get_type_hints(CoachingService.book)["return"] is outcomes.SlotBooking
    assert get_type_hints(AttendanceService.set)["return"] == tuple[outcomes.Marking, int | None]
    assert get_type_hints(AttendanceService.all_present)["return"] == tuple[outcomes.Marking, int, int]
    assert get_type_hints(CheckinService.may_show)["return"].__args__[0] is outcomes.CodeWindow
    assert get_type_hints(Change)["outcome"] is outcomes.SessionChange
    assert get_type_hints(Redeemed)["outcome"] is outcomes.Invitation
    assert get_type_hints(Booking)["outcome"] is outcomes.CohortBooking
    assert get_type_hints(CheckIn)["outcome"] is outcomes.Scan
    assert get_type_hints(CoachingService.record)["return"] is outcomes.SlotRecord
    assert get_type_hints(quotas.reserve)["return"] is outcomes.Reservation


async def test_the_services_return_their_outcomes_as_members(app):
    from functools import partial

    from bot.services import quotas
    from bot.services.outcomes import (
        CapacityChange,
        CodeWindow,
        CohortBooking,
        Invitation,
        Marking,
        Reservation,
        Revocation,
        Scan,
        SessionChange,
        SlotBooking,
        SlotRecord,
    )
    from tests.conftest import db_row, onboard

    s = app.bot_data
    sid = (await db_row(app, "SELECT id FROM sessions WHERE reference = 'TRF-102-01'"))[0]
    await onboard(app, 4251, "fr")
    await s.registrations.join(4251, sid)  # at least one place is taken
    assert await s.sessions.set_capacity(None, sid, 0) is CapacityChange.BELOW
    assert await s.sessions.set_capacity(None, sid, 500) is CapacityChange.CHANGED
    assert await s.sessions.set_capacity(None, 999_999, 5) is CapacityChange.GONE
    assert (await s.sessions.cancel(999_999)).outcome is SessionChange.REFUSED
    assert (await s.checkin.may_show(999_999))[0] is CodeWindow.NOT_FOUND
    assert (await s.attendance.all_present(999_999))[0] is Marking.CLOSED
    assert (await s.attendance.set(999_999, True))[0] is Marking.NOT_FOUND
    assert (await s.roles.redeem(4250, "i_" + "x" * 16)).outcome is Invitation.UNKNOWN
    assert await s.roles.revoke(None, 4250, "trainer", None) is Revocation.ALREADY
    assert (await s.paths.book_cohort(4250, 999_999)).outcome is CohortBooking.REFUSED
    assert await s.coaching.book(4250, 999_999) is SlotBooking.TAKEN
    assert await s.coaching.record(4250, 999_999, True) is SlotRecord.NOT_YOURS
    assert (await s.checkin.check_in(4250, "garbage")).outcome is Scan.EXPIRED
    reserve = partial(quotas.reserve, s.db, s.clock, s.registrations.offer_free_seats, None)
    assert await reserve(999_999, "MEF", 2, None) is Reservation.NOT_FOUND
    assert await reserve(sid, "NOPE", 2, None) is Reservation.UNKNOWN_ADMINISTRATION
    assert await reserve(sid, "MEF", 0, None) is Reservation.NOT_RESERVED
    assert await reserve(sid, "MEF", 2, None) is Reservation.SET


@pytest.mark.parametrize("path", sorted(TYPED))
def test_screens_compare_typed_outcomes_with_members_not_strings(path):
    """`outcome == "closed"` kept working if the value were renamed nowhere; a member fails at once."""
    import re

    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r'\b(outcome|result)\s*(==|!=|is|is not)\s*"', source), path


# --- competence plans ---------------------------------------------------------------------------
def _plan_error_codes() -> set[str]:
    """The codes every `PlanError(...)` in bot/services is raised with (a string or a member)."""
    found = set()
    for path in (ROOT / "bot/services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "PlanError" and node.args:
                code = node.args[0]
                if isinstance(code, ast.Constant):
                    found.add(code.value)
                elif isinstance(code, ast.Attribute):
                    found.add(PlanRefusal[code.attr].value)  # KeyError: no such member
    return found


def test_every_plan_refusal_raised_is_named_and_every_text_says_one():
    from bot.services.plans import PlanError

    raised = _plan_error_codes()
    assert raised and raised <= {r.value for r in PlanRefusal}
    assert dict_keys(function("handlers/prc_text.py", "plan_error")) <= {r.value for r in PlanRefusal}
    assert PlanError("not_found").code is PlanRefusal.NOT_FOUND
    with pytest.raises(ValueError):
        PlanError("not_fuond")  # a typo fails where it is raised, not on someone's screen


def test_plan_transitions_are_typed_and_match_the_stored_statuses():
    from bot.services.plans import LINKABLE, REVISABLE, TRANSITIONS
    from bot.storage.schema_plans import STATUSES

    assert set(TRANSITIONS) == set(PlanAction)
    for rule in TRANSITIONS.values():
        assert isinstance(rule.target, PlanStatus)
        assert all(isinstance(s, PlanStatus) for s in rule.sources)
    assert all(isinstance(s, PlanStatus) for s in REVISABLE | LINKABLE)
    assert {s.value for s in PlanStatus} == set(STATUSES)
    # The plan screens decide with the members, not with strings of their own.
    assert compared_with("handlers/plans.py", "step") == set()


# Services whose outcomes are StrEnums (named for the record: every module is scanned below).
TYPED_SERVICES = ("plans", "plan_choices", "approvers", "session_parts", "part_checkin", "elearning",
                  "checkin", "test_taking", "evaluations", "attestations", "plan_schedule",
                  "field_edit")
# The words a public function of bot/services may return bare because they are NOT outcomes
# (a name, a code of another vocabulary); anything else returned as a bare word fails.
NOT_OUTCOMES = {
    "catalogue_quotas.py": {"sessions"},  # a sheet's name, in a problem's (sheet, row, column)
    "health.py": {"dev"},  # the version of a checkout that is not installed
    "spreadsheet.py": {"csv", "xlsx"},  # a file's kind
    # The workbook reader's problem codes: Problem.code, one vocabulary with the readers' own
    # codes (handlers/catalogue_preview.py problem_text says each), not a service's outcome.
    "workbook_worker.py": {"too_big", "too_slow", "unreadable"},
}


def _public_functions(tree: ast.Module):
    """Module functions and class methods a caller may use (what they return is the API)."""
    for node in tree.body:
        for f in ([node] if not isinstance(node, ast.ClassDef) else node.body):
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and not f.name.startswith("_"):
                yield f


def _bare_outcomes(path: Path) -> list[str]:
    """`return "word"` (alone, first of a tuple, or a branch of an if-expression) in a public
    function of a module, its transactions (nested functions, lambdas) included."""
    word = re.compile(r"[a-z]+(_[a-z]+)*")
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (n for f in _public_functions(tree) for n in ast.walk(f)):
        if isinstance(node, ast.Lambda):  # a one-line transaction returns its body
            values = [node.body]
        elif isinstance(node, ast.Return) and node.value is not None:
            values = [node.value]
        else:
            continue
        while values:
            v = values.pop()
            if isinstance(v, ast.IfExp):
                values += [v.body, v.orelse]
            elif isinstance(v, ast.Tuple) and v.elts:
                values.append(v.elts[0])
            elif isinstance(v, ast.Constant) and isinstance(v.value, str) and word.fullmatch(v.value):
                found.append(f"{path.name}:{node.lineno} {v.value!r}")
    return found


@pytest.mark.parametrize("module", TYPED_SERVICES)
def test_typed_services_return_no_bare_outcome_string(module):
    assert _bare_outcomes(ROOT / "bot/services" / f"{module}.py") == []


def test_no_service_returns_a_bare_outcome_word_but_the_listed_ones():
    found = [f for path in sorted((ROOT / "bot/services").glob("*.py")) for f in _bare_outcomes(path)
             if f.split()[1].strip("'") not in NOT_OUTCOMES.get(path.name, set())]
    assert found == []
    # The allow-list holds only what is still there (a word typed since is taken off).
    for name, words in NOT_OUTCOMES.items():
        still = {f.split()[1].strip("'") for f in _bare_outcomes(ROOT / "bot/services" / name)}
        assert words <= still, name


def test_field_edit_declares_and_returns_its_outcomes():
    from datetime import datetime
    from typing import get_type_hints

    from bot.services import field_edit, links
    from bot.services.outcomes import FieldChange, FieldRefusal

    hints = get_type_hints(field_edit.write_session_field)["return"]
    assert hints.__args__[:2] == (FieldChange, FieldRefusal | None)
    assert get_type_hints(field_edit.write_training_text)["return"] is FieldChange
    assert field_edit.check_text("title_fr", "  ")[1] is FieldRefusal.EMPTY
    assert field_edit.check_text("place_fr", "x" * 201)[1] is FieldRefusal.TOO_LONG
    # Every reason check_link gives is a member (FieldRefusal(reason) would raise otherwise).
    tree = ast.parse((ROOT / "bot/services/links.py").read_text(encoding="utf-8"))
    reasons = {v.elts[1].value for f in _public_functions(tree) if f.name == "check_link"
               for v in (n.value for n in ast.walk(f) if isinstance(n, ast.Return))
               if isinstance(v, ast.Tuple) and isinstance(v.elts[1], ast.Constant) and v.elts[1].value}
    assert reasons and reasons <= {r.value for r in FieldRefusal}
    session = type("S", (), {"starts_at": datetime(2030, 1, 1)})()
    now = datetime(2029, 1, 1)
    checked = field_edit.check_session_value
    assert checked("online_url", "http://meet.example.org", session, now, set())[1] \
        is FieldRefusal.LINK_SCHEME
    assert checked("registration_deadline", datetime(2031, 1, 1), session, now, set())[1] \
        is FieldRefusal.BAD_DEADLINE
    assert checked("language", "en", session, now, set())[1] is FieldRefusal.BAD_CHOICE
    assert links.check_link("https://meet.example.org")[1] is None


async def test_field_edits_refused_say_why_with_members(app):
    from bot.services.outcomes import FieldChange, FieldRefusal, SessionChange
    from tests.conftest import db_row

    s = app.bot_data
    gone = await s.sessions.edit(None, 999_999, "place_fr", "Rabat")
    assert gone.outcome is SessionChange.REFUSED and gone.refusal is FieldRefusal.NOT_FOUND
    sid = (await db_row(app, "SELECT id FROM sessions WHERE reference = 'TRF-102-01'"))[0]
    bad = await s.sessions.edit(None, sid, "language", "en")
    assert bad.outcome is SessionChange.REFUSED and bad.refusal is FieldRefusal.BAD_CHOICE
    assert await s.sessions.edit_training_text(None, 999_999, "title_fr", "Titre") is FieldChange.REFUSED
    tid = (await db_row(app, "SELECT training_id FROM sessions WHERE id = ?", sid))[0]
    title = (await db_row(app, "SELECT title_fr FROM trainings WHERE id = ?", tid))[0]
    assert await s.sessions.edit_training_text(None, tid, "title_fr", title) is FieldChange.UNCHANGED
    assert await s.sessions.edit_training_text(None, tid, "title_fr", "Un titre neuf") is FieldChange.CHANGED
    assert (await db_row(app, "SELECT title_fr FROM trainings WHERE id = ?", tid))[0] == "Un titre neuf"
