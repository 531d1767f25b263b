"""Approval by focal points, and interest lists, in French and Arabic."""

from __future__ import annotations

from bot.storage import outbox
from tests.conftest import ADMIN_ID, db_row, drain, grant, make_session, onboard
from tests.test_onboarding import is_arabic_first


async def setup_request(app, person, fr, *, capacity=5, user_id=7001, focal_id=7100,
                        focal_lang="fr", admin="MEF"):
    sid = await make_session(app, f"T-APR-{user_id}", capacity=capacity, needs_approval=True)
    await onboard(app, focal_id, focal_lang, full_name="Samira Focal", administration_code=admin)
    await grant(app, focal_id, "focal_point", admin)
    focal = person(focal_id, focal_lang)
    await focal.start()
    await onboard(app, user_id, "fr", administration_code=admin)
    official = person(user_id, "fr")
    await official.start(f"s_{sid}")
    await official.click(fr._("📝 Ask for a place"))
    return sid, official, focal


async def test_request_goes_to_the_focal_point_who_approves(app, person, fr, ar):
    sid, official, focal = await setup_request(app, person, fr, focal_lang="ar")
    assert official.last_answer["text"] == fr._(
        "📝 Request sent to your focal point. You will be told of the decision.")
    waiting = fr._("📝 Your request is waiting for the approval of your focal point.")
    assert waiting in official.last_message.text
    await drain(app)
    request = focal.last_message
    assert is_arabic_first(request.text) and "Amina El Idrissi" in request.text
    await focal.click(ar._("✅ Approve"))
    assert focal.last_message.text == ar._("✅ Approved: the person is registered and has been told.")
    await drain(app)
    assert official.last_message.document is not None
    assert (await db_row(app, "SELECT status, decided_by FROM registrations WHERE session_id = ?",
                         sid))[:] == ("confirmed", 7100)


async def test_refusal_with_a_reason(app, person, fr):
    sid, official, focal = await setup_request(app, person, fr, user_id=7002, focal_id=7101)
    await drain(app)
    await focal.click(fr._("❌ Refuse"))
    assert fr._("Why do you refuse? Type a short reason for the person, or skip.") in focal.last_message.text
    await focal.send("x" * 400)
    assert "300" in focal.last_message.text
    await focal.send("Budget de formation épuisé <b>")
    await drain(app)
    told = official.last_message.text
    assert fr._("Your request was not approved:") in told
    assert "Budget de formation épuisé <b>" in told  # escaped, shown as typed
    row = await db_row(app, "SELECT status, reason FROM registrations WHERE session_id = ?", sid)
    assert tuple(row) == ("rejected", "Budget de formation épuisé <b>")


async def test_refusal_skipping_the_reason(app, person, fr):
    sid, official, focal = await setup_request(app, person, fr, user_id=7003, focal_id=7102)
    await drain(app)
    await focal.click(fr._("❌ Refuse"))
    await focal.click(fr._("Skip"))
    assert (await db_row(app, "SELECT status FROM registrations WHERE session_id = ?", sid))[0] == "rejected"
    await drain(app)
    assert fr._("Reason: {reason}", reason="").split(":")[0] not in official.last_message.text


async def test_focal_point_of_another_administration_cannot_decide(app, person, fr):
    sid, official, focal = await setup_request(app, person, fr, user_id=7004, focal_id=7103)
    await drain(app)
    reg_id = (await db_row(app, "SELECT id FROM registrations WHERE session_id = ?", sid))[0]
    await onboard(app, 7104, "fr", administration_code="MJ")
    await grant(app, 7104, "focal_point", "MJ")
    other = person(7104, "fr")
    await other.start()
    await other.click_data(f"v1:apr:ok:{reg_id}", other.last_message)
    assert "autre administration" in other.last_answer["text"]
    await other.click_data(f"v1:apr:no:{reg_id}", other.last_message)
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg_id))[0] == "requested"
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 7104") is None
    # An official pressing a forged approval button gets nothing either.
    await official.click_data(f"v1:apr:ok:{reg_id}", official.last_message)
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg_id))[0] == "requested"


async def test_approval_never_exceeds_capacity(app, person, fr):
    sid, first, focal = await setup_request(app, person, fr, capacity=1, user_id=7005, focal_id=7105)
    await onboard(app, 7006, "fr", administration_code="MEF")
    second = person(7006, "fr")
    await second.start(f"s_{sid}")
    await second.click(fr._("📝 Ask for a place"))
    regs = [r[0] for r in await app.bot_data.db.read(lambda c: c.execute(
        "SELECT id FROM registrations WHERE session_id = ? ORDER BY id", (sid,)).fetchall())]
    for reg_id in regs:
        await focal.click_data(f"v1:apr:ok:{reg_id}", focal.last_message)
    statuses = [r[0] for r in await app.bot_data.db.read(lambda c: c.execute(
        "SELECT status FROM registrations WHERE session_id = ? ORDER BY id", (sid,)).fetchall())]
    assert statuses == ["confirmed", "waitlisted"]
    await drain(app)
    assert "liste d'attente" in second.last_message.text


