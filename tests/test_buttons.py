"""Typed callback data (handlers/buttons.py): one codec per action, one handler per action, and
the same polite answers for forged, stale and foreign buttons everywhere."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from handlers.approvals import ApprovalsPage, Approve
from handlers.buttons import Callback, registered
from tests.conftest import db_row
from tests.test_approvals import setup_request


@dataclass(frozen=True)
class Sample(Callback, feature="tst", action="pick"):
    session: int
    code: str
    yes: bool


def test_pack_and_unpack_are_inverse():
    value = Sample(42, "MEF", True)
    assert value.pack() == "v1:tst:pick:42:MEF:1"
    assert Sample.unpack(value.pack()) == value
    assert Sample.pattern().match("v1:tst:pick:1:A:0") and not Sample.pattern().match("v1:tst:picked:1")


@pytest.mark.parametrize("data", [
    None, "", "v1:tst:pick", "v1:tst:pick:1:A", "v1:tst:pick:1:A:1:extra", "v2:tst:pick:1:A:1",
    "v1:tst:pick:²:A:1", "v1:tst:pick:①:A:1", "v1:tst:pick:٥:A:1", "v1:tst:pick:-1:A:1",
    "v1:tst:pick:1:A B:1", "v1:tst:pick:1:A:2", "v1:tst:other:1:A:1", "v1:xyz:pick:1:A:1",
])
def test_what_is_not_one_of_ours_as_it_is_now_does_not_unpack(data):
    assert Sample.unpack(data) is None


def test_telegrams_64_bytes_are_checked_once_here():
    with pytest.raises(ValueError, match="too long"):
        Sample(10**30, "X" * 40, False).pack()  # 86 bytes
    with pytest.raises(ValueError, match="cannot go"):
        Sample(1, "a:b", False).pack()


def test_one_registry_refuses_a_feature_action_declared_twice():
    assert registered()[("apr", "ok")] is Approve
    with pytest.raises(ValueError, match="declared twice"):
        @dataclass(frozen=True)
        class Again(Callback, feature="apr", action="ok"):
            registration: int


async def test_forged_and_foreign_buttons_get_the_same_polite_answers(app, person, fr, ar):
    sid, official, focal = await setup_request(app, person, fr, focal_lang="ar")
    request = official.last_message
    # An official pressing a focal point's button (forged): refused for the role, nothing decided.
    reg = (await db_row(app, "SELECT id FROM registrations WHERE session_id = ?", sid))[0]
    await official.click_data(Approve(reg).pack(), request)
    assert official.last_answer["text"] == fr._("This command is reserved for coordinators and focal points.")
    # Malformed data of a real feature: the one "no longer valid" answer.
    for data in ("v1:apr:ok:²", "v1:apr:ok", "v1:apr:ok:1:2", "v1:aprs:p:x"):
        await focal.click_data(data, focal.last_message)
        assert focal.last_answer["text"] == ar._("This button is no longer valid."), data
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg))[0] == "requested"
    await focal.click_data(ApprovalsPage(0).pack(), focal.last_message)
    heading = ar.ngettext("<b>{n} request waiting for a decision</b>",
                          "<b>{n} requests waiting for a decision</b>", 1)
    assert heading.replace("<b>", "").replace("</b>", "") in focal.last_message.text
