"""Revoking a role is confirmed, warns about the sessions still trained, can hand them over,
and never locks the last national coordinator out; pending invitations can be managed."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN_ID, db_row, grant, make_session, onboard
from tests.test_roles import invite_link


async def open_revoke(admin, t, name: str):
    """/roles, then the Revoke button on the line of this person."""
    await admin.send("/roles")
    line = next(line for line in admin.last_message.text.splitlines() if name in line)
    number = line.split(".")[0]
    return await admin.click(t._("Revoke {number}", number=number))


async def trainers_with_sessions(app, person, lang):
    await onboard(app, ADMIN_ID, lang, full_name="Amal Admin")
    await onboard(app, 9601, "fr", full_name="Karim Formateur")
    await onboard(app, 9602, "fr", full_name="Laila Relais")
    await grant(app, 9601, "trainer")
    await grant(app, 9602, "trainer")
    for uid in (9601, 9602):  # they have a chat with the bot (their command menus are updated)
        await person(uid, "fr").send("/help")
    ids = [await make_session(app, ref, starts_in_hours=h) for ref, h in
           (("REV-1", 48), ("REV-2", 96), ("REV-OLD", -72))]
    await app.bot_data.db.write(lambda c: c.execute(
        f"UPDATE sessions SET trainer_id = 9601 WHERE id IN ({','.join(map(str, ids))})"))
    return ids


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_revoking_a_trainer_warns_and_hands_the_sessions_over(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    upcoming1, upcoming2, past = await trainers_with_sessions(app, person, lang)
    admin = person(ADMIN_ID, lang)
    await open_revoke(admin, t, "Karim Formateur")
    text = admin.last_message.text
    warning = t.ngettext("⚠️ They are still the trainer of {n} upcoming session:",
                         "⚠️ They are still the trainer of {n} upcoming sessions:", 2)
    assert warning.format(n=t.number(2)) in text
    assert "REV-1" in text and "REV-2" in text and "REV-OLD" not in text
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9601") is not None  # not yet
    await admin.click(t._("🔁 Give their sessions to another trainer"))
    offered = " ".join(b for row in admin.last_message.buttons for b in row)
    assert "Laila Relais" in offered and "Karim" not in offered
    await admin.click("Laila Relais")
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9601") is None
    trainers = dict(await app.bot_data.db.read(
        lambda c: c.execute("SELECT id, trainer_id FROM sessions WHERE reference LIKE 'REV-%'").fetchall()))
    assert trainers == {upcoming1: 9602, upcoming2: 9602, past: 9601}  # the past stays as it was
    told = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT COUNT(*) FROM outbox WHERE user_id = 9602 AND kind = 'trainer_assigned'").fetchone())
    assert told[0] == 2
    assert "Karim Formateur" not in admin.last_message.text  # back on /roles, without him


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_revoke_anyway_leaves_the_sessions_without_trainer(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    upcoming1, upcoming2, past = await trainers_with_sessions(app, person, lang)
    admin = person(ADMIN_ID, lang)
    await open_revoke(admin, t, "Karim Formateur")
    await admin.click(t._("Revoke anyway (sessions left without trainer)"))
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9601") is None
    trainers = dict(await app.bot_data.db.read(
        lambda c: c.execute("SELECT id, trainer_id FROM sessions WHERE reference LIKE 'REV-%'").fetchall()))
    assert trainers == {upcoming1: None, upcoming2: None, past: 9601}


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_last_national_coordinator_cannot_revoke_themselves(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    await onboard(app, 9610, lang, full_name="Omar Coordinateur")
    await grant(app, 9610, "coordinator")
    c = person(9610, lang)
    await open_revoke(c, t, "Omar Coordinateur")
    refused = t._("You cannot revoke your own role: you are the last national coordinator. "
                  "Invite another one first (/invite).")
    assert c.last_message.text == refused
    assert t._("✅ Yes, revoke") not in [b for row in c.last_message.buttons for b in row]
    # A forged or stale "yes" button is refused by the service too.
    await c.click_data("v1:rl:ry:9610:coordinator:-", c.last_message)
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9610") is not None
    # With a second national coordinator, Omar may step down (after confirming).
    await onboard(app, 9611, "fr", full_name="Hind Coordinatrice")
    await grant(app, 9611, "coordinator")
    await open_revoke(c, t, "Omar Coordinateur")
    await c.click(t._("✅ Yes, revoke"))
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9610") is None
    await c.send("/roles")
    assert c.last_message.text == t._("This command is reserved for administrators and national "
                                      "coordinators.")


async def test_an_administrator_may_revoke_the_last_national_coordinator(app, person, fr):
    await onboard(app, ADMIN_ID, "fr")
    await onboard(app, 9612, "fr", full_name="Omar Coordinateur")
    await grant(app, 9612, "coordinator")
    await person(9612, "fr").send("/help")
    admin = person(ADMIN_ID, "fr")
    await open_revoke(admin, fr, "Omar Coordinateur")
    await admin.click(fr._("✅ Yes, revoke"))
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 9612") is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_pending_invitations_are_listed_withdrawn_and_sent_again(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    await onboard(app, ADMIN_ID, lang, full_name="Amal Admin")
    admin = person(ADMIN_ID, lang)
    first = await invite_link(admin, t, t._("A trainer"))
    hcp = "Haut-Commissariat au Plan" if lang == "fr" else "المندوبية السامية للتخطيط"
    second = await invite_link(admin, t, t._("A focal point (one administration)"), hcp)
    await admin.send("/invite")
    await admin.click(t._("📨 Invitations waiting"))
    text = admin.last_message.text
    assert t.ngettext("<b>{n} invitation waiting</b>", "<b>{n} invitations waiting</b>", 2).format(
        n=t.number(2)).replace("<b>", "").replace("</b>", "") in text
    assert t._("trainer") in text and "HCP" in text and "Amal Admin" in text
    # Newest first: 1 is the focal point's, 2 the trainer's.
    await admin.click(t._("Withdraw {number}", number=t.number(2)))
    assert (await db_row(app, "SELECT revoked_at FROM invites WHERE token = ?", first[2:]))[0] is not None
    assert "HCP" in admin.last_message.text and t._("trainer") + " " not in admin.last_message.text
    await admin.click(t._("New link {number}", number=t.number(1)))
    link = next(w for w in admin.last_message.text.split() if "start=i_" in w).strip("\u2068\u2069")
    renewed = link.split("start=")[1]
    assert renewed != second and t._("The previous link no longer works.") in admin.last_message.text
    await onboard(app, 9620, "fr")
    newcomer = person(9620, "fr")
    shown = await newcomer.start(second)
    assert shown[-1].text == fr._("This invitation was withdrawn.")
    await newcomer.start(renewed)
    assert tuple(await db_row(app, "SELECT role, administration_code FROM roles WHERE user_id = 9620")) == (
        "focal_point", "HCP")
    await admin.send("/roles")
    await admin.click(t._("📨 Invitations waiting"))
    assert admin.last_message.text == t._("No invitation is waiting to be accepted.")