async def test_unanswered_request_expires_before_the_session(app, person, fr, clock):
    sid, official, focal = await setup_request(app, person, fr, user_id=7007, focal_id=7106)
    clock.advance(days=9, hours=1)  # the session is 10 days away; requests expire 24 h before
    assert await app.bot_data.registrations.expire_due() == 1
    await drain(app)
    assert fr._("⌛ Your request was not answered in time and has expired:") in official.last_message.text
    reg_id = (await db_row(app, "SELECT id FROM registrations WHERE session_id = ?", sid))[0]
    await focal.click_data(f"v1:apr:ok:{reg_id}", focal.last_message)
    assert (await db_row(app, "SELECT status FROM registrations WHERE session_id = ?", sid))[0] == "lapsed"


async def test_without_a_focal_point_the_admins_are_asked(app, person, fr, server):
    sid = await make_session(app, "T-APR-ADMIN", needs_approval=True)
    await onboard(app, ADMIN_ID, "fr")
    await onboard(app, 7008, "fr", administration_code="HCP")
    c = person(7008, "fr")
    await c.start(f"s_{sid}")
    await c.click(fr._("📝 Ask for a place"))
    await drain(app)
    assert any(fr._("✅ Approve") in b for m in server.messages(ADMIN_ID) if m.from_bot
               for row in (m.reply_markup or {}).get("inline_keyboard", []) for b in [x["text"] for x in row])


async def test_approvals_queue_for_focal_points(app, person, fr):
    sid, official, focal = await setup_request(app, person, fr, user_id=7009, focal_id=7107)
    shown = await focal.send("/approvals")
    assert "Amina El Idrissi" in shown[-1].text
    await focal.click(fr._("✅ Approve {number}", number="1"))
    assert (await db_row(app, "SELECT status FROM registrations WHERE session_id = ?", sid))[0] == "confirmed"
    shown = await focal.send("/approvals")
    assert shown[-1].text == fr._("No approval request is waiting.")


async def test_interest_list_hears_first_about_a_new_session(app, person, fr, ar):
    training = (await db_row(app, "SELECT id FROM trainings WHERE code = 'IA-102'"))[0]
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE sessions SET status = 'cancelled' WHERE training_id = ?", (training,)))
    await onboard(app, 7200, "fr")
    await onboard(app, 7201, "ar", sex="M", administration_code="MJ")
    fans = [person(7200, "fr"), person(7201, "ar")]
    for c, t in zip(fans, (fr, ar), strict=True):
        await c.start()
        await c.click_data(f"v1:cat:t:{training}:..:0", c.last_message)
        await c.click(t._("🔔 Tell me when a new session opens"))
        buttons = [b for row in c.last_message.buttons for b in row]
        assert t._("🔕 Stop telling me about new sessions") in buttons
    sid = await make_session(app, "T-NEW", training="IA-102")
    assert await app.bot_data.registrations.session_published(sid) == 2
    await drain(app)
    assert fr._("🔔 A new session of a training you follow is open:") in fans[0].last_message.text
    assert is_arabic_first(fans[1].last_message.text)
    await fans[0].click(fr._("Open the session"))
    assert fr._("✅ Register") in [b for row in fans[0].last_message.buttons for b in row]
    # The demand, by administration, for the national team; a focal point sees their own.
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    shown = await admin.send("/demand")
    assert "MEF" in shown[-1].text and "MJ" in shown[-1].text
    await grant(app, 7202, "focal_point", "MJ")
    await onboard(app, 7202, "fr", administration_code="MJ")
    shown = await person(7202, "fr").send("/demand")
    assert "MJ" in shown[-1].text and "MEF" not in shown[-1].text
    shown = await fans[0].send("/demand")
    assert shown[-1].text == fr._("This command is reserved for coordinators and focal points.")


async def _focal(app, person, user_id, lang, admin, name):
    await onboard(app, user_id, lang, full_name=name, administration_code=admin)
    await grant(app, user_id, "focal_point", admin)
    c = person(user_id, lang)
    await c.start()
    return c


def approve_buttons(client) -> list:
    return [m for m in client.messages
            if any(d and d.startswith("v1:apr:ok:") for row in m.button_data for d in row)]


