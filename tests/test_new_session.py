"""Creating a session in the chat, assigning its trainer; its interest list hears first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.links import link_reason
from handlers.registration_view import waitlist_line
from tests.conftest import coordinator_managing, db_row, drain, grant, make_session, onboard


def _buttons(c) -> list[str]:
    return [b for row in c.last_message.buttons for b in row]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_coordinator_creates_a_session(app, person, server, lang, fr, ar):
    """Every field is asked (the place in both languages, the session's language), the summary
    shows them all, and any of them can be changed from it before publishing."""
    t = ar if lang == "ar" else fr
    training = (await db_row(app, "SELECT id, title_fr, title_ar FROM trainings WHERE code = 'PRJ-101'"))
    await onboard(app, 9900, "fr")
    server.add_user(9900, started=True)
    await app.bot_data.registrations.toggle_interest(9900, training[0])
    await onboard(app, 9901, lang)
    await grant(app, 9901, "coordinator")
    c = person(9901, lang)
    await c.send("/newsession")
    title = training[2] if lang == "ar" else training[1]
    while title not in _buttons(c):
        await c.click("▶")
    await c.click(title)
    await c.send("hier")  # not a date
    assert c.last_message.text == t._("Please write a date and time to come as YYYY-MM-DD HH:MM, "
                                      "after the start for the end.")
    await c.send("2027-02-10 09:00")
    await c.send("2027-02-10 08:00")  # before the start: refused
    await c.send("2027-02-10 17:00")
    assert c.last_message.text == t._("Place in French (type it), or press Online.")
    await c.send("\u200b \u202e")  # nothing visible: asked again
    assert c.last_message.text == t._("Place in French (type it), or press Online.")
    shown = await c.send("S" * 201)
    assert shown[-1].text == t.ngettext("This is too long: at most {n} character, please shorten it.",
                                        "This is too long: at most {n} characters, please shorten it.", 200)
    await c.send("Salle polyvalente, Fès")
    assert c.last_message.text == t._("Place in Arabic (type it), or keep the same as in French.")
    await c.send("القاعة متعددة الاختصاصات، فاس")
    await c.click("Fès-Meknès" if lang == "fr" else "فاس مكناس")
    assert c.last_message.text == t._("In which language will the session be given?")
    await c.click(t.pgettext("session language", "French and Arabic"))
    await c.send("mille")
    await c.send("٢٥")  # Eastern Arabic digits
    await c.click(t._("No"))
    summary = c.last_message.text
    for line in (t._("📍 Place in French: {place}", place=t.iso("Salle polyvalente, Fès")),
                 t._("📍 Place in Arabic: {place}", place="القاعة متعددة الاختصاصات، فاس"),
                 t._("Language: {language}", language=t.pgettext("session language", "French and Arabic")),
                 t._("Approval by the focal point: {answer}", answer=t._("No")),
                 t.ngettext("{n} place", "{n} places", 25), title):
        assert line in summary, line
    # Changing one answer from the summary asks it alone, then shows the summary again.
    await c.click(t._("✏ Places"))
    assert c.last_message.text == t._("How many places?")
    await c.send("30")
    await c.click(t._("✏ Approval"))
    await c.click(t._("Yes"))
    assert t.ngettext("{n} place", "{n} places", 30) in c.last_message.text
    assert t._("Approval by the focal point: {answer}", answer=t._("Yes")) in c.last_message.text
    await c.click(t._("✅ Publish"))
    assert t._("✅ The session is published.") in c.last_message.text
    row = await db_row(app, "SELECT capacity, region_code, place_fr, place_ar, language, needs_approval,"
                            " online_url FROM sessions WHERE training_id = ? ORDER BY id DESC LIMIT 1",
                       training[0])
    assert tuple(row) == (30, "FME", "Salle polyvalente, Fès", "القاعة متعددة الاختصاصات، فاس",
                          "fr+ar", 1, None)
    await drain(app)
    assert any(fr._("🔔 A new session of a training you follow is open:") in (m.text or "")
               for m in server.messages(9900) if m.from_bot)


async def test_same_place_in_arabic_and_a_place_changed_into_a_link(app, person, fr):
    """'Same as in French' copies the place; changing the place from the summary to Online asks
    the link and drops the place and region."""
    training = await db_row(app, "SELECT id, title_fr FROM trainings WHERE code = 'PRJ-101'")
    await onboard(app, 9905, "fr")
    await grant(app, 9905, "coordinator")
    c = person(9905, "fr")
    await c.send("/newsession")
    while training[1] not in _buttons(c):
        await c.click("▶")
    await c.click(training[1])
    await c.send("2027-03-10 09:00")
    await c.send("2027-03-10 12:00")
    await c.send("Institut, Rabat")
    await c.click(fr._("Same as in French"))
    await c.click("Rabat-Salé-Kénitra")
    await c.click(fr.pgettext("session language", "French"))
    await c.send("12")
    await c.click(fr._("No"))
    assert fr._("📍 Place in Arabic: {place}", place="Institut, Rabat") in c.last_message.text
    await c.click(fr._("✏ Place or link"))
    await c.click(fr._("Online"))
    await c.send("https://meet.example.org/s1")
    assert fr._("💻 Online: {link}", link="https://meet.example.org/s1") in c.last_message.text
    assert fr._("📍 Place in French: {place}", place="Institut, Rabat") not in c.last_message.text
    await c.click(fr._("✅ Publish"))
    row = await db_row(app, "SELECT place_fr, place_ar, region_code, online_url, language FROM sessions"
                            " WHERE training_id = ? ORDER BY id DESC LIMIT 1", training[0])
    assert tuple(row) == ("", "", None, "https://meet.example.org/s1", "fr")


async def test_assign_a_trainer_and_officials_cannot_create(app, person, fr, server):
    await onboard(app, 9902, "fr")
    await grant(app, 9902, "coordinator")
    await onboard(app, 9903, "fr", full_name="Rachid Formateur")
    await grant(app, 9903, "trainer")
    server.add_user(9903, started=True)
    sid, before = await db_row(app, "SELECT id, trainer_id FROM sessions WHERE reference = 'DAT-201-03'")
    server.add_user(before, started=True)  # the demo trainer who ran it until now
    c = person(9902, "fr")
    await c.start(f"s_{sid}")
    await c.click(fr._("🛠 Manage this session"))
    await c.click(fr._("👤 Assign a trainer"))
    await c.click("Rachid Formateur")
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] == 9903
    await drain(app)
    assert any(fr._("👤 You are the trainer of this session:") in (m.text or "")
               for m in server.messages(9903) if m.from_bot)
    assert [m for m in server.messages(before) if m.from_bot]  # told they no longer run it
    await onboard(app, 9904, "fr")
    official = person(9904, "fr")
    shown = await official.send("/newsession")
    assert shown[-1].text == fr._("This command is reserved for administrators and national coordinators.")
    await official.click_data(f"v1:sa:tr:{sid}:9904", official.last_message)
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] == 9903


async def _queue(app, server, session_id: int, people: dict[int, str]) -> None:
    """These people (id: language) join the session in this order."""
    for uid, lang in people.items():
        await onboard(app, uid, lang)
        server.add_user(uid, started=True)
        await app.bot_data.registrations.join(uid, session_id)


async def test_coordinator_changes_the_number_of_places(app, person, fr, server):
    sid = await make_session(app, "T-SEATS", capacity=1)
    await _queue(app, server, sid, {9910: "fr", 9911: "fr"})  # 9910 has the place, 9911 waits
    c = await coordinator_managing(app, person, 9912, sid)
    await c.click(fr._("🪑 Change the number of places"))
    await c.send("0")
    assert c.last_message.text == fr._("Please type a whole number of places, from 1 to 10000.")
    await c.send("٢")  # Eastern Arabic digit: 2
    assert c.last_message.text == fr._("Done: the session now has {n} places.", n="2")
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 2
    assert (await db_row(app, "SELECT status FROM registrations WHERE user_id = 9911"))[0] == "offered"


async def test_new_places_are_offered_down_the_queue_in_order(app, person, fr, ar, server):
    """Two more places with three people waiting: the first two in line get an offer (in their
    language), the third keeps waiting, first in line now."""
    sid = await make_session(app, "T-SEATS-3", capacity=1)
    waiting = {9920: "fr", 9921: "ar", 9922: "fr", 9923: "ar"}  # 9920 has the place
    await _queue(app, server, sid, waiting)
    c = await coordinator_managing(app, person, 9924, sid)
    await c.click(fr._("🪑 Change the number of places"))
    await c.send("3")
    assert c.last_message.text == fr._("Done: the session now has {n} places.", n="3")
    await drain(app)
    statuses = {uid: (await db_row(app, "SELECT status FROM registrations WHERE user_id = ?", uid))[0]
                for uid in waiting}
    assert statuses == {9920: "confirmed", 9921: "offered", 9922: "offered", 9923: "waitlisted"}
    for uid, t in ((9921, ar), (9922, fr)):
        offer = person(uid, waiting[uid]).last_message
        assert t._("✅ Accept the place") in [b for row in offer.buttons for b in row]
    late = person(9923, "ar")
    await late.start(f"s_{sid}")
    assert ar._("❌ Leave the waitlist") in [b for row in late.last_message.buttons for b in row]
    assert waitlist_line(ar, 1) in late.last_message.text


BAD_LINKS = {"https://meet.example.org/a\nb": "link_spaces", "http://x": "link_scheme",
             "javascript:alert(1)": "link_scheme", "https://localhost/x": "link_host",
             "https://meet.gov.ma@evil.example/x": "link_host"}


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_an_online_session_takes_a_checked_link(app, person, lang, fr, ar):
    """Before: Online made up a link on a domain nobody runs; now the coordinator gives theirs,
    checked as the workbook's are."""
    t = ar if lang == "ar" else fr
    training = await db_row(app, "SELECT id, title_fr, title_ar FROM trainings WHERE code = 'PRJ-101'")
    await onboard(app, 9910, lang)
    await grant(app, 9910, "coordinator")
    c = person(9910, lang)
    await c.send("/newsession")
    title = training[2] if lang == "ar" else training[1]
    while title not in [b for row in c.last_message.buttons for b in row]:
        await c.click("▶")
    await c.click(title)
    await c.send("2027-02-10 09:00")
    await c.send("2027-02-10 12:00")
    await c.click(t._("Online"))
    ask = t._("Link of the online meeting, starting with https:// (Teams, Zoom, Meet…).")
    assert c.last_message.text == ask
    for link, reason in BAD_LINKS.items():
        shown = await c.send(link)
        assert shown[-1].text == link_reason(t, reason), link
    await c.send(" https://ok.example.org/x \n")
    await c.click(t.pgettext("session language", "Arabic"))  # no place asked for an online session
    assert c.last_message.text == t._("How many places?")
    await c.send("30")
    await c.click(t._("No"))
    assert "https://ok.example.org/x" in c.last_message.text
    await c.click(t._("✅ Publish"))
    row = await db_row(app, "SELECT online_url, region_code, language FROM sessions WHERE training_id = ? "
                            "ORDER BY id DESC LIMIT 1", training[0])
    assert tuple(row) == ("https://ok.example.org/x", None, "ar")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_moving_an_online_session_checks_its_new_link(app, person, lang, fr, ar, server):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, "ONL-1")
    await app.bot_data.db.write(lambda conn: conn.execute(
        "UPDATE sessions SET online_url = 'https://meet.example.org/old' WHERE id = ?", (sid,)))
    await onboard(app, 9911, lang)
    await grant(app, 9911, "coordinator")
    c = person(9911, lang)
    await c.start(f"s_{sid}")
    await c.click(t._("🛠 Manage this session"))
    await c.click(t._("🕒 Change the date, time or place"))
    await c.click(t._("Keep the same date and time"))
    await c.click(t._("Keep the same length"))
    assert c.last_message.text == t._("New link of the online meeting (https://…), or keep the same link.")
    shown = await c.send("https://meet.example.org/a\nb")
    assert shown[-1].text == link_reason(t, "link_spaces")
    assert (await db_row(app, "SELECT online_url FROM sessions WHERE id = ?", sid))[0] == \
        "https://meet.example.org/old"
    await c.send("https://meet.example.org/new")
    assert "https://meet.example.org/new" in c.last_message.text
    await c.click(t._("✅ Apply and tell everyone"))
    assert (await db_row(app, "SELECT online_url FROM sessions WHERE id = ?", sid))[0] == \
        "https://meet.example.org/new"


async def test_the_session_service_refuses_a_bad_link(app):
    """The flows check first; the service is the last guard for any other caller."""
    training = (await db_row(app, "SELECT id FROM trainings WHERE code = 'PRJ-101'"))[0]
    before = (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE training_id = ?", training))[0]
    start = app.bot_data.clock.now() + timedelta(days=30)
    with pytest.raises(ValueError, match="link_spaces"):
        await app.bot_data.sessions.create(
            None, training_id=training, starts_at=start, ends_at=start + timedelta(hours=3), place_fr="",
            place_ar="", region_code=None, online_url="https://meet.example.org/a\nb", capacity=10,
            needs_approval=False)
    sid = await make_session(app, "ONL-2")
    with pytest.raises(ValueError, match="link_scheme"):
        await app.bot_data.sessions.reschedule(sid, online_url="http://meet.example.org/x")
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE training_id = ?", training))[0] == before
    assert (await db_row(app, "SELECT online_url FROM sessions WHERE id = ?", sid))[0] is None
