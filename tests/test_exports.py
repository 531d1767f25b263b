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
from handlers.exports import ChooseFormat, MakeExport
from handlers.ui import plain
from tests.conftest import onboard
from tests.reports_data import evaluate, finished_session, live, staff


def columns(t, *names: str) -> list[str]:
    return [t.pgettext("column", n) for n in names]


REGISTRATION_COLUMNS = ("Session", "Training", "Modality", "Start", "End", "Session region", "Name", "Sex",
                        "Administration", "Level", "Region", "Position", "Status", "Registered on",
                        "Last change", "Pre-test score (%)", "Final test score (%)", "Normalised gain (%)")


async def export(client, t, kind: str, fmt: str):
    await client.send("/export")
    await client.click({"registrations": t._("Registrations"), "attendance": t._("Attendance"),
                        "evaluations": t._("Evaluations"), "indicators": t._("Indicators")}[kind])
    await client.click({"xlsx": t._("Excel (XLSX)"), "csv": t._("CSV (Excel, ;)"),
                        "csvc": t._("CSV (,)")}[fmt])
    message = client.last_message
    assert message.document is not None, message.text
    return message


def read_csv(message, delimiter: str = ";") -> list[list[str]]:
    """The rows of a CSV export, read back as a spreadsheet program would."""
    return list(csv.reader(io.StringIO(message.document.data.decode("utf-8-sig")), delimiter=delimiter))


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
    rows = read_csv(message)
    assert rows[0] == columns(ar, "Session", "Training", "Modality", "Start", "End", "Name", "Sex",
                              "Administration", "Level", "Region", "Attendance")
    by_name = {r[5]: r for r in rows[1:]}
    assert by_name["نادية"][10] == vocab.status(ar, "attended")
    assert by_name["كريم"][10] == vocab.status(ar, "absent")
    assert by_name["نادية"][7] == "وزارة العدل"
    assert len(by_name["نادية"][3]) == len("2026-11-22 09:00")


EVALUATION_COLUMNS = ("Training", "Modality", "Evaluation", "Questionnaire version", "Administration", "Sex")


def table(message) -> tuple[list[str], list[list[str]]]:
    rows = read_csv(message)
    return rows[0], rows[1:]


async def test_evaluations_export_has_no_names(app, person, fr):
    sid = await finished_session(app, "T-EXP-4", [(9030 + i, "F", "HCP", "attended", f"Secret Person {i}")
                                                  for i in range(5)])
    await evaluate(app, sid, [5, 4, 4, 3, 5])
    await evaluate(app, sid, [5, 1, 5, 1, 5], kind="cold")
    coord = await staff(app, person, 9040, "fr")
    message = await export(coord, fr, "evaluations", "xlsx")
    ws = sheet_of(message)
    rows = list(ws.iter_rows(values_only=True))
    names = [r[0] for r in await app.bot_data.db.read(lambda c: c.execute(
        "SELECT full_name FROM users WHERE full_name IS NOT NULL").fetchall())]
    cells = {str(v) for r in rows for v in r if v is not None}
    assert not any(name in cell for name in names for cell in cells)
    assert "T-EXP-4" not in cells  # no session: it would narrow a group down to its attendees
    header = list(rows[0])
    assert header[:6] == columns(fr, *EVALUATION_COLUMNS)
    hot = [r for r in rows[1:] if r[2] == vocab.evaluation_kind(fr, "hot")]
    cold = [r for r in rows[1:] if r[2] == vocab.evaluation_kind(fr, "cold")]
    assert len(hot) == 5 and len(cold) == 5
    # Five women of one administration: both dimensions may be shown.
    assert {r[4:6] for r in rows[1:]} == {("Haut-Commissariat au Plan", fr.pgettext("sex", "Woman"))}
    column = {h: i for i, h in enumerate(header)}
    satisfaction = column[fr.pgettext("evaluation", "Hot") + ": Dans l'ensemble, je suis :"]
    assert sorted(r[satisfaction] for r in hot) == [3, 4, 4, 5, 5]
    hot_label = fr.pgettext("evaluation", "Hot")
    recommend = column[hot_label + ": Je recommanderais cette formation à un(e) collègue."]
    assert {r[recommend] for r in hot} == {"Oui"}
    obstacles = [h for h in header if h.startswith(fr.pgettext("evaluation", "Cold") + ": Qu'est-ce qui")][0]
    assert {r[column[obstacles]] for r in cold} == {"Pas le temps, Pas les outils nécessaires"}


def candidates(registrations: tuple, evaluation_header: list[str], row: list[str], t) -> set[str]:
    """The join attack: the people of the registrations export who attended and match every
    column the evaluation row shares with it. A value the registrations never show (a pooled or
    hidden group) matches anything: the attacker gets no help from it, but no hindrance either."""
    header, people = registrations
    shared = [h for h in evaluation_header if h in header]
    values = {h: {p[header.index(h)] for p in people} for h in shared}
    shown = {h: row[evaluation_header.index(h)] for h in shared}
    wanted = {h: v for h, v in shown.items() if v in values[h]}
    status, name = header.index(t.pgettext("column", "Status")), header.index(t.pgettext("column", "Name"))
    return {p[name] for p in people if p[status] == vocab.status(t, "attended")
            and all(p[header.index(h)] == v for h, v in wanted.items())}