async def test_a_focal_point_never_decides_on_their_own_request(app, person, fr, ar):
    """Two focal points of one administration: the one asking neither receives nor lists their
    request, and forged buttons are refused; the other decides, told that it is theirs to."""
    sid = await make_session(app, "T-APR-OWN", needs_approval=True)
    asking = await _focal(app, person, 7300, "fr", "MEF", "Samira Focal")
    other = await _focal(app, person, 7301, "ar", "MEF", "Nadia Autre")
    await asking.start(f"s_{sid}")
    await asking.click(fr._("📝 Ask for a place"))
    reg_id, status = await db_row(app, "SELECT id, status FROM registrations WHERE session_id = ?", sid)
    assert status == "requested"
    await drain(app)
    assert approve_buttons(asking) == []
    request = other.last_message
    assert is_arabic_first(request.text) and "Samira Focal" in request.text
    assert ar._("⚖️ The person asking is an approver of this administration, and nobody decides on "
                "their own request: the decision is yours.") in request.text
    assert await db_row(app, "SELECT 1 FROM outbox WHERE user_id = 7300"
                             " AND kind = 'approval_request'") is None
    # A request queued to its own author before this rule is never shown to them.
    await app.bot_data.db.write(outbox.enqueue, 7300, "approval_request", {"registration": reg_id},
                                f"approval_request:{reg_id}:old:7300", app.bot_data.clock.now())
    await drain(app)
    assert approve_buttons(asking) == []

    shown = await asking.send("/approvals")
    assert shown[-1].text == fr._("No approval request is waiting.")
    own = fr._("You cannot decide on your own request: another focal point of your administration "
               "or the national team decides.")
    for action in ("ok", "no", "skip"):
        await asking.click_data(f"v1:apr:{action}:{reg_id}", asking.last_message)
        assert asking.last_answer["text"] == own, action
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 7300") is None
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg_id))[0] == "requested"

    shown = await other.send("/approvals")
    assert "Samira Focal" in shown[-1].text
    await other.click(ar._("✅ Approve"), request)
    assert other.last_answer["text"] == ar._("✅ Approved: the person is registered and has been told.")
    assert tuple(await db_row(app, "SELECT status, decided_by FROM registrations WHERE id = ?",
                              reg_id)) == ("confirmed", 7301)


async def test_the_only_focal_point_is_decided_on_by_the_national_team(app, person, fr, ar, server):
    """Nobody else can decide for that administration: a national coordinator is asked (the admins
    only when there is none); the focal point, in Arabic, is refused their own buttons."""
    sid = await make_session(app, "T-APR-ALONE", needs_approval=True)
    asking = await _focal(app, person, 7310, "ar", "MJ", "يوسف بنعلي")
    await onboard(app, 7311, "fr", full_name="Hassan National")
    await grant(app, 7311, "coordinator")
    national = person(7311, "fr")
    await national.start()
    await onboard(app, ADMIN_ID, "fr")
    await asking.start(f"s_{sid}")
    await asking.click(ar._("📝 Ask for a place"))
    await drain(app)
    assert approve_buttons(asking) == []
    assert not any("v1:apr:ok:" in d for m in server.messages(ADMIN_ID) if m.from_bot
                   for row in (m.reply_markup or {}).get("inline_keyboard", [])
                   for d in [b.get("callback_data", "") for b in row])
    request = national.last_message
    assert fr._("⚖️ The person asking is an approver of this administration, and nobody decides on "
                "their own request: the decision is yours.") in request.text
    reg_id = (await db_row(app, "SELECT id FROM registrations WHERE session_id = ?", sid))[0]
    await asking.click_data(f"v1:apr:ok:{reg_id}", asking.last_message)
    assert asking.last_answer["text"] == ar._(
        "You cannot decide on your own request: another focal point of your administration or the "
        "national team decides.")
    shown = await asking.send("/approvals")
    assert shown[-1].text == ar._("No approval request is waiting.")
    await national.click(fr._("❌ Refuse"), request)
    await national.click(fr._("Skip"))
    assert tuple(await db_row(app, "SELECT status, decided_by FROM registrations WHERE id = ?",
                              reg_id)) == ("rejected", 7311)
    await drain(app)
    assert ar._("Your request was not approved:") in asking.last_message.text

    # Without a national coordinator, the admins are asked.
    await app.bot_data.db.write(lambda c: c.execute("DELETE FROM roles WHERE user_id = 7311"))
    second = await make_session(app, "T-APR-ALONE-2", needs_approval=True)
    await asking.start(f"s_{second}")
    await asking.click(ar._("📝 Ask for a place"))
    await drain(app)
    assert approve_buttons(asking) == []
    assert await db_row(app, "SELECT 1 FROM outbox WHERE user_id = ? AND kind = 'approval_request'",
                        ADMIN_ID) is not None


async def test_a_focal_point_of_two_administrations_lists_both(app, person, ar):
    """Who may decide is who sees: a focal point of two administrations has both in /approvals."""
    sid = await make_session(app, "T-APR-TWO", needs_approval=True)
    focal = await _focal(app, person, 7320, "ar", "MEF", "نادية الإدريسي")
    await grant(app, 7320, "focal_point", "MJ")
    for uid, admin, name in ((7321, "MEF", "Amina Premiere"), (7322, "MJ", "Karim Second")):
        await onboard(app, uid, "fr", administration_code=admin, full_name=name)
        assert (await app.bot_data.registrations.join(uid, sid)).outcome == "requested"
    shown = await focal.send("/approvals")
    assert ar.ngettext("<b>{n} request waiting for a decision</b>",
                       "<b>{n} requests waiting for a decision</b>", 2).replace("<b>", "").replace(
        "</b>", "") in shown[-1].text
    assert "Amina Premiere" in shown[-1].text and "Karim Second" in shown[-1].text
    await focal.click(ar._("✅ Approve {number}", number=ar.number(2)))
    assert (await db_row(app, "SELECT status FROM registrations WHERE user_id = 7322"))[0] == "confirmed"
