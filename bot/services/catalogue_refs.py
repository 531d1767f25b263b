"""The reference lists as data a national coordinator manages: the workbook's `administrations`
(code, names, parent, active), `themes` (code, names, type) and `postes` (code, names) sheets,
checked, previewed field by field and applied with the rest of the import, all or nothing. A new
administration then appears in onboarding, quotas and plans with no change to the code.

Codes never change (they are what profiles, trainings and plans hold): a row whose code exists
(in any letter case) changes that entry, another one creates it. Nothing is deleted: an
administration that no longer exists is made inactive (`actif` = non), which hides it from the
choices and keeps what it counts."""

from __future__ import annotations

import re
import sqlite3

from bot.services.catalogue_plan import Change, Plan
from bot.services.workbook import Problem
from bot.services.workbook_cells import CLEAR
from bot.services.workbook_extra import REFERENCES
from bot.text import fold

_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
MAX_NAME = 200
KIND = {"administrations": "administration", "themes": "theme", "positions": "position"}
# Sheet column → table column.
FIELDS = {"nom_fr": "name_fr", "nom_ar": "name_ar", "parent": "parent_code", "actif": "active",
          "type": "kind"}
CHOICES = {"actif": ("oui", "non"), "type": ("strategique", "operationnel")}
DEFAULTS = {"parent_code": None, "active": 1, "kind": "operationnel"}


def _stored(conn: sqlite3.Connection, table: str) -> dict[str, dict]:
    """Upper-cased code → the stored entry (its columns of this sheet)."""
    columns = ["code", *[FIELDS[c] for c in REFERENCES_COLUMNS[table] if c != "code"]]
    return {r[0].upper(): dict(zip(columns, r, strict=True))
            for r in conn.execute(f"SELECT {', '.join(columns)} FROM {table}")}


REFERENCES_COLUMNS = {table: columns for table, columns in REFERENCES.values()}


def plan_refs(conn: sqlite3.Connection, sheets: dict[str, list[dict]], out: Plan) -> dict:
    """Add the changes of the reference sheets to `out`; return the new entries by table,
    {code: (name_fr, name_ar)}, for the sheets read after (prc) to know them."""
    new: dict[str, dict[str, tuple[str, str]]] = {}
    parents: dict[str, str | None] = {}
    administrations = _stored(conn, "administrations")
    for sheet, (table, columns) in REFERENCES.items():
        stored = administrations if table == "administrations" else _stored(conn, table)
        for item in sheets.get(sheet, []):
            change = _row(sheet, table, columns, item, stored, administrations, sheets, out)
            if change is None:
                continue
            if change.new:
                new.setdefault(table, {})[change.key] = (change.values["name_fr"], change.values["name_ar"])
            if table == "administrations":
                parents[change.key] = change.values.get("parent_code")
    _cycles(administrations, parents, sheets.get("administrations", []), out)
    return new


def _row(sheet, table, columns, item, stored, administrations, sheets, out: Plan) -> Change | None:
    row, before = item["row"], len(out.problems)

    def bad(column, code, value="", extra=""):
        out.problems.append(Problem(sheet, row, column, code, value, extra))

    code = item["code"]
    if not _CODE.fullmatch(code):
        bad("code", "bad_code", code)
        return None
    current = stored.get(code.upper())
    code = current["code"] if current else code
    given: dict[str, str | int | None] = {}
    for column in columns[1:]:
        if column not in item:
            continue
        text, field = item[column], FIELDS[column]
        if text == CLEAR:
            if column == "parent":
                given[field] = None
            else:
                bad(column, "not_clearable")
        elif column in CHOICES:
            if text.lower() not in CHOICES[column]:
                bad(column, "bad_choice", text, ", ".join(CHOICES[column]))
            elif column == "actif":
                given[field] = int(text.lower() == "oui")
            else:
                given[field] = text.lower()
        elif column == "parent":
            in_file = {r["code"].upper(): r["code"] for r in sheets.get("administrations", [])}
            found = administrations.get(text.upper())
            if found is None and text.upper() not in in_file:
                bad(column, "unknown_administration", text)
            given[field] = found["code"] if found else in_file.get(text.upper(), text)
        elif len(text) > MAX_NAME:
            bad(column, "too_long", text[:40] + "…", str(MAX_NAME))
        else:
            given[field] = text
    old = current or {f: None for f in ["code", *[FIELDS[c] for c in columns[1:]]]}
    values = ({f: DEFAULTS.get(f) for f in old} | {"code": code} if current is None else dict(old)) | given
    if current is None:
        for column in ("nom_fr", "nom_ar"):
            if not values.get(FIELDS[column]):
                bad(column, "required")
    if len(out.problems) > before:
        return None
    fields = [(column, _shown(column, old[FIELDS[column]]), _shown(column, values[FIELDS[column]]))
              for column in columns[1:] if values[FIELDS[column]] != old[FIELDS[column]]]
    if not fields:
        out.unchanged += 1
        return None
    change = Change(KIND[table], code, current is None, fields, values)
    out.changes.append(change)
    return change


def _shown(column: str, value):
    return ("oui" if value else "non") if column == "actif" and value is not None else value


def _cycles(stored: dict, parents: dict, rows: list[dict], out: Plan) -> None:
    """An administration may not be its own ancestor."""
    graph = {code: entry.get("parent_code") for code, entry in stored.items()}
    graph |= {code.upper(): parent for code, parent in parents.items()}
    for item in rows:
        seen, code = set(), item["code"].upper()
        while code is not None and code not in seen:
            seen.add(code)
            parent = graph.get(code)
            code = parent.upper() if parent else None
        if code is not None and code == item["code"].upper():
            out.problems.append(Problem("administrations", item["row"], "parent", "parent_cycle",
                                        item.get("parent", "")))


def apply_refs(conn: sqlite3.Connection, changes: list[Change]) -> int:
    """Write the entries (administrations first without parents, then their parents: a parent
    may come later in the sheet). Returns how many changed."""
    done = 0
    for c in changes:
        if c.kind not in KIND.values():
            continue
        v, done = c.values, done + 1
        if c.kind == "administration":
            conn.execute(
                "INSERT INTO administrations (code, name_fr, name_ar, search_text, active)"
                " VALUES (:code, :name_fr, :name_ar, :search, :active) ON CONFLICT (code) DO UPDATE SET"
                " name_fr = excluded.name_fr, name_ar = excluded.name_ar,"
                " search_text = excluded.search_text, active = excluded.active",
                {**v, "search": fold(f"{v['code']} {v['name_fr']} {v['name_ar']}")})
        elif c.kind == "theme":
            conn.execute(
                "INSERT INTO themes (code, name_fr, name_ar, kind, sort) VALUES (:code, :name_fr,"
                " :name_ar, :kind, (SELECT IFNULL(MAX(sort), 0) + 1 FROM themes)) ON CONFLICT (code)"
                " DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar,"
                " kind = excluded.kind", v)
        else:
            conn.execute(
                "INSERT INTO positions (code, name_fr, name_ar, sort) VALUES (:code, :name_fr,"
                " :name_ar, (SELECT IFNULL(MAX(sort), 0) + 1 FROM positions)) ON CONFLICT (code)"
                " DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar", v)
    for c in changes:
        if c.kind == "administration":
            conn.execute("UPDATE administrations SET parent_code = ? WHERE code = ?",
                         (c.values.get("parent_code"), c.key))
    return done


def plan_changes(plan: Plan) -> bool:
    return any(c.kind in KIND.values() for c in plan.changes)
