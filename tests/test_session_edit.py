"""Every field of a session changed from Manage this session: participants hear of a new place
or link (old → new), not of a new deadline; officials can neither see nor use the buttons."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.services.access import Role
from bot.services.links import link_reason
from bot.timeutil import to_db
from conversations.field_texts import field_name
from handlers.access import refusal
from tests.conftest import db_row, drain, grant, make_session, onboard


async def _registered(app, server, session_id: int, people: dict[int, str]) -> None:
    for uid, lang in people.items():
        await onboard(app, uid, lang)
        server.add_user(uid, started=True)
        await app.bot_data.registrations.join(uid, session_id)


async def _managing(app, person, user_id: int, session_id: int, lang: str, t):
    await onboard(app, user_id, lang)
    await grant(app, user_id, "coordinator")
    c = person(user_id, lang)
    await c.start(f"s_{session_id}")
    await c.click(t._("🛠 Manage this session"))
    return c


def _told(server, uid: int, t) -> list[str]:
    heading = t._("🔄 A session you are concerned by has changed. Here it is now:")
    sent = [m.text or m.caption or "" for m in server.messages(uid) if m.from_bot]
    return [text for text in sent if heading in text]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_place_in_arabic_is_changed_and_participants_are_told(app, person, server, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, "EDIT-PLACE")
    await _registered(app, server, sid, {9300: "ar", 9301: "fr"})
    c = await _managing(app, person, 9302, sid, lang, t)
    await c.click(f"✏ {field_name(t, 'place_ar')}")
    assert t._("Type the new text. (/cancel to stop)") in c.last_message.text
    await c.send("\u200b\u202e ")  # nothing visible
    assert c.last_message.text == t._("The text cannot be empty: please type it.")
    await c.send("x" * 10_000)
    assert c.last_message.text == t.ngettext(
        "This is too long: at most {n} character, please shorten it.",
        "This is too long: at most {n} characters, please shorten it.", 200)
    await c.send("المعهد الوطني <ب>، الرباط")
    confirm = c.last_message.text
    assert t._("After: {value}", value="المعهد الوطني <ب>، الرباط") in confirm
    assert t._("Everyone registered will be told.") in confirm
    assert (await db_row(app, "SELECT place_ar FROM sessions WHERE id = ?", sid))[0] != \
        "المعهد الوطني <ب>، الرباط"  # nothing is written before the confirmation
    await c.click(t._("✅ Confirm"))
    assert c.last_message.text == t.ngettext("Done: {n} person is being told.",
                                             "Done: {n} people are being told.", 2)
    assert tuple(await db_row(app, "SELECT place_fr, place_ar FROM sessions WHERE id = ?", sid)) == \
        ("Institut national, Rabat", "المعهد الوطني <ب>، الرباط")
    audit = await db_row(app, "SELECT actor_id, details FROM audit WHERE action = 'session_edited'")
    assert audit[0] == 9302 and json.loads(audit[1])["field"] == "place_ar"
    await drain(app)
    [arabic] = _told(server, 9300, ar)
    assert ar._("📍 Place: {old} → {new}", old="المعهد الوطني، الرباط",
                new="المعهد الوطني <ب>، الرباط") in arabic
    [french] = _told(server, 9301, fr)
    assert "المعهد الوطني <ب>، الرباط" in french  # the only wording that changed is shown


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_new_deadline_is_saved_and_nobody_is_told(app, person, server, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, "EDIT-DEADLINE", starts_in_hours=24 * 10)
    await _registered(app, server, sid, {9310: "fr"})
    c = await _managing(app, person, 9311, sid, lang, t)
    await c.click(f"✏ {field_name(t, 'registration_deadline')}")
    await c.send("bientôt")
    assert c.last_message.text == t._("Please write the date and time as YYYY-MM-DD HH:MM, for "
                                      "example 2026-12-10 09:30.")
    start = (await db_row(app, "SELECT starts_at FROM sessions WHERE id = ?", sid))[0]
    after_start = app.bot_data.clock.now() + timedelta(days=11)
    await c.send(after_start.strftime("%Y-%m-%d %H:%M"))
    assert c.last_message.text == t._("The deadline must be to come and no later than the start of "
                                      "the session.")
    deadline = (app.bot_data.clock.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    await c.send(deadline.strftime("%Y-%m-%d %H:%M"))
    assert t._("After: {value}", value=t.datetime(deadline)) in c.last_message.text
    assert t._("Everyone registered will be told.") not in c.last_message.text
    await c.click(t._("✅ Confirm"))
    assert c.last_message.text == t._("Done: the session is changed.")
    assert tuple(await db_row(app, "SELECT registration_deadline, starts_at FROM sessions WHERE id = ?",
                         sid)) == (to_db(deadline), start)
    await drain(app)
    assert _told(server, 9310, fr) == []
    assert (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'session_changed'"))[0] == 0
    # And removed again.
    await c.click(t._("⬅ Back to the session"))
    await c.click(t._("🛠 Manage this session"))
    await c.click(f"✏ {field_name(t, 'registration_deadline')}")
    await c.click(t._("No deadline"))
    await c.click(t._("✅ Confirm"))
    assert (await db_row(app, "SELECT registration_deadline FROM sessions WHERE id = ?", sid))[0] is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_new_link_is_checked_and_told(app, person, server, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, "EDIT-LINK")
    await _registered(app, server, sid, {9320: lang})
    c = await _managing(app, person, 9321, sid, lang, t)
    await c.click(f"✏ {field_name(t, 'online_url')}")
    shown = await c.send("http://meet.example.org/x")
    assert shown[-1].text == link_reason(t, "link_scheme")
    await c.send("https://meet.example.org/new")
    await c.click(t._("✅ Confirm"))
    assert (await db_row(app, "SELECT online_url FROM sessions WHERE id = ?", sid))[0] == \
        "https://meet.example.org/new"
    await drain(app)
    [notice] = _told(server, 9320, t)
    assert t._("💻 New online link: {link}", link=t.iso("https://meet.example.org/new")) in notice


async def test_approval_language_and_region_are_chosen(app, person, server, fr):
    sid = await make_session(app, "EDIT-CHOICES")
    await _registered(app, server, sid, {9330: "fr"})
    c = await _managing(app, person, 9331, sid, "fr", fr)
    for field, choice in (("needs_approval", fr._("Yes")),
                          ("language", fr.pgettext("session language", "French and Arabic")),
                          ("region_code", "Souss-Massa")):
        if field != "needs_approval":
            await c.click(fr._("⬅ Back to the session"))
            await c.click(fr._("🛠 Manage this session"))
        await c.click(f"✏ {field_name(fr, field)}")
        await c.send("n'importe quoi")  # a choice is expected: the question again
        assert fr._("Choose the new value. (/cancel to stop)") in c.last_message.text
        await c.click(choice)
        await c.click(fr._("✅ Confirm"))
        assert c.last_message.text == fr._("Done: the session is changed.")
    row = await db_row(app, "SELECT needs_approval, language, region_code FROM sessions WHERE id = ?", sid)
    assert tuple(row) == (1, "fr+ar", "SMA")
    await drain(app)
    assert _told(server, 9330, fr) == []


async def test_officials_cannot_see_or_use_the_edit_buttons(app, person, fr):
    sid = await make_session(app, "EDIT-FORGED")
    await onboard(app, 9340, "fr")
    official = person(9340, "fr")
    await official.start(f"s_{sid}")
    assert fr._("🛠 Manage this session") not in [b for row in official.last_message.buttons for b in row]
    shown = await official.click_data(f"v1:sa:edit:{sid}:place_fr", official.last_message)
    assert not any(fr._("Type the new text. (/cancel to stop)") in (m.text or "") for m in shown)
    await official.click_data("v1:fe:go", official.last_message)
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = 9340"))[0] == 0
    assert (await db_row(app, "SELECT place_fr FROM sessions WHERE id = ?", sid))[0] == \
        "Institut national, Rabat"


async def test_a_coordinator_who_lost_the_role_cannot_confirm(app, person, fr):
    sid = await make_session(app, "EDIT-REVOKED")
    c = await _managing(app, person, 9350, sid, "fr", fr)
    await c.click(f"✏ {field_name(fr, 'place_fr')}")
    await c.send("Ailleurs")
    await app.bot_data.db.write(lambda conn: conn.execute("DELETE FROM roles WHERE user_id = 9350"))
    await c.click(fr._("✅ Confirm"))
    assert c.last_message.text == refusal(fr, Role.NATIONAL)  # the words every refusal uses
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = 9350"))[0] == 0
    assert (await db_row(app, "SELECT place_fr FROM sessions WHERE id = ?", sid))[0] == \
        "Institut national, Rabat"
