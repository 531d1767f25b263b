"""The semi-annual report in the chat: the request for the focal point's commentary two weeks
before the semester's end and its one reminder, the commentary flow, /prc_report for a focal
point (provisional, then issued and sent to the national team) and for a national coordinator,
in French and in Arabic, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.access import Access, Role
from bot.services.plans import PlanService
from handlers.access import refusal
from tests.conftest import db_row, drain, grant, onboard
from tests.test_attestation import pdf_text

END = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)  # 2026-S2 ends at Moroccan midnight (UTC+0)
FOCAL, NATIONAL, OTHER = 7601, 7602, 7603


async def setting(app, person):
    """MEF's validated 2026-2027 plan with a line in 2026-S2; a focal point of MEF (French), a
    national coordinator (Arabic)."""
    await onboard(app, FOCAL, "fr", full_name="Nadia Alaoui")
    await onboard(app, NATIONAL, "ar", full_name="يوسف بنعلي", sex="M")
    await onboard(app, OTHER, "fr", full_name="Karim Tazi", sex="M")
    await grant(app, FOCAL, "focal_point", "MEF")
    await grant(app, NATIONAL, "coordinator")
    plans = PlanService(app.bot_data.db, app.bot_data.clock)
    focal, national = Access(FOCAL, focal_administration="MEF"), Access(NATIONAL, national=True)
    version = await plans.create(focal, "MEF", 2026, 2027)
    await plans.add_line(focal, version, {"theme_code": "CYBER", "target_people": 12, "target_women": 5,
                                          "target_hours": 84, "semester": "2026-S2"})
    await plans.transition(focal, version, "submit")
    await plans.transition(national, version, "validate")
    nadia, youssef = person(FOCAL, "fr"), person(NATIONAL, "ar")
    await nadia.start()
    await youssef.start()
    return nadia, youssef


async def test_commentary_is_asked_once_reminded_once_and_goes_into_the_report(app, person, fr, ar, clock):
    nadia, youssef = await setting(app, person)
    service = app.bot_data.prc_commentary
    assert await service.run() == 0  # five weeks before the end: too early
    clock.set(datetime(2026, 12, 19, 9, 0, tzinfo=UTC))  # 13 days before the end
    assert await service.run() == 1 and await service.run() == 0
    await drain(app)
    ask = nadia.last_message
    assert ask.text.startswith("✍️") and "2026-S2" in ask.text and "31 décembre 2026" in ask.text
    assert "Ministère de l'Économie et des Finances" in ask.text
    assert ask.buttons == [[fr._("✍️ Write the commentary")]]
    assert not any("2026-S2" in m.text for m in youssef.messages)  # only focal points are asked
    clock.set(datetime(2026, 12, 26, 9, 0, tzinfo=UTC))  # 6 days before the end
    assert await service.run() == 1
    await drain(app)
    assert nadia.last_message.text.startswith("⏰") and "2026-S2" in nadia.last_message.text
    clock.set(datetime(2026, 12, 27, 9, 0, tzinfo=UTC))
    assert await service.run() == 0  # one reminder only

    await nadia.click(fr._("✍️ Write the commentary"))
    assert "1" in nadia.last_message.text and "2026-S2" in nadia.last_message.text
    await nadia.send("   ")
    assert nadia.last_message.text == fr._("Please type a text of {max} characters at most.",
                                           max=fr.number(2000))
    await nadia.send("Quatre sessions de cybersécurité tenues à Rabat")
    assert nadia.last_message.text == fr._("2 of 3: type the <b>difficulties</b> met.").replace(
        "<b>", "").replace("</b>", "")
    await nadia.send("Peu de places en région")
    await nadia.send("Sessions régionales au premier semestre")
    assert nadia.last_message.text == fr._("✅ Thank you: the commentary will be in the semi-annual report "
                                           "of {semester}.", semester="2026-S2")
    saved = await db_row(app, "SELECT achievements, difficulties, actions, author_id FROM prc_commentaries")
    assert tuple(saved) == (
        "Quatre sessions de cybersécurité tenues à Rabat", "Peu de places en région",
        "Sessions régionales au premier semestre", FOCAL)

    # Before the end: a provisional report, commentary included, nothing stored.
    await nadia.send("/prc_report")
    pdf, xlsx = nadia.messages[-2], nadia.messages[-1]
    assert pdf.document.filename == "etamkeen-prc-mef-2026-S2-fr.pdf"
    assert xlsx.document.filename == "etamkeen-prc-mef-2026-S2-fr.xlsx"
    assert "provisoire" in pdf.caption
    text = pdf_text(pdf.document.data)
    assert "Sessions régionales au premier semestre" in text and fr._("Corrective actions") in text
    assert tuple(await db_row(app, "SELECT COUNT(*) FROM prc_reports")) == (0,)

    # After the end: the national coordinator asks for it in Arabic; it is issued and frozen,
    # and the focal point gets the files in French through the outbox.
    clock.set(datetime(2027, 1, 2, 9, 0, tzinfo=UTC))
    await youssef.send("/prc_report MEF 2026-S2")
    pdf, xlsx = youssef.messages[-2], youssef.messages[-1]
    assert pdf.document.filename.endswith("-ar.pdf") and xlsx.document.filename.endswith("-ar.xlsx")
    text = pdf_text(pdf.document.data)
    assert ar._("Semi-annual report of the competence plan") in text and "وزارة الاقتصاد والمالية" in text
    issued = await db_row(app, "SELECT scope, semester, issued_by FROM prc_reports")
    assert tuple(issued) == ("MEF", "2026-S2", NATIONAL)
    await drain(app)
    mine = [m for m in nadia.messages[-2:] if m.document]
    assert [m.document.filename for m in mine] == ["etamkeen-prc-mef-2026-S2-fr.pdf",
                                                    "etamkeen-prc-mef-2026-S2-fr.xlsx"]
    assert "figé" in mine[0].caption
    await nadia.send("/prc_report 2026-S2")
    assert nadia.messages[-2].document.data == mine[0].document.data  # the same frozen file


async def test_the_daily_commentary_job_is_scheduled_and_queues(app, person, server, clock, tmp_path):
    from types import SimpleNamespace

    from bot.app import build_application
    from bot.config import Settings
    from handlers.semester_report import _commentary_job
    from tgsandbox.request import SandboxRequest

    built = build_application(Settings(token=server.token, db_path=tmp_path / "other.db"),
                              request=SandboxRequest(server))
    assert "prc_commentary" in [job.name for job in built.job_queue.jobs()]
    nadia, _ = await setting(app, person)
    clock.set(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    await _commentary_job(SimpleNamespace(bot_data=app.bot_data))
    await drain(app)
    assert nadia.last_message.text.startswith("✍️")


async def test_refusals_and_bad_input_are_answered_plainly(app, person, fr, ar, clock):
    nadia, youssef = await setting(app, person)
    await nadia.send("/prc_report MJ")
    assert nadia.last_message.text == fr._("You can only ask for the report of your own administration.")
    await nadia.send("/prc_report national")
    assert nadia.last_message.text == fr._("You can only ask for the report of your own administration.")
    await youssef.send("/prc_report MEF 2026-S7")
    assert youssef.last_message.text == ar._("This is not a semester: write it as 2027-S1 (January to June) "
                                             "or 2027-S2 (July to December).")
    await youssef.send("/prc_report XYZ")
    assert youssef.last_message.text == ar._("No administration has this code.")
    await youssef.send("/prc_report HCP")
    assert youssef.last_message.text == ar._("This administration has no validated competence plan for "
                                             "this semester.")
    await youssef.send("/prc_report national")
    assert youssef.messages[-2].document.filename == "etamkeen-prc-national-2026-S2-ar.pdf"
    other = person(OTHER, "fr")
    await other.send("/prc_report")
    assert other.last_message.text == refusal(fr, Role.COORDINATOR)
