"""The catalogue workbook: template, checks, preview, all-or-nothing apply, in the chat and the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bot.services.links import link_reason
from bot.services.workbook import FORMATIONS, SESSIONS
from handlers.ui import plain
from tests.conftest import db_row, drain, grant, onboard
from tests.test_onboarding import is_arabic_first

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRAINING = ["NEW-101", "Signature électronique", "التوقيع الإلكتروني", "Pratique", "تطبيق", "EGOV",
            "presentiel", 6, "operationnel"]


def session_row(ref="NEW-101-01", training="NEW-101", start="2027-01-20 09:00", end="2027-01-20 16:00",
                capacity=20, **over):
    row = dict(zip(SESSIONS, [ref, training, start, end, "INA, Rabat", "المعهد، الرباط", "RSK", "",
                              capacity, "", "", "non", "fr", ""], strict=True))
    row.update(over)
    return [row[c] for c in SESSIONS]


def workbook(trainings=(TRAINING,), sessions=(), formations_header=FORMATIONS, sessions_header=SESSIONS):
    wb = Workbook()
    ws = wb.active
    ws.title = "formations"
    ws.append(list(formations_header))
    for t in trainings:
        ws.append(list(t))
    ss = wb.create_sheet("sessions")
    ss.append(list(sessions_header))
    for s in sessions:
        ss.append(list(s))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def coordinator(app, person, lang="fr", user_id=9800):
    await onboard(app, user_id, lang)
    await grant(app, user_id, "coordinator")
    return person(user_id, lang)


async def test_upload_preview_apply(app, person, fr, server):
    c = await coordinator(app, person)
    # Someone waits for a new session of the new training? Not yet possible (it is new); but
    # a person interested in an existing training hears about its new session.
    demo = (await db_row(app, "SELECT id FROM trainings WHERE code = 'IA-102'"))[0]
    await onboard(app, 9801, "fr")
    server.add_user(9801, started=True)
    await app.bot_data.registrations.toggle_interest(9801, demo)
    data = workbook(sessions=[session_row(), session_row("NEW-101-02", start="2027-02-03 09:00",
                                                         end="2027-02-03 12:00"),
                              session_row("IA-102-09", training="IA-102")])
    shown = await c.upload(data, "catalogue.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    preview = shown[-1].text
    assert fr.ngettext("{n} new training", "{n} new trainings", 1) in preview
    assert fr.ngettext("{n} new session", "{n} new sessions", 3) in preview
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    await c.click(fr._("✅ Apply"))
    assert fr._("✅ The catalogue is updated.") in c.last_message.text
    title = (await db_row(app, "SELECT title_ar FROM trainings WHERE code = 'NEW-101'"))[0]
    assert title == "التوقيع الإلكتروني"
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE reference LIKE 'NEW-101-%'"))[0] == 2
    await drain(app)
    assert any(fr._("🔔 A new session of a training you follow is open:") in (m.text or "")
               for m in server.messages(9801) if m.from_bot)
    actions = [r[0] for r in await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT action FROM audit").fetchall())]
    assert "catalogue_imported" in actions
    # Searching finds the new training in both languages.
    shown = await c.send("signature electronique")
    assert "Signature électronique" in " ".join(b for row in shown[-1].buttons for b in row)


@pytest.mark.telegram_errors_expected  # the demo's officials never opened this sandbox's chat
async def test_a_moved_session_tells_its_participants(app, person, fr, server):
    c = await coordinator(app, person)
    await onboard(app, 9802, "fr")
    server.add_user(9802, started=True)
    ref = "CYB-102-02"
    sid = (await db_row(app, "SELECT id FROM sessions WHERE reference = ?", ref))[0]
    await app.bot_data.registrations.join(9802, sid)
    await drain(app)
    data = workbook(trainings=(), sessions=[session_row(ref, training="CYB-102", start="2027-01-05 09:00",
                                                        end="2027-01-05 16:00")])
    shown = await c.upload(data, "move.xlsx", "application/octet-stream")
    assert fr.ngettext("{n} session changed (its people will be told)",
                       "{n} sessions changed (their people will be told)", 1) in shown[-1].text
    await c.click(fr._("✅ Apply"))
    await drain(app)
    last = [m for m in server.messages(9802) if m.from_bot][-1]
    assert fr._("🔄 A session you are concerned by has changed. Here it is now:") in (last.caption or "")
    assert b"SEQUENCE:1" in last.document.data


async def test_every_problem_is_reported_with_sheet_row_column_in_both_languages(app, person, fr, ar):
    c = await coordinator(app, person)
    youssef = await coordinator(app, person, "ar", 9803)
    full = (await db_row(app, "SELECT reference FROM sessions WHERE reference = 'BUR-101-01'"))[0]
    bad = workbook(
        trainings=[TRAINING, ["NEW-101", "Doublon", "مكرر", "", "", "EGOV", "presentiel", 6, "tous"],
                   ["X-1", "Titre", "عنوان", "", "", "NOPE", "teleportation", -2, "tous"]],
        sessions=[session_row(start="demain"),
                  session_row("NEW-101-02", end="2027-01-19 09:00"),
                  session_row("NEW-101-02"),
                  session_row("ORPH-1", training="NOPE-9"),
                  session_row(full, training="BUR-101", capacity=1),
                  session_row("NEW-101-03", capacity="beaucoup", region="MARS")])
    shown = await c.upload(bad, "bad.xlsx", "application/octet-stream")
    text = shown[-1].text
    expected = [
        fr._("“{value}” is not a date and time like 2027-03-15 09:00.", value="demain"),
        fr._("“{value}” appears twice (first on row {extra}).", value="NEW-101", extra="2"),
        fr._("The session ends before it starts."),
        fr._("No training has the code “{value}”.", value="NOPE-9"),
        fr._("Capacity {value} is below the {extra} places already taken.", value="1", extra="12"),
        fr._("“{value}” is not a positive number.", value="beaucoup"),
        fr._("“{value}” is not a positive number.", value="-2"),
        fr._("Unknown region “{value}”.", value="MARS"),
        ", ".join([fr._("sheet {sheet}", sheet="sessions"), fr._("row {row}", row="2"),
                   fr._("column {column}", column="debut")]),
        "teleportation", "NOPE",
    ]
    for fragment in expected:
        assert fragment in text, fragment
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 9800") is None
    shown = await youssef.upload(bad, "bad.xlsx", "application/octet-stream")
    assert is_arabic_first(shown[-1].text)


async def test_missing_columns_junk_and_not_a_workbook(app, person, fr):
    c = await coordinator(app, person)
    no_column = workbook(formations_header=[h for h in FORMATIONS if h != "titre_ar"])
    shown = await c.upload(no_column, "a.xlsx", "application/octet-stream")
    assert "titre_ar" in shown[-1].text
    shown = await c.upload(b"\x89PNG\r\n\x1a\n" + b"0" * 500, "photo.png", "image/png")
    assert fr._("This file is not an Excel workbook (.xlsx).") in shown[-1].text
    shown = await c.upload(os.urandom(10_000_000), "junk.xlsx", "application/octet-stream")
    assert "5" in shown[-1].text and fr._("This file is not an Excel workbook (.xlsx).") not in shown[-1].text
    wb = Workbook()
    wb.active.title = "autre"
    out = io.BytesIO()
    wb.save(out)
    shown = await c.upload(out.getvalue(), "x.xlsx", "application/octet-stream")
    assert "formations" in shown[-1].text and "sessions" in shown[-1].text


async def test_officials_cannot_import_and_the_template_opens(app, person, fr, ar):
    await onboard(app, 9804, "fr")
    official = person(9804, "fr")
    shown = await official.upload(workbook(), "x.xlsx", "application/octet-stream")
    assert "messages texte" in shown[-1].text
    shown = await official.send("/template")
    assert shown[-1].text == fr._("This command is reserved for administrators and national coordinators.")
    c = await coordinator(app, person, "ar", 9805)
    shown = await c.send("/template")
    book = load_workbook(io.BytesIO(shown[-1].document.data))
    assert book.sheetnames[:2] == ["formations", "sessions"]
    assert [c.value for c in book["formations"][1]] == FORMATIONS
    help_sheet = book[book.sheetnames[2]]
    assert help_sheet.sheet_view.rightToLeft
    # The template, sent back as it is, is a valid workbook whose examples are never applied
    # (it used to offer to apply them, and rewrote a live training that had their code).
    shown = await c.upload(shown[-1].document.data, "t.xlsx", "application/octet-stream")
    assert ar._("Nothing to change: the workbook matches the catalogue.") in shown[-1].text
    assert ar.ngettext("{n} example row skipped (never applied).",  # a training, a session, a plan line
                       "{n} example rows skipped (never applied).", 3) in shown[-1].text
    assert not shown[-1].buttons


def test_command_line_import(tmp_path):
    db = tmp_path / "cli.db"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("ETAMKEEN_", "TELEGRAM_"))},
           "ETAMKEEN_DB": str(db), "PYTHONPATH": str(ROOT)}
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook(sessions=[session_row()]))
    bad.write_bytes(workbook(sessions=[session_row(start="jamais")]))
    run = [sys.executable, "-m", "bot.cli", "import-catalogue"]
    result = subprocess.run([*run, str(bad), "--yes"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and "jamais" in result.stdout
    result = subprocess.run([*run, str(good), "--yes"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions WHERE reference = 'NEW-101-01'").fetchone()[0] == 1
    result = subprocess.run([sys.executable, "-m", "bot.cli", "invite", "--role", "trainer",
                             "--bot-username", "etamkeen_bot"], env=env, capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0 and "https://t.me/etamkeen_bot?start=i_" in result.stdout


async def test_cancel_between_the_preview_and_the_decision(app, person, fr):
    """/cancel after the preview changes nothing (it used to be asked to press a button)."""
    c = await coordinator(app, person)
    await c.upload(workbook(sessions=[session_row()]), "c.xlsx", "application/octet-stream")
    shown = await c.send("/cancel")
    assert shown[-1].text == fr._("Nothing was changed.")
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 9800") is None
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_decision_after_the_preview_is_a_step(app, person, lang, fr, ar):
    """Text waits for a button, a second workbook replaces the first, Cancel changes nothing:
    the decision is a step of a StepFlow (conversations/flow), its draft the source of truth."""
    from conversations.flow import StepFlow
    from handlers.catalogue_admin import ImportFlow

    assert isinstance(ImportFlow(), StepFlow)
    t = ar if lang == "ar" else fr
    c = await coordinator(app, person, lang)
    await c.upload(workbook(sessions=[session_row()]), "a.xlsx", "application/octet-stream")
    shown = await c.send("oui")
    assert [m.text for m in shown] == [t._("Please press Apply or Cancel under the preview.")]
    assert (await db_row(app, "SELECT step FROM drafts WHERE user_id = 9800"))[0] == "confirm"
    await c.send("/help")  # a command leaves the decision, as in every flow
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 9800") is None
    await c.upload(workbook(sessions=[session_row()]), "a.xlsx", "application/octet-stream")
    # A button of another screen is refused in a toast (it was a message), the workbook kept.
    await c.click_data("v1:menu:home")
    assert c.last_answer["text"] == t._("Please press Apply or Cancel under the preview.")
    first = (await db_row(app, "SELECT json_extract(data, '$.file_id') FROM drafts WHERE user_id = 9800"))[0]
    # A second workbook: the new one is checked and previewed; Apply applies it, not the first.
    shown = await c.upload(workbook(sessions=[session_row("NEW-101-02")]), "b.xlsx",
                           "application/octet-stream")
    assert t.ngettext("{n} new session", "{n} new sessions", 1) in shown[-1].text
    second = (await db_row(app, "SELECT json_extract(data, '$.file_id') FROM drafts WHERE user_id = 9800"))[0]
    assert second != first
    await c.click(t._("Cancel"))
    assert c.last_message.text == t._("Nothing was changed.")
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 9800") is None
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    await c.upload(workbook(sessions=[session_row("NEW-101-02")]), "b.xlsx", "application/octet-stream")
    await c.click(t._("✅ Apply"))
    assert t._("✅ The catalogue is updated.") in c.last_message.text
    refs = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT reference FROM sessions WHERE reference LIKE 'NEW-101-%'").fetchall())
    assert [r[0] for r in refs] == ["NEW-101-02"]


# A line break inside, plain http, a script, and a good link with spaces around it (trimmed, kept).
LINKS = ["https://meet.example.org/a\nb", "http://x", "javascript:alert(1)", " https://ok.example.org/x "]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_online_links_are_checked_at_import(app, person, lang, fr, ar):
    """Before: any text starting with https:// was taken, a line break included, and broke every
    confirmation and calendar file of the session."""
    t = ar if lang == "ar" else fr
    c = await coordinator(app, person, lang)
    rows = [session_row(f"NEW-101-0{i}", region="", lien_en_ligne=link) for i, link in enumerate(LINKS, 1)]
    text = (await c.upload(workbook(sessions=rows), "links.xlsx", "application/octet-stream"))[-1].text
    where = [t.join([t._("sheet {sheet}", sheet="sessions"), t._("row {row}", row=t.number(row)),
                    t._("column {column}", column="lien_en_ligne")]) for row in (2, 3, 4, 5)]
    lines = text.split("\n")
    expected = {where[0]: ("link_spaces", "https://meet.example.org/a↵b"), where[1]: ("link_scheme", "http://x"),
                where[2]: ("link_scheme", "javascript:alert(1)")}
    for place, (reason, shown_value) in expected.items():
        line = next((x for x in lines if place in x), "")
        assert link_reason(t, reason) in line and shown_value in line, (place, text)
    assert plain(t.ngettext("<b>The workbook has {n} problem</b>; nothing was changed:",
                            "<b>The workbook has {n} problems</b>; nothing was changed:", 3)) in text
    assert not any(where[3] in x for x in lines)  # spaces around a link are trimmed, not refused
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    await c.upload(workbook(sessions=[rows[3]]), "ok.xlsx", "application/octet-stream")
    await c.click(t._("✅ Apply"))
    stored = await db_row(app, "SELECT online_url FROM sessions WHERE reference = 'NEW-101-04'")
    assert stored[0] == "https://ok.example.org/x"


HAND_OVER = "⚠️ Telegram did not hand over your file just now. Please try again in a moment."
FILE_FAILED = ("⚠️ Telegram did not take the file just now. If it has not arrived, tap the same button "
               "again in a moment.")


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_workbook_telegram_does_not_hand_over_keeps_the_decision(app, person, lang, server, request):
    """getFile failing (a 5xx) left the coordinator on "⏳ Checking your workbook…" with nothing
    more, and on Apply the preview had lost its buttons: the decision was gone. Now they are
    told, and on Apply the decision comes back with its buttons; nothing is applied meanwhile.
    The template Telegram does not take is said too, and its button sends it again."""
    t = request.getfixturevalue(lang)
    c = await coordinator(app, person, lang)
    data = workbook(sessions=[session_row()])
    server.fail_next("500", method="getFile")
    shown = await c.upload(data, "catalogue.xlsx", XLSX)
    assert [m.text for m in shown] == [t._("⏳ Checking your workbook…"), t.to_person(HAND_OVER)]
    await c.upload(data, "catalogue.xlsx", XLSX)
    server.fail_next("502", method="getFile")
    await c.click(t._("✅ Apply"))
    assert c.last_message.text == t.to_person(HAND_OVER)
    assert c.last_message.flat_buttons == [t._("✅ Apply"), t._("Cancel")]
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    await c.click(t._("✅ Apply"))
    assert t._("✅ The catalogue is updated.") in c.last_message.text
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 1

    server.fail_next("500", method="sendDocument")
    await c.send("/template")
    assert c.last_message.text == t.to_person(FILE_FAILED)
    await c.send("/template")
    assert c.last_message.document.filename == "e-tamkeen-catalogue.xlsx"
