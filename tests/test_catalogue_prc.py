"""The `prc` sheet of the catalogue workbook: lines of competence plans with the chat's checks,
each problem on its sheet, row and column in the coordinator's language, a preview, then all or
nothing; importing the same file again adds nothing."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from bot.services.workbook import FORMATIONS, SESSIONS
from bot.services.workbook_extra import PRC
from bot.storage import plans as repo
from tests.test_catalogue_import import TRAINING, coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def line(**cells) -> list:
    row = {"administration": "MEF", "periode": "2027-2028", "theme": "CYBER", "formation": "",
           "axe": "", "poste": "", "niveau": "", "region": "", "personnes": 20, "femmes": 8,
           "heures": 120, "semestre": "2027-S1", "priorite": 1} | cells
    return [row[c] for c in PRC]


def workbook(lines, trainings=(TRAINING,)) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "formations"
    ws.append(FORMATIONS)
    for t in trainings:
        ws.append(list(t))
    wb.create_sheet("sessions").append(SESSIONS)
    prc = wb.create_sheet("prc")
    prc.append(PRC)
    for row in lines:
        prc.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def plan_lines(app, administration="MEF"):
    return await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT v.number, v.status, l.theme_code, t.code, l.track, l.position_code, l.level,"
        " l.region_code, l.target_people, l.target_women, l.target_hours, l.semester, l.priority"
        " FROM plan_lines l JOIN plan_versions v ON v.id = l.version_id JOIN plans p ON p.id = v.plan_id"
        " LEFT JOIN trainings t ON t.id = l.training_id WHERE p.administration_code = ?"
        " ORDER BY l.id", (administration,)).fetchall())


async def test_plan_lines_are_previewed_then_added_once(app, person, fr):
    c = await coordinator(app, person)
    data = workbook([
        line(theme="الأمن السيبراني وحماية المعطيات", poste="Cadre", niveau="Territorial",
             region="Rabat-Salé-Kénitra"),  # names, in either language, any case
        line(administration="mef", theme="", formation="NEW-101", personnes="12", femmes="",
             heures="", semestre="2028-s2", priorite=""),  # a training of this same file
        line(administration="EXEMPLE-MEF"),
    ])
    shown = await c.upload(data, "prc.xlsx", XLSX)
    preview = shown[-1].text
    assert fr.ngettext("{n} new plan line", "{n} new plan lines", 2) in preview
    assert fr._("➕ New plan {key}, its line", key="MEF 2027-2028") in preview
    assert "poste: cadre" in preview and "region: RSK" in preview and "formation: NEW-101" in preview
    assert fr.ngettext("{n} example row skipped (never applied).",
                       "{n} example rows skipped (never applied).", 1) in preview
    assert await plan_lines(app) == []
    await c.click(fr._("✅ Apply"))
    assert fr._("✅ The catalogue is updated.") in c.last_message.text
    assert [tuple(r) for r in await plan_lines(app)] == [
        (1, "draft", "CYBER", None, "operationnel", "cadre", "territorial", "RSK", 20, 8, 120.0,
         "2027-S1", 1),
        (1, "draft", None, "NEW-101", "operationnel", None, None, None, 12, 0, 0.0, "2028-S2", 2)]
    # The same file again: the lines are there, nothing to add.
    shown = await c.upload(data, "prc.xlsx", XLSX)
    assert fr._("Nothing to change: the workbook matches the catalogue.") in shown[-1].text
    assert len(await plan_lines(app)) == 2
    created = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT COUNT(*) FROM audit WHERE action = 'plan_create'").fetchone())
    assert created[0] == 1


async def test_every_problem_of_a_line_is_shown_and_nothing_is_written(app, person, ar, fr):
    # MJ's 2027-2028 plan was submitted: its lines can no longer change.
    def submitted(conn):
        plan_id, version_id = repo.create_plan(conn, "MJ", 2027, 2028, None, app.bot_data.clock.now())
        repo.set_status(conn, version_id, "submitted", None, app.bot_data.clock.now())

    await app.bot_data.db.write(submitted)
    rows = [line(femmes=30),  # row 2: more women than people
            line(semestre="2030-S1", priorite=7),  # row 3: two problems
            line(administration="XYZ"),  # row 4
            line(periode="2027"),  # row 5
            line(administration="MJ"),  # row 6: a submitted plan
            line(theme="", formation=""),  # row 7
            line()]  # row 8: fine, yet not applied
    data = workbook(rows)
    for client, t in ((await coordinator(app, person, "ar", 9810), ar),
                      (await coordinator(app, person, "fr", 9811), fr)):
        shown = await client.upload(data, "prc.xlsx", XLSX)
        text = shown[-1].text
        assert t.ngettext("<b>The workbook has {n} problem</b>; nothing was changed:",
                          "<b>The workbook has {n} problems</b>; nothing was changed:",
                          7).replace("<b>", "").replace("</b>", "") in text

        def where(row, column, t=t):
            return t.join([t._("sheet {sheet}", sheet="prc"), t._("row {row}", row=t.number(row)),
                           t._("column {column}", column=column)])

        expected = [
            (2, "femmes", t._("There are more women than people.")),
            (3, "semestre", t._("This semester is outside the plan's period.")),
            (3, "priorite", t._("The priority must be 1, 2 or 3.")),
            (4, "administration", t._("Unknown administration “{value}”.", value="XYZ")),
            (5, "periode", t._("“{value}” is not a period of at most six years like 2027-2028.",
                               value="2027")),
            (6, "periode", t._("The plan {value} is {extra}: only a draft's lines can change (start a "
                               "new version of it first).", value="MJ 2027-2028",
                               extra=t.pgettext("plan status", "submitted"))),
            (7, "theme", t._("Give a theme or a training.")),
        ]
        for row, column, reason in expected:
            assert f"• {where(row, column)}: {reason}" in text, (row, column)
    assert await plan_lines(app) == [] and await plan_lines(app, "MJ") == []


async def test_the_template_has_a_prc_sheet_with_an_example(app, person, ar):
    c = await coordinator(app, person, "ar", 9820)
    shown = await c.send("/template")
    book = load_workbook(io.BytesIO(shown[-1].document.data))
    rows = list(book["prc"].iter_rows(values_only=True))
    assert list(rows[0]) == PRC and rows[1][0] == "EXEMPLE-MEF" and len(rows) == 2
    help_rows = [r for r in book[book.sheetnames[2]].iter_rows(values_only=True) if r[0] == "prc"]
    assert [r[1] for r in help_rows] == PRC
    assert help_rows[PRC.index("femmes")][3] == ar._("Of which women (0 if empty).")