async def test_evaluations_cannot_be_joined_back_to_a_person(app, person, fr):
    """Export both files as CSV through the bot, join them as an attacker would, and find that
    no answer points at fewer than 5 people. Before, the one man of the Ministry of Finance in
    session T-JOIN-1 was singled out by (session, sex, administration)."""
    first = await finished_session(app, "T-JOIN-1", [*[(9200 + i, "F", "MJ", "attended") for i in range(5)],
                                                     (9205, "M", "MEF", "attended")])
    second = await finished_session(app, "T-JOIN-2", [
        *[(9210 + i, "M", "MJ", "attended") for i in range(3)],
        *[(9213 + i, "F", "MEF", "attended") for i in range(3)],
        *[(9216 + i, "F", "MSPS", "attended") for i in range(2)]])
    third = await finished_session(app, "T-JOIN-3", [(9220 + i, sex, "MJ", "attended")
                                                     for i, sex in enumerate("FFFFFMMMMM")],
                                   training="DAT-201")
    fourth = await finished_session(app, "T-JOIN-4", [(9230 + i, "F", "MEF", "attended") for i in range(3)],
                                    training="EGV-101")
    for sid, n in ((first, 6), (second, 8), (third, 10), (fourth, 3)):
        await evaluate(app, sid, [1 + i % 5 for i in range(n)])
    coord = await staff(app, person, 9240, "fr")
    registrations = table(await export(coord, fr, "registrations", "csv"))
    header, rows = table(await export(coord, fr, "evaluations", "csv"))

    assert rows
    for row in rows:
        found = candidates(registrations, header, row, fr)
        assert len(found) >= 5, (row[:6], found)
        # ... and within the file itself, at least 5 answers look the same on what they show.
        assert sum(other[:6] == row[:6] for other in rows) >= 5, row[:6]

    # How the rule chose, training by training.
    title = {code: (await app.bot_data.db.read(lambda c, code=code: c.execute(
        "SELECT title_fr FROM trainings WHERE code = ?", (code,)).fetchone()))[0]
        for code in ("CYB-101", "DAT-201", "EGV-101")}
    shown = {}
    for row in rows:
        shown.setdefault(row[0], []).append((row[4], row[5]))
    woman, man = fr.pgettext("sex", "Woman"), fr.pgettext("sex", "Man")
    hidden = fr.pgettext("anonymised", "Not shown (fewer than {min} people)", min="5")
    pooled = fr.pgettext("anonymised", "Other administrations (fewer than {min} people each)", min="5")
    justice = "Ministère de la Justice"
    assert sorted(shown[title["DAT-201"]]) == sorted([(justice, woman)] * 5 + [(justice, man)] * 5)
    # 5 women and 3 men of Justice: their sex is not shown (the 3 men would be the rest).
    # Finance (4) and Health (2) are pooled (6), with the sex hidden for the 1 man.
    assert sorted(shown[title["CYB-101"]]) == sorted([(justice, hidden)] * 8 + [(pooled, hidden)] * 6)
    assert title["EGV-101"] not in shown  # 3 people in all: left out
    # A focal point's file is the national file's rows of their administration, no more: the
    # two compared tell nothing that either does not.
    focal = await staff(app, person, 9241, "fr", "focal_point", "MJ")
    _, theirs = table(await export(focal, fr, "evaluations", "csv"))
    assert sorted(theirs) == sorted(row for row in rows if row[4] == justice)


async def test_indicators_export(app, person, fr):
    coord = await staff(app, person, 9050, "fr")
    message = await export(coord, fr, "indicators", "csv")
    rows = read_csv(message)
    assert rows[0][:4] == columns(fr, "Breakdown", "Group", "Sex", "Registrations")
    everyone = next(r for r in rows if r[0] == fr.pgettext("breakdown", "All") and r[2] == r[1])
    assert int(everyone[3]) == await live(app, "COUNT(*)")
    # Registrations split as on the dashboard: confirmed, pending, cancelled.
    assert rows[0][4:8] == columns(fr, "Confirmed", "Pending", "Waitlist", "Cancelled")
    assert int(everyone[3]) == int(everyone[4]) + int(everyone[5]) + int(everyone[7])
    assert int(everyone[7]) == await live(app, "COUNT(*)", "g.status IN ('cancelled', 'declined', 'lapsed',"
                                                           " 'rejected')")
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
    for press in (MakeExport("registrations", "xlsx"), ChooseFormat("registrations")):
        await official.click_data(press.pack(), shown[-1])
        assert official.last_answer["text"] == fr._("This command is reserved for coordinators and focal "
                                                    "points.")
    assert all(m.document is None for m in official.messages)
    coord = await staff(app, person, 9071, "fr")
    menu = (await coord.send("/export"))[-1]
    for data in (MakeExport("passwords", "xlsx").pack(), MakeExport("registrations", "pdf").pack(),
                 ChooseFormat("passwords").pack(), "v1:exp:registrations:xlsx", "v1:exp:f:registrations"):
        await coord.click_data(data, menu)
        assert coord.last_answer["text"] == fr._("This button is no longer valid."), data
    assert all(m.document is None for m in coord.messages)


