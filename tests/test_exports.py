"""/export and `etamkeen export`: files opened back and checked — headers in the reader's
language, labels not codes, Moroccan local times, right-to-left sheets and a BOM for Arabic,
the scope of a focal point, evaluations without names."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from bot.services import vocabulary as vocab
from tests.conftest import onboard
from tests.reports_data import evaluate, finished_session, live, staff


def columns(t, *names: str) -> list[str]:
    return [t.pgettext("column", n) for n in names]


REGISTRATION_COLUMNS = ("Session", "Training", "Modality", "Start", "End", "Session region", "Name", "Sex",
                        "Administration", "Level", "Region", "Position", "Status", "Registered on",
                        "Last change")


async def export(client, t, kind: str, fmt: str):
    await client.send("/export")
    await client.click({"registrations": t._("Registrations"), "attendance": t._("Attendance"),
                        "evaluations": t._("Evaluations"), "indicators": t._("Indicators")}[kind])
    await client.click(t._("Excel (XLSX)") if fmt == "xlsx" else t._("CSV"))
    message = client.last_message
    assert message.document is not None, message.text
    return message


def sheet_of(message):
    workbook = load_workbook(io.BytesIO(message.document.data))
    return workbook.worksheets[0]


async def test_registrations_xlsx_in_french(app, person, fr):
    # Before 2026-09-20 Morocco was at UTC+1: the file must show the Moroccan wall-clock time.
    sid = await finished_session(app, "T-EXP-1", [(9001, "F", "MJ", "attended", "Nadia Export"),
                                                  (9002, "M", "MJ", "absent", '=HYPERLINK("http://x")')],
                                 hours_ago=24 * 100)
    coord = await staff(app, person, 9000, "fr")
    message = await export(coord, fr, "registrations", "xlsx")
    total = await live(app, "COUNT(*)")
    assert message.caption == fr.ngettext("{kind}: {n} row", "{kind}: {n} rows", total,
                                          kind=fr._("Registrations"))
    assert message.document.filename.endswith(".xlsx") and "national" in message.document.filename
    ws = sheet_of(message)
    assert ws.title == fr._("Registrations")
    assert ws.sheet_view.rightToLeft in (None, False)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == columns(fr, *REGISTRATION_COLUMNS)
    assert len(rows) - 1 == total
    nadia = next(r for r in rows if r[6] == "Nadia Export")
    starts = (await app.bot_data.catalogue.session(sid)).starts_at
    assert nadia[3] == (starts + timedelta(hours=1)).replace(tzinfo=None)
    assert nadia[2] == vocab.modality(fr, "distanciel")
    assert nadia[7:9] == (fr.pgettext("sex", "Woman"), "Ministère de la Justice")
    assert nadia[12] == vocab.status(fr, "attended")
    # Text people typed is never run as a formula.
    cell = next(row[6] for row in ws.iter_rows() if str(row[6].value).endswith('HYPERLINK("http://x")'))
    assert cell.data_type == "s" and cell.value.startswith("'=")


async def test_registrations_xlsx_in_arabic_for_a_focal_point(app, person, ar):
    await finished_session(app, "T-EXP-2", [(9011, "F", "MJ", "attended"), (9012, "M", "MEF", "attended")])
    focal = await staff(app, person, 9010, "ar", "focal_point", "MJ")
    message = await export(focal, ar, "registrations", "xlsx")
    ws = sheet_of(message)
    assert ws.sheet_view.rightToLeft is True
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == columns(ar, *REGISTRATION_COLUMNS)
    assert len(rows) - 1 == await live(app, "COUNT(*)", "u.administration_code = 'MJ'")
    assert {r[8] for r in rows[1:]} == {"وزارة العدل"}
    assert ar.pgettext("sex", "Woman") in {r[7] for r in rows[1:]}
    assert "mj" in message.document.filename


async def test_attendance_csv_has_a_bom_and_arabic_labels(app, person, ar):
    await finished_session(app, "T-EXP-3", [(9021, "F", "MJ", "attended", "نادية"),
                                            (9022, "M", "MJ", "absent", "كريم")])
    focal = await staff(app, person, 9020, "ar", "focal_point", "MJ")
    message = await export(focal, ar, "attendance", "csv")
    data = message.document.data
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheet programs then read Arabic right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == columns(ar, "Session", "Training", "Modality", "Start", "End", "Name", "Sex",
                              "Administration", "Level", "Region", "Attendance")
    by_name = {r[5]: r for r in rows[1:]}
    assert by_name["نادية"][10] == vocab.status(ar, "attended")
    assert by_name["كريم"][10] == vocab.status(ar, "absent")
    assert by_name["نادية"][7] == "وزارة العدل"
    assert len(by_name["نادية"][3]) == len("2026-11-22 09:00")


async def test_evaluations_export_has_no_names(app, person, fr):
    sid = await finished_session(app, "T-EXP-4", [(9030 + i, "F", "HCP", "attended", f"Secret Person {i}")
                                                  for i in range(5)])
    await evaluate(app, sid, [5, 4, 4, 3, 5])
    await evaluate(app, sid, [5, 1], kind="cold")
    coord = await staff(app, person, 9040, "fr")
    message = await export(coord, fr, "evaluations", "xlsx")
    ws = sheet_of(message)
    rows = list(ws.iter_rows(values_only=True))
    names = [r[0] for r in await app.bot_data.db.read(lambda c: c.execute(
        "SELECT full_name FROM users WHERE full_name IS NOT NULL").fetchall())]
    cells = {str(v) for r in rows for v in r if v is not None}
    assert not any(name in cell for name in names for cell in cells)
    header = list(rows[0])
    assert header[:7] == columns(fr, "Session", "Training", "Modality", "Session date", "Evaluation",
                                 "Questionnaire version", "Submitted on")
    hot = [r for r in rows[1:] if r[4] == vocab.evaluation_kind(fr, "hot")]
    cold = [r for r in rows[1:] if r[4] == vocab.evaluation_kind(fr, "cold")]
    assert len(hot) == 5 and len(cold) == 2
    column = {h: i for i, h in enumerate(header)}
    satisfaction = column[fr.pgettext("evaluation", "Hot") + ": Dans l'ensemble, je suis :"]
    assert sorted(r[satisfaction] for r in hot) == [3, 4, 4, 5, 5]
    hot_label = fr.pgettext("evaluation", "Hot")
    recommend = column[hot_label + ": Je recommanderais cette formation à un(e) collègue."]
    assert {r[recommend] for r in hot} == {"Oui"}
    obstacles = [h for h in header if h.startswith(fr.pgettext("evaluation", "Cold") + ": Qu'est-ce qui")][0]
    assert {r[column[obstacles]] for r in cold} == {"Pas le temps, Pas les outils nécessaires"}


async def test_indicators_export(app, person, fr):
    coord = await staff(app, person, 9050, "fr")
    message = await export(coord, fr, "indicators", "csv")
    rows = list(csv.reader(io.StringIO(message.document.data.decode("utf-8-sig"))))
    assert rows[0][:4] == columns(fr, "Breakdown", "Group", "Sex", "Registrations")
    everyone = next(r for r in rows if r[0] == fr.pgettext("breakdown", "All") and r[2] == r[1])
    assert int(everyone[3]) == await live(app, "COUNT(*)")
    mtnra = "Ministère de la Transition numérique et de la Réforme de l'Administration"
    for sex, code in ((fr.pgettext("sex", "Woman"), "F"), (fr.pgettext("sex", "Man"), "M")):
        row = next(r for r in rows if r[0] == fr.pgettext("breakdown", "Administration")
                   and r[1] == mtnra and r[2] == sex)
        assert int(row[3]) == await live(app, "COUNT(*)", "u.administration_code = 'MTNRA' AND u.sex = ?",
                                         code)


async def test_cli_export(app, tmp_path, monkeypatch, ar):
    from bot.cli import main

    await finished_session(app, "T-EXP-5", [(9061, "F", "MJ", "attended", "نادية")])
    monkeypatch.setenv("ETAMKEEN_DB", str(app.bot_data.settings.db_path))
    out = tmp_path / "out" / "mj.xlsx"
    # The command line runs its own event loop: in a thread, as a separate process would.
    assert await asyncio.to_thread(main, ["--env-file", str(tmp_path / "none.env"), "export",
                                          "registrations", "--out", str(out), "--administration", "MJ",
                                          "--language", "ar"]) == 0
    ws = load_workbook(out).worksheets[0]
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[1]][:2] == columns(ar, "Session", "Training")
    refused = ["--env-file", str(tmp_path / "none.env"), "export", "registrations", "--out", str(out),
               "--administration", "NOPE"]
    assert await asyncio.to_thread(main, refused) == 2


async def test_officials_cannot_export(app, person, fr):
    await onboard(app, 9070, "fr")
    official = person(9070, "fr")
    shown = await official.send("/export")
    assert shown[-1].text == fr._("This command is reserved for coordinators and focal points.")
    await official.click_data("v1:exp:registrations:xlsx", shown[-1])
    assert official.last_answer["text"] == fr._("This command is reserved for coordinators and focal points.")
    assert all(m.document is None for m in official.messages)
    coord = await staff(app, person, 9071, "fr")
    await coord.click_data("v1:exp:passwords:xlsx", (await coord.send("/export"))[-1])
    assert coord.last_answer["text"] == fr._("This button is no longer valid.")


async def test_evaluations_and_indicators_in_arabic(app, person, ar):
    sid = await finished_session(app, "T-EXP-6", [(9080 + i, "F", "MJ", "attended") for i in range(5)])
    await evaluate(app, sid, [5, 4, 4, 3, 5])
    focal = await staff(app, person, 9090, "ar", "focal_point", "MJ")
    message = await export(focal, ar, "evaluations", "xlsx")
    ws = sheet_of(message)
    assert ws.sheet_view.rightToLeft is True
    rows = list(ws.iter_rows(values_only=True))
    assert ar.pgettext("evaluation", "Hot") + ": بشكل عام، أنا:" in rows[0]
    assert {r[4] for r in rows[1:]} == {vocab.evaluation_kind(ar, "hot")}
    assert {r[8] for r in rows[1:]} == {"وزارة العدل"}
    message = await export(focal, ar, "indicators", "csv")
    table = list(csv.reader(io.StringIO(message.document.data.decode("utf-8-sig"))))
    assert table[0][:3] == columns(ar, "Breakdown", "Group", "Sex")
    assert {r[1] for r in table[1:] if r[0] == ar.pgettext("breakdown", "Administration")} == {"وزارة العدل"}
