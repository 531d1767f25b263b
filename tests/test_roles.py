"""Invitations to a role, per-role menus, revoking, and the audit log."""

from __future__ import annotations

from tests.conftest import ADMIN_ID, db_row, grant, onboard


async def invite_link(admin, fr, *choices) -> str:
    await admin.send("/invite")
    for label in choices:
        await admin.click(label)
    text = admin.last_message.text
    link = next(word for word in text.split() if "start=i_" in word).strip("\u2068\u2069")
    return link.split("start=")[1]


async def test_admin_invites_a_trainer_who_onboards_then_gets_the_role(app, person, fr, ar, server):
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    payload = await invite_link(admin, fr, fr._("A trainer"))
    newcomer = person(9700, "ar")
    await newcomer.start(payload)
    await newcomer.click("✓ العربية")
    await newcomer.click(ar._("✅ I agree"))
    await newcomer.send("سعاد الفاسي")
    await newcomer.click(ar.pgettext("sex", "Woman"))
    await newcomer.send("العدل")
    await newcomer.click("وزارة العدل")
    await newcomer.click(ar.pgettext("level", "Central administration"))
    await newcomer.click("إطار")
    shown = await newcomer.click(ar._("✅ Confirm"))
    assert any(ar._("trainer") in m.text for m in shown)
    row = await db_row(app, "SELECT role FROM roles WHERE user_id = 9700")
    assert row[0] == "trainer"
    menu = server.commands.get(("chat:9700", "ar"))
    assert menu and any(c["command"] == "mysessions" for c in menu)


async def test_focal_point_invite_is_scoped_and_single_use(app, person, fr, clock):
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    payload = await invite_link(admin, fr, fr._("A focal point (one administration)"),
                                "Haut-Commissariat au Plan")
    await onboard(app, 9701, "fr")
    first = person(9701, "fr")
    shown = await first.start(payload)
    assert "HCP" in shown[-1].text
    assert tuple(await db_row(app, "SELECT role, administration_code FROM roles WHERE user_id = 9701")) == (
        "focal_point", "HCP")
    shown = await first.start(payload)
    assert shown[-1].text == fr._("You already accepted this invitation.")
    await onboard(app, 9702, "fr")
    second = person(9702, "fr")
    shown = await second.start(payload)
    assert shown[-1].text == fr._("This invitation has already been used. Ask for a new one.")
    assert await db_row(app, "SELECT * FROM roles WHERE user_id = 9702") is None
    # Expired and forged links.
    payload = await invite_link(admin, fr, fr._("A national coordinator"))
    clock.advance(days=8)
    shown = await second.start(payload)
    assert shown[-1].text == fr._("This invitation has expired. Ask for a new one.")
    shown = await second.start("i_AAAAAAAAAAAAAAAA")
    assert "lien n'est pas valide" in shown[-1].text


async def test_an_invitation_stays_used_after_its_holder_erases_themselves(app, person, fr, ar):
    """Erasure forgets who used an invitation, not that it was used: a second account opening
    the same link later gets the polite "already used" answer and no role."""
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    payload = await invite_link(admin, fr, fr._("A national coordinator"))
    await onboard(app, 9710, "fr")
    holder = person(9710, "fr")
    shown = await holder.start(payload)
    assert fr._("national coordinator") in shown[-1].text
    await holder.send("/deleteme")
    await holder.click(fr._("Continue"))
    await holder.click(fr._("🗑 Yes, erase my data"))
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 9710") is None
    used = await db_row(app, "SELECT used_by, used_at FROM invites WHERE token = ?", payload[2:])
    assert used["used_by"] is None and used["used_at"] is not None  # who is gone, the use stays

    for uid, t in ((9711, ar), (9712, fr)):
        await onboard(app, uid, t.lang)
        second = person(uid, t.lang)
        shown = await second.start(payload)
        assert shown[-1].text == t._("This invitation has already been used. Ask for a new one.")
        assert await db_row(app, "SELECT * FROM roles WHERE user_id = ?", uid) is None
        await second.send("/invite")
        assert second.last_message.text == t._("This command is reserved for administrators and "
                                               "national coordinators.")
    # Nor can it be withdrawn as if it were still open.
    assert not await app.bot_data.roles.revoke_invite(ADMIN_ID, payload[2:])
    assert (await db_row(app, "SELECT revoked_at FROM invites WHERE token = ?", payload[2:]))[0] is None


async def test_revoked_invite_and_revoked_role(app, person, fr):
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    payload = await invite_link(admin, fr, fr._("A trainer"))
    assert await app.bot_data.roles.revoke_invite(ADMIN_ID, payload[2:])
    await onboard(app, 9703, "fr")
    c = person(9703, "fr")
    shown = await c.start(payload)
    assert shown[-1].text == fr._("This invitation was withdrawn.")
    await grant(app, 9704, "focal_point", "MJ")
    await onboard(app, 9704, "fr", administration_code="MJ", full_name="Nadia Focal")
    focal = person(9704, "fr")
    await focal.send("/approvals")
    assert focal.last_message.text == fr._("No approval request is waiting.")
    await admin.send("/roles")
    assert "Nadia Focal" in admin.last_message.text
    await admin.click(fr._("Revoke {number}", number="1"))
    assert await db_row(app, "SELECT * FROM roles WHERE user_id = 9704") is not None  # asked first
    await admin.click(fr._("✅ Yes, revoke"))
    assert await db_row(app, "SELECT * FROM roles WHERE user_id = 9704") is None
    await focal.send("/approvals")  # checked on every update: the power is gone at once
    assert focal.last_message.text == fr._("This command is reserved for coordinators and focal points.")


async def test_officials_cannot_invite_or_see_roles_or_audit(app, person, fr):
    await onboard(app, 9705, "fr")
    c = person(9705, "fr")
    for command in ("/invite", "/roles"):
        shown = await c.send(command)
        assert shown[-1].text == fr._("This command is reserved for administrators and national "
                                      "coordinators.")
    shown = await c.send("/audit")
    assert shown[-1].text == fr._("This command is reserved for the bot's administrators.")
    await c.click_data("v1:rl:new:coordinator", c.last_message)
    assert (await db_row(app, "SELECT COUNT(*) FROM invites"))[0] == 0


async def test_the_audit_log_records_privileged_actions(app, person, fr):
    await onboard(app, ADMIN_ID, "fr")
    admin = person(ADMIN_ID, "fr")
    payload = await invite_link(admin, fr, fr._("A trainer"))
    await onboard(app, 9706, "fr")
    await person(9706, "fr").start(payload)
    actions = [r[0] for r in await app.bot_data.db.read(
        lambda c: c.execute("SELECT action FROM audit ORDER BY id").fetchall())]
    assert actions == ["invite_created", "invite_redeemed"]
    shown = await admin.send("/audit")
    assert fr._("invitation created") in shown[-1].text and fr._("invitation accepted") in shown[-1].text
    assert "invite_created" not in shown[-1].text