async def test_evaluations_and_indicators_in_arabic(app, person, ar):
    sid = await finished_session(app, "T-EXP-6", [(9080 + i, "F", "MJ", "attended") for i in range(5)])
    await evaluate(app, sid, [5, 4, 4, 3, 5])
    other = await finished_session(app, "T-EXP-7", [(9100 + i, "F", "MJ", "attended") for i in range(2)],
                                   training="DAT-201")
    await evaluate(app, other, [5, 4])  # two people: left out
    focal = await staff(app, person, 9090, "ar", "focal_point", "MJ")
    message = await export(focal, ar, "evaluations", "xlsx")
    ws = sheet_of(message)
    assert ws.sheet_view.rightToLeft is True
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][:6]) == columns(ar, *EVALUATION_COLUMNS)
    assert ar.pgettext("evaluation", "Hot") + ": بشكل عام، أنا:" in rows[0]
    assert len(rows) - 1 == 5
    assert {r[2] for r in rows[1:]} == {vocab.evaluation_kind(ar, "hot")}
    assert {r[4:6] for r in rows[1:]} == {("وزارة العدل", ar.pgettext("sex", "Woman"))}
    message = await export(focal, ar, "indicators", "csv")
    table = read_csv(message)
    assert table[0][:3] == columns(ar, "Breakdown", "Group", "Sex")
    assert {r[1] for r in table[1:] if r[0] == ar.pgettext("breakdown", "Administration")} == {"وزارة العدل"}


async def test_the_format_question_says_how_evaluations_are_anonymised(app, person, fr, ar):
    for t, uid in ((fr, 9110), (ar, 9111)):
        coord = await staff(app, person, uid, t.lang)
        await coord.send("/export")
        await coord.click(t._("Evaluations"))
        note = t._("Answers are exported without names, by training: no session, no date. An "
                   "administration or a sex is shown only where at least {min} people share it; "
                   "smaller groups are pooled or left out.", min=t.number(5))
        assert plain(note) in coord.last_message.text


async def test_csv_for_excel_uses_semicolons_and_decimal_commas(app, person, fr, ar):
    """The default CSV opens in one click in Excel set up in French (or Arabic): ";" between
    fields, "66,7" for numbers; the other one is comma-separated with a decimal point. Both
    keep the BOM and hold the same table."""
    await finished_session(app, "T-EXP-CSV", [(9301, "F", "MJ", "attended", "Salma, Alaoui"),
                                              (9302, "M", "MJ", "absent", "Omar; Bennani")])
    for t, uid in ((fr, 9300), (ar, 9303)):
        coord = await staff(app, person, uid, t.lang)
        await coord.send("/export")
        await coord.click(t._("Indicators"))
        shown = coord.last_message
        assert [t._("CSV (Excel, ;)"), t._("CSV (,)")] in shown.buttons
        assert plain(t._("<i>CSV (Excel, ;)</i> opens in one click in Excel set up in French or Arabic "
                         "(semicolons, decimal comma); <i>CSV (,)</i> is for other programs (commas, "
                         "decimal point).")) in shown.text
        excel = await export(coord, t, "indicators", "csv")
        other = await export(coord, t, "indicators", "csvc")
        for message in (excel, other):
            assert message.document.data.startswith(b"\xef\xbb\xbf")
            assert message.document.filename.endswith(".csv")
        semi, comma = read_csv(excel), read_csv(other, ",")
        header = columns(t, "Breakdown", "Group", "Sex", "Registrations")
        assert semi[0][:4] == header and comma[0][:4] == header
        assert len(semi) == len(comma) and all(len(r) == len(semi[0]) for r in semi)
        rate = semi[0].index(t.pgettext("column", "Attendance rate (%)"))
        rates = [(a[rate], b[rate]) for a, b in zip(semi[1:], comma[1:], strict=True) if a[rate]]
        assert rates and all(a == b.replace(".", ",") for a, b in rates)
        assert any("," in a for a, _ in rates) and not any("," in b for _, b in rates)
        assert all(float(a.replace(",", ".")) == float(b) for a, b in rates)
    # Names holding the separators come back whole.
    names = {r[5] for r in read_csv(await export(coord, ar, "attendance", "csv"))}
    assert {"Salma, Alaoui", "Omar; Bennani"} <= names
