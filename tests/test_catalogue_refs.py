"""The reference lists as data: the workbook's administrations, themes and postes sheets add or
change entries (checked, previewed, all or nothing), and a new administration is at once in
onboarding's search and in a plan line of the same file — no code change."""

from __future__ import annotations

import io

from openpyxl import Workbook

from bot.services.workbook import FORMATIONS, SESSIONS
from bot.services.workbook_extra import PRC, REFERENCES
from tests.conftest import db_row
from tests.test_catalogue_import import coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(trainings=(), prc=(), **sheets) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "formations"
    ws.append(FORMATIONS)
    for t in trainings:
        ws.append(list(t))
    wb.create_sheet("sessions").append(SESSIONS)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        sheet.append(REFERENCES[name][1])
        for row in rows:
            sheet.append(list(row))
    if prc:
        sheet = wb.create_sheet("prc")
        sheet.append(PRC)
        for row in prc:
            sheet.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_a_new_administration_theme_and_position_need_no_code_change(app, person, fr):
    c = await coordinator(app, person)
    data = workbook(
        administrations=[
            ["ANRT", "Agence nationale de réglementation des télécommunications",
             "الوكالة الوطنية لتقنين المواصلات", "MTNRA", ""],
            ["mj", "Ministère de la Justice (Maroc)", "", "", ""],  # a name changed, any case
            ["EXEMPLE-ADM", "Exemple", "مثال", "", ""]],
        themes=[["CLOUD", "Informatique en nuage", "الحوسبة السحابية", "strategique"]],
        postes=[["expert", "Expert", "خبير"]],
        trainings=[["CLD-101", "Le cloud", "السحابة", "", "", "Informatique en nuage", "distanciel", 6,
                    "strategique"]],
        prc=[["ANRT", "2027-2028", "CLOUD", "", "", "Expert", "", "", 10, 4, 60, "2027-S2", 1]])
    shown = await c.upload(data, "refs.xlsx", XLSX)
    preview = shown[-1].text
    assert fr.ngettext("{n} reference entry created or changed",
                       "{n} reference entries created or changed", 4) in preview
    for head in (fr._("➕ New administration {key}", key="ANRT"), fr._("✏️ Administration {key}", key="MJ"),
                 fr._("➕ New theme {key}", key="CLOUD"), fr._("➕ New position {key}", key="expert"),
                 fr._("➕ New plan {key}, its line", key="ANRT 2027-2028")):
        assert head in preview, head
    assert "parent: MTNRA" in preview
    assert (await db_row(app, "SELECT COUNT(*) FROM administrations WHERE code = 'ANRT'"))[0] == 0
    await c.click(fr._("✅ Apply"))
    assert fr._("✅ The catalogue is updated.") in c.last_message.text
    row = await db_row(app, "SELECT name_ar, parent_code, active FROM administrations WHERE code = 'ANRT'")
    assert tuple(row) == ("الوكالة الوطنية لتقنين المواصلات", "MTNRA", 1)
    assert (await db_row(app, "SELECT name_fr FROM administrations WHERE code = 'MJ'"))[0] == \
        "Ministère de la Justice (Maroc)"
    assert tuple(await db_row(app, "SELECT kind FROM themes WHERE code = 'CLOUD'")) == ("strategique",)
    assert (await db_row(app, "SELECT theme_code FROM trainings WHERE code = 'CLD-101'"))[0] == "CLOUD"
    line = await db_row(app, "SELECT l.theme_code, l.position_code, l.track FROM plan_lines l"
                             " JOIN plan_versions v ON v.id = l.version_id JOIN plans p ON p.id = v.plan_id"
                             " WHERE p.administration_code = 'ANRT'")
    assert tuple(line) == ("CLOUD", "expert", "strategique")
    # The lists the screens read were reloaded: a newcomer finds the agency by typing its name.
    found = app.bot_data.reference.search_administrations("réglementation télécommunications")
    assert [a.code for a in found] == ["ANRT"]
    assert app.bot_data.reference.get("positions", "expert").name_ar == "خبير"
    # Hiding it keeps it (and what it counts) but takes it out of the choices.
    await c.upload(workbook(administrations=[["ANRT", "", "", "", "non"]]), "refs.xlsx", XLSX)
    await c.click(fr._("✅ Apply"))
    assert app.bot_data.reference.search_administrations("réglementation") == []
    assert (await db_row(app, "SELECT active FROM administrations WHERE code = 'ANRT'"))[0] == 0


async def test_reference_problems_are_shown_and_nothing_is_written(app, person, fr, ar):
    data = workbook(
        administrations=[
            ["A B", "Nom", "اسم", "", ""],  # row 2: not a code
            ["NOUV", "Nouvelle", "", "", ""],  # row 3: a new entry needs both names
            ["MEF", "", "", "HCP", ""],  # row 4 and 5: a cycle
            ["HCP", "", "", "MEF", ""],
            ["NOUV2", "Nouvelle 2", "جديدة 2", "ZZZ", "peut-être"]],  # row 6: two problems
        themes=[["CLOUD", "Nuage", "سحابة", "les deux"]])
    for client, t in ((await coordinator(app, person, "ar", 9830), ar),
                      (await coordinator(app, person, "fr", 9831), fr)):
        text = (await client.upload(data, "refs.xlsx", XLSX))[-1].text

        def where(sheet, row, column, t=t):
            return t.join([t._("sheet {sheet}", sheet=sheet), t._("row {row}", row=t.number(row)),
                           t._("column {column}", column=column)])

        for sheet, row, column, reason in [
            ("administrations", 2, "code", t._("“{value}” is not a code: 1 to 20 letters, digits, - or _.",
                                               value="A B")),
            ("administrations", 3, "nom_ar", t._("This cell is required.")),
            ("administrations", 4, "parent", t._("An administration cannot be its own parent, even "
                                                 "through others.")),
            ("administrations", 5, "parent", t._("An administration cannot be its own parent, even "
                                                 "through others.")),
            ("administrations", 6, "parent", t._("Unknown administration “{value}”.", value="ZZZ")),
            ("administrations", 6, "actif", t.to_person("“{value}” is not allowed here; use one of: {extra}.",
                                                        value="peut-être", extra="oui, non")),
            ("themes", 2, "type", t.to_person("“{value}” is not allowed here; use one of: {extra}.",
                                              value="les deux", extra="strategique, operationnel")),
        ]:
            assert f"• {where(sheet, row, column)}: {reason}" in text, (sheet, row, column)
    assert (await db_row(app, "SELECT COUNT(*) FROM administrations WHERE code LIKE 'NOUV%'"))[0] == 0
    assert (await db_row(app, "SELECT parent_code FROM administrations WHERE code = 'MEF'"))[0] is None
