"""/roster: a training's sessions with fill rates, a session's roster with statuses, in French
and Arabic; a focal point sees only their officials; forged buttons are refused."""

from __future__ import annotations

from bot.services import vocabulary as vocab
from handlers.reports_ui import percent
from handlers.roster import RosterPage, SessionsPage, TrainingsPage
from handlers.ui import plain
from tests.conftest import onboard
from tests.reports_data import click_paged, finished_session, staff

TRAINING = "Protection des données personnelles (loi 09-08)"


async def test_national_roster_in_french(app, person, fr):
    people = [(8800 + i, "F" if i % 3 else "M", "MJ" if i < 12 else "MEF",
               "attended" if i % 4 else "absent", f"Agent {i:02d}") for i in range(18)]
    sid = await finished_session(app, "T-ROS-1", people, training="CYB-102", capacity=20)
    coord = await staff(app, person, 8900, "fr")
    shown = await coord.send("/roster")
    assert shown[-1].text == plain(fr._("<b>Rosters</b>\nChoose a training:"))
    await click_paged(coord, TRAINING)
    text = coord.last_message.text
    line = fr._("{date} · {reference}: {taken}/{capacity} seats taken ({rate})",
                date=fr.date(await start_of(app, sid)), reference="T-ROS-1", taken="18", capacity="20",
                rate=percent(fr, 18 / 20))
    assert line in text
    await coord.click("T-ROS-1")
    roster = coord.last_message.text
    assert f"{vocab.status(fr, 'attended')}: 13" in roster and f"{vocab.status(fr, 'absent')}: 5" in roster
    assert "Agent 01" in roster and "Ministère de la Justice" in roster  # names of administrations
    assert "1/2" in coord.last_message.flat_buttons  # 18 people, 15 a page
    await coord.click("▶")
    # Attended first, then absent, each in arrival order: the absent Agent 16 ends the roster.
    assert f"{fr.number(18)}. Agent 16" in coord.last_message.text
    assert "Agent 00" not in coord.last_message.text
    await coord.click(fr._("⬅ Sessions"))
    assert "T-ROS-1" in coord.last_message.text


async def test_focal_point_roster_in_arabic_shows_only_their_officials(app, person, ar):
    people = [(8810, "F", "MJ", "attended", "Nadia MJ"), (8811, "M", "MEF", "attended", "Karim MEF"),
              (8812, "M", "MJ", "absent", "Omar MJ")]
    sid = await finished_session(app, "T-ROS-2", people, training="CYB-102")
    other = await finished_session(app, "T-ROS-3", [(8813, "F", "MEF", "attended")], training="CYB-102")
    focal = await staff(app, person, 8901, "ar", "focal_point", "MJ")
    await focal.send("/roster")
    await click_paged(focal, "حماية المعطيات ذات الطابع الشخصي")
    sessions = focal.last_message
    assert "T-ROS-2" in sessions.text and "T-ROS-3" not in sessions.text
    assert ar.ngettext("{n} from your administration", "{n} from your administration", 2) in sessions.text
    await focal.click("T-ROS-2")
    roster = focal.last_message.text
    assert "Nadia MJ" in roster and "Omar MJ" in roster and "Karim MEF" not in roster
    assert vocab.status(ar, "absent") in roster
    assert ar._("Officials of {administration} only.", administration="وزارة العدل") in roster
    # Forged: another administration's view, the national view, a session without their
    # officials, a session that does not exist, garbage.
    forged = [RosterPage(sid, "MEF", 0), RosterPage(sid, "-", 0), RosterPage(other, "MJ", 0),
              RosterPage(999999, "MJ", 0), SessionsPage(999999, 0)]
    for data in (*(f.pack() for f in forged), "v1:ros:s:abc:MJ:0", f"v1:ros:s:{sid}:MJ", "v1:ros:l:²",
                 "v1:ros"):
        await focal.click_data(data, sessions)
        assert focal.last_answer["text"] == ar._("This button is no longer valid."), data
    assert "Karim MEF" not in focal.last_message.text


async def test_officials_get_no_roster(app, person, fr):
    sid = await finished_session(app, "T-ROS-4", [(8820, "F", "MJ", "attended", "Secret Name")])
    await onboard(app, 8821, "fr")
    official = person(8821, "fr")
    shown = await official.send("/roster")
    assert shown[-1].text == fr._("This command is reserved for coordinators and focal points.")
    for press in (RosterPage(sid, "-", 0), SessionsPage(1, 0), TrainingsPage(0)):
        await official.click_data(press.pack(), shown[-1])
        assert official.last_answer["text"] == fr._("This command is reserved for coordinators and focal "
                                                    "points.")
    assert not any("Secret Name" in m.text for m in official.messages)


async def start_of(app, sid):
    return (await app.bot_data.catalogue.session(sid)).starts_at
