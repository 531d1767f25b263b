"""Input that looks harmless and is not: numbers typed or forged with "²", "①" or other scripts'
digits, names that print blank, and catalogue texts that a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from openpyxl import load_workbook

from tests.conftest import ADMIN_ID, db_row, grant, make_session, onboard
from tests.reports_data import finished_session, staff
from tests.test_evaluations import attended
from tests.test_exports import export
from tests.test_onboarding import is_arabic_first

# --- formulas in catalogue texts --------------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://x","y")'


async def _catalogue_with_formulas(app):
    """A training titled with a formula, and a session whose reference is "+1"."""
    sid = await finished_session(app, "+1", [(9980, "F", "MJ", "attended", "@Nadia Formule")])
    await app.bot_data.db.write(lambda conn: conn.execute(
        "UPDATE trainings SET title_fr = ?, title_ar = ? WHERE id = (SELECT training_id FROM sessions"
        " WHERE id = ?)", (FORMULA_TITLE, "-" + FORMULA_TITLE, sid)))
    return sid


@pytest.mark.parametrize("kind", ["registrations", "attendance"])
async def test_catalogue_texts_are_never_formulas_in_xlsx(app, person, fr, ar, kind):
    await _catalogue_with_formulas(app)
    for lang, t in (("fr", fr), ("ar", ar)):
        coord = await staff(app, person, 9981 if lang == "fr" else 9982, lang)
        sheet = load_workbook(io.BytesIO((await export(coord, t, kind, "xlsx")).document.data)).worksheets[0]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value in ("+1", "'+1"))
        title = FORMULA_TITLE if lang == "fr" else "-" + FORMULA_TITLE
        assert (row[0].data_type, row[0].value) == ("s", "'+1")
        assert (row[1].data_type, row[1].value) == ("s", "'" + title)
        name = next(c for c in row if "Nadia Formule" in str(c.value))
        assert (name.data_type, name.value) == ("s", "'@Nadia Formule")


async def test_catalogue_texts_are_never_formulas_in_csv(app, person, fr):
    await _catalogue_with_formulas(app)
    coord = await staff(app, person, 9983, "fr")
    data = (await export(coord, fr, "registrations", "csv")).document.data
    row = next(r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if r[0].endswith("+1"))
    assert row[:2] == ["'+1", "'" + FORMULA_TITLE]
    assert "'@Nadia Formule" in row
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
