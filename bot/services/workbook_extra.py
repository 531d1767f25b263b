"""The catalogue workbook's optional sheets (pure, read in the worker like the others): `prc`,
lines of competence plans, and the reference lists a national coordinator manages —
`administrations`, `themes` and `postes`. A sheet that is absent changes nothing.

Cells are read as text here; codes, names and numbers are checked against the database (and the
other sheets of the same file) by bot/services/catalogue_prc.py and catalogue_refs.py, with the
same checks as a plan line typed in the chat (bot/services/plan_lines.py)."""

from __future__ import annotations

from bot.services.workbook_cells import formulas, is_example

PRC = ["administration", "periode", "theme", "formation", "axe", "poste", "niveau", "region",
       "personnes", "femmes", "heures", "semestre", "priorite"]
# Sheet → (table, columns). Codes never change; a blank cell leaves a stored value unchanged.
REFERENCES = {
    "administrations": ("administrations", ["code", "nom_fr", "nom_ar", "parent", "actif"]),
    "themes": ("themes", ["code", "nom_fr", "nom_ar", "type"]),
    "postes": ("positions", ["code", "nom_fr", "nom_ar"]),
}
REQUIRED_EXTRA = {"prc": {"administration", "periode", "personnes", "semestre"},
                  **{sheet: {"code"} for sheet in REFERENCES}}
EXTRA_SHEETS = ("prc", *REFERENCES)


def read_extra(wb, names: dict[str, str], problems: list, with_formulas, parsed,
               sheets=EXTRA_SHEETS) -> None:
    """Fill parsed.plan_lines and parsed.references from the optional sheets present."""
    from bot.services.workbook import Problem, cell_text, sheet_rows

    for sheet in sheets:
        if sheet not in names:
            continue
        columns = PRC if sheet == "prc" else REFERENCES[sheet][1]
        key = "administration" if sheet == "prc" else "code"
        found = (lambda width, s=sheet: formulas(with_formulas[names[s]], width)) if with_formulas else None
        seen: dict[str, int] = {}
        rows = []
        for row, record in sheet_rows(wb[names[sheet]], sheet, columns, problems, found,
                                      required=REQUIRED_EXTRA[sheet]):
            cells = {c: cell_text(record.get(c)) for c in columns if cell_text(record.get(c)) != ""}
            if is_example(cells.get(key, "")):
                parsed.examples += 1
                continue
            if sheet != "prc":
                code = cells.get("code", "")
                if not code:
                    problems.append(Problem(sheet, row, "code", "required"))
                    continue
                if code.upper() in seen:
                    problems.append(Problem(sheet, row, "code", "duplicate", code, str(seen[code.upper()])))
                    continue
                seen[code.upper()] = row
            rows.append({"row": row, **cells})
        if sheet == "prc":
            parsed.plan_lines = rows
        else:
            parsed.references[sheet] = rows
