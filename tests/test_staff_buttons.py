"""The staff's buttons (attendance, a trainer's sessions, broadcasts) and the personal ones
(attestations, erasure, profile) in the one button grammar (handlers/buttons.py): a press
without the role gets the one refusal of that role, forged or stale data the one "no longer
valid" answer, as an alert, in French and in Arabic; nothing is started or changed."""

from __future__ import annotations

import pytest

from bot.services.access import Role
from handlers.access import refusal
from handlers.attendance import AllPresent, CheckInCode, Mark, Roster
from handlers.broadcast import Everyone, NoEvaluation, Pick, To
from handlers.trainer import MessageGroup, MySessions, SessionView
from tests.conftest import db_row, grant, make_session, onboard


async def _session_of(app, clock, trainer_id: int) -> tuple[int, int]:
    """A session run by `trainer_id`, starting now, with one participant; (session, registration)."""
    sid = await make_session(app, f"T-SB-{trainer_id}", starts_in_hours=2)
    await app.bot_data.db.write(lambda c: c.execute("UPDATE sessions SET trainer_id = ? WHERE id = ?",
                                                    (trainer_id, sid)))
    await onboard(app, trainer_id + 1, "fr", full_name="Amina El Idrissi", sex="F")
    joined = await app.bot_data.registrations.join(trainer_id + 1, sid)
    clock.advance(hours=2)  # attendance is open
    return sid, joined.registration.id


async def _press(client, data: str) -> dict:
    await client.click_data(data)
    return client.last_answer


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_without_the_role_the_one_refusal_of_that_role(app, person, clock, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid, reg = await _session_of(app, clock, 8100)
    await onboard(app, 8110, lang)
    official = person(8110, lang)
    await official.start()
    await official.send("/mysessions")
    assert official.last_message.text == refusal(t, Role.TRAINER)
    for press in (MySessions(), SessionView(sid), MessageGroup("confirmed", sid), Roster(sid, 0),
                  Mark(reg, 0, True), AllPresent(sid, 0), CheckInCode(sid)):
        answer = await _press(official, press.pack())
        assert (answer["text"], answer.get("show_alert")) == (refusal(t, Role.TRAINER), True), press
    await official.send("/broadcast")
    assert official.last_message.text == refusal(t, Role.COORDINATOR)
    for press in (Everyone(), NoEvaluation(), Pick("region", 0), To("region", "RSK"),
                  To("session", str(sid))):
        answer = await _press(official, press.pack())
        assert (answer["text"], answer.get("show_alert")) == (refusal(t, Role.COORDINATOR), True), press
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 8110") is None
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg))[0] == "confirmed"


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_forged_and_stale_buttons_are_no_longer_valid(app, person, clock, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid, reg = await _session_of(app, clock, 8200)
    await onboard(app, 8210, lang)
    await grant(app, 8210, "trainer")
    await grant(app, 8210, "coordinator")  # every role: only the data is wrong
    staff = person(8210, lang)
    await staff.start()
    forged = [f"v1:tr:s:{sid}²", f"v1:tr:msg:everyone:{sid}", "v1:tr:msg:confirmed", "v1:tr:list:1",
              f"v1:att:t:{reg}:0:a", f"v1:att:t:{reg}:٠:1", f"v1:att:r:{sid}", "v1:att:qr:①",
              "v1:bc:pick:planet:0", "v1:bc:pick:region:x", "v1:bc:to:session:abc", "v1:bc:to:training:-1",
              "v1:bc:to:planet:MEF", "v1:bc:all:1", "v1:cert:get:①", "v1:cert:get",
              "v1:priv:yes:abc", "v1:priv:yes", "v1:priv:no:1", "v1:pf:edit:password", "v1:pf:edit",
              "v1:an:send:1"]
    # The previous release's data of these buttons: answered the same, never acted upon.
    stale = [f"v1:tr:confirmed:{sid}", f"v1:cert:{reg}", "v1:priv:del:go", "v1:priv:del:yes:1",
             "v1:bc:to:region:RSK:0"]
    for data in forged + stale:
        answer = await _press(staff, data)
        assert (answer["text"], answer.get("show_alert")) == (t._("This button is no longer valid."),
                                                              True), data
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 8210") is None
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg))[0] == "confirmed"
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 8210") is not None


async def test_the_national_team_may_do_what_a_trainer_does(app, person, clock, ar):
    """/mysessions is in a national coordinator's menu, and they oversee every session's attendance."""
    sid, reg = await _session_of(app, clock, 8300)
    await onboard(app, 8310, "ar")
    await grant(app, 8310, "coordinator")
    national = person(8310, "ar")
    await national.start()
    await national.send("/mysessions")
    assert national.last_message.text == ar._("You have no session as a trainer at the moment.")
    await national.click_data(Mark(reg, 0, True).pack())
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg))[0] == "attended"
