"""Outbox messages are worded beside their feature's screens: handlers/notices.py only finds the
renderer of a row's kind, which each feature added from its register(app)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from handlers import notices

ROOT = Path(__file__).resolve().parent.parent
KINDS = {
    "new_session", "reminder", "confirmed", "cancelled", "offer", "offer_lapsed", "request_expired",
    "session_changed", "session_cancelled",  # handlers/registration_notices.py
    "approval_request", "refused", "approved_waitlisted",  # handlers/approval_notices.py
    "announcement", "broadcast_report",  # handlers/broadcast_notices.py
    "outage",  # handlers/status.py
    "trainer_assigned", "trainer_unassigned", "trainer_session_changed",
    "trainer_session_cancelled",  # handlers/session_notices.py
    "eval_invite", "eval_reminder",  # handlers/evaluation_notices.py
    "plan_decision",  # handlers/plan_notices.py
    "prc_commentary_ask", "prc_commentary_reminder", "prc_report",  # handlers/semester_report_notices.py
    "part_event", "part_reminder", "part_split",  # handlers/part_notices.py
    "elearning_nudge",  # handlers/elearning.py
    "coaching_follow_up",  # handlers/coaching.py
    "test_pre",  # handlers/test_notices.py
    "needs_survey",  # handlers/needs_notices.py
    "profile_again",  # handlers/digital_profile_notices.py
    "cohort_promoted", "cohort_cancelled", "cohort_broken",  # handlers/path_notices.py
}


async def test_every_kind_the_bot_queues_is_worded_by_its_feature(app):
    assert notices.kinds() == KINDS
    for kind in KINDS:
        renderer = notices._RENDERERS[kind]
        assert renderer.__module__ != "handlers.notices", kind


async def test_a_kind_worded_twice_is_refused(app):
    async def other(services, row, t):
        return None

    notices.add({"confirmed": notices._RENDERERS["confirmed"]})  # the same again: nothing changes
    with pytest.raises(ValueError, match="confirmed"):
        notices.add({"confirmed": other})
    assert notices._RENDERERS["confirmed"] is not other


def test_notices_keeps_only_the_dispatch():
    """No feature's module is imported by the dispatch (features import it, to add theirs)."""
    tree = ast.parse((ROOT / "handlers" / "notices.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and (m.startswith("handlers") or m.startswith("bot.storage."))
                and m != "bot.storage.outbox"}
