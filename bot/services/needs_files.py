"""The results of a needs survey as XLSX, in the reader's language: one sheet, the themes with
their figures, then each theme's breakdowns, the constraints, the interest lists and the
self-assessment (the same figures, hidden groups included, as the chat's text)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.i18n import Translator
from bot.services import vocabulary
from bot.services.needs_survey import constraint_word
from bot.services.needs_view import OTHERS, Results
from bot.services.reference import ReferenceData
from bot.services.spreadsheet import safe_text


def _name(t: Translator, ref: ReferenceData, kind: str, code: str | None) -> str:
    if code == OTHERS:
        return t._("others")
    if kind == "sex":
        return vocabulary.sex(t, code)
    found = ref.get(kind, code)
    return t.pick(found.name_fr, found.name_ar) if found else t._("not given")


def rows(t: Translator, r: Results, ref: ReferenceData) -> list[list]:
    """The sheet's rows (a hidden group: its cell says so)."""
    hidden = t._("under 5, hidden")
    out: list[list] = [[t._("Theme"), t._("People"), t._("Mean level (1–4)"), t._("Preferred modality")]]
    for th in r.themes:
        out.append([_name(t, ref, "themes", th.theme), th.people,
                    th.mean_level if th.mean_level is not None else hidden,
                    vocabulary.modality(t, th.modality) if th.modality else hidden])
    out.append([])
    out.append([t._("Theme"), t._("Breakdown"), t._("Group"), t._("People")])
    for th in r.themes:
        for dimension, kind in (("position", "positions"), ("sex", "sex"), ("region", "regions")):
            for code, n in th.breakdowns[dimension]:
                out.append([_name(t, ref, "themes", th.theme), vocabulary.dimension(t, dimension)
                            if dimension != "position" else t._("Position"),
                            _name(t, ref, kind, code), n if n is not None else hidden])
    out.append([])
    out.append([t._("Constraint"), t._("People")])
    out.extend([constraint_word(t, c), n] for c, n in r.constraints)
    out.append([])
    out.append([t._("Training (interest lists)"), t._("People")])
    out.extend([t.pick(fr, ar), n] for fr, ar, n in r.demand)
    out.append([])
    out.append([t._("Digital skills area (self-assessment)"), t._("Mean (1–5)")])
    out.extend([t.pick(fr, ar), mean] for fr, ar, mean in r.areas)
    return out


def xlsx(t: Translator, r: Results, ref: ReferenceData) -> bytes:
    """The workbook's bytes. CPU-bound: call it in a thread."""
    import xlsxwriter  # on first use: the bot's idle memory does not pay for it

    with tempfile.TemporaryDirectory(prefix="etamkeen-needs-") as folder:
        path = Path(folder) / "needs.xlsx"
        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        try:
            ws = book.add_worksheet("needs")
            if t.rtl:
                ws.right_to_left()
            ws.set_column(0, 0, 40)
            ws.set_column(1, 3, 20)
            for i, row in enumerate(rows(t, r, ref)):
                for j, value in enumerate(row):
                    if isinstance(value, str):
                        ws.write_string(i, j, safe_text(value))
                    else:
                        ws.write_number(i, j, value)
        finally:
            book.close()
        return path.read_bytes()
