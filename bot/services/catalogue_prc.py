"""Lines of competence plans from the workbook's `prc` sheet: checked as a line typed in the chat
is (bot/services/plan_lines.py, each error put on its sheet, row and column), previewed, then
added all or nothing with the rest of the import.

A row names its plan by administration and period (`2027-2028`): the plan's latest version must
be a draft (a plan that does not exist yet is created, as version 1). Rows add lines; a row equal
to a line the draft already has is counted unchanged, so importing the same file twice adds
nothing. Lines are removed or changed in the chat. Codes and names (French or Arabic, case and
accents ignored) are accepted for the administration, theme, position and region, and a code or
name added by the reference sheets of the same file counts as known."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

from bot.services import plan_lines
from bot.services.catalogue_plan import Change, Plan
from bot.services.workbook import Problem
from bot.storage import audit
from bot.storage import plans as repo
from bot.text import ascii_digits, fold

# plan_lines' fields → the sheet's columns (where its errors are shown).
COLUMN = {"theme_code": "theme", "training_id": "formation", "track": "axe", "position_code": "poste",
          "level": "niveau", "region_code": "region", "target_people": "personnes",
          "target_women": "femmes", "target_hours": "heures", "semester": "semestre",
          "priority": "priorite"}
RAW = {"axe": "track", "niveau": "level", "personnes": "target_people", "femmes": "target_women",
       "heures": "target_hours", "semestre": "semester", "priorite": "priority"}
_PERIOD = re.compile(r"(\d{4})\s*[-–/]\s*(\d{4})")
_TABLE = {"administration": "administrations", "theme": "themes", "poste": "positions",
          "region": "regions"}


class Known:
    """Codes and names → code, of the database and of the file's reference sheets."""

    def __init__(self, conn: sqlite3.Connection, new_refs: dict[str, dict[str, tuple[str, str]]],
                 trainings_in_file: dict[str, str | None]) -> None:  # code → theme (None: none given)
        self.names: dict[str, dict[str, str]] = {}
        self.new = {table: set(rows) for table, rows in new_refs.items()}
        for table in set(_TABLE.values()):
            found = {}
            for code, name_fr, name_ar in conn.execute(f"SELECT code, name_fr, name_ar FROM {table}"):
                found.update({fold(name_fr): code, fold(name_ar): code, fold(code): code})
            for code, (name_fr, name_ar) in new_refs.get(table, {}).items():
                found.update({fold(name_fr): code, fold(name_ar): code, fold(code): code})
            self.names[table] = found
        self.trainings = {fold(code): (tid, code) for tid, code in
                          conn.execute("SELECT id, code FROM trainings")}
        self.file_trainings = {fold(code): (code, theme) for code, theme in trainings_in_file.items()}

    def code(self, column: str, text: str) -> str | None:
        return self.names[_TABLE[column]].get(fold(text))

    def is_new(self, table: str, code: str | None) -> bool:
        return code in self.new.get(table, set())


def plan_prc(conn: sqlite3.Connection, rows: list[dict], known: Known, out: Plan) -> None:
    seen: dict[tuple, int] = {}
    for item in rows:
        _line(conn, item, known, seen, out)


def _line(conn, item: dict, known: Known, seen: dict, out: Plan) -> None:
    row = item["row"]
    before = len(out.problems)

    def bad(column: str, code: str, value: str = "", extra: str = "") -> None:
        out.problems.append(Problem("prc", row, column, code, value, extra))

    codes = {}
    for column in ("administration", "theme", "poste", "region"):
        if column in item:
            codes[column] = known.code(column, item[column])
            if codes[column] is None:
                listed = ", ".join(sorted(set(known.names["themes"].values()))) if column == "theme" else ""
                bad(column, "unknown_position" if column == "poste" else f"unknown_{column}",
                    item[column], listed)
    period = _PERIOD.fullmatch(ascii_digits(item.get("periode", "")).strip())
    start, end = (int(period[1]), int(period[2])) if period else (0, 0)
    if not period or not 2000 <= start <= end <= start + 5:
        bad("periode", "bad_period", item.get("periode", ""))
    training_id, training_code, file_theme = None, None, None
    if "formation" in item:
        found = known.trainings.get(fold(item["formation"]))
        in_file = known.file_trainings.get(fold(item["formation"]))
        if in_file:
            training_code, file_theme = in_file
            training_id = found[0] if found else None
        elif found:
            training_id, training_code = found
        else:
            bad("formation", "unknown_training", item["formation"])
    if len(out.problems) > before:
        return
    raw = {RAW[c]: item[c] for c in RAW if c in item}
    raw |= {"theme_code": codes.get("theme"), "training_id": training_id,
            "position_code": codes.get("poste"), "region_code": codes.get("region")}
    for name in ("track", "level"):
        if name in raw:
            raw[name] = raw[name].lower()
    checked = dict(raw)
    if training_id is None and file_theme is not None:  # a training new in this file
        checked["theme_code"] = raw["theme_code"] or file_theme
        if raw["theme_code"] and raw["theme_code"] != file_theme:
            bad("formation", "training_not_in_theme", item["formation"])
    try:
        fields = plan_lines.check(conn, checked, start, end)
    except plan_lines.LineInvalid as invalid:
        errors = [e for e in invalid.errors if not (
            e.code == "theme_unknown" and known.is_new("themes", checked["theme_code"])
            or e.code == "position_unknown" and known.is_new("positions", checked["position_code"]))]
        for e in errors:
            bad(COLUMN[e.field], e.code, item.get(COLUMN[e.field], ""))
        fields = {f: checked.get(f) for f in repo.LINE_FIELDS}
    administration = codes["administration"]
    assert administration is not None  # an unknown administration was a problem: returned above
    plan_id = repo.find_plan(conn, administration, start, end)
    latest = repo.versions(conn, plan_id)[0] if plan_id else None
    if latest is not None and latest["status"] != "draft":
        bad("periode", "plan_not_draft", f"{administration} {start}-{end}", latest["status"])
    if len(out.problems) > before:
        return
    key = (administration, start, end, *(fields.get(f) for f in repo.LINE_FIELDS if f != "training_id"),
           training_code)
    if key in seen:
        return bad("administration", "duplicate_line", "", str(seen[key]))
    seen[key] = row
    lines = repo.lines(conn, latest["id"]) if latest is not None else []
    if any(_same(line, fields, training_id) for line in lines):
        out.unchanged += 1
        return
    shown: list[tuple[str, object, object]] = [(COLUMN[f], None, fields.get(f)) for f in repo.LINE_FIELDS
             if f != "training_id" and fields.get(f) not in (None, "")]
    if training_code:
        shown.insert(1, ("formation", None, training_code))
    out.changes.append(Change("plan_line", f"{administration} {start}-{end}", plan_id is None, shown,
                              {"administration": administration, "start": start, "end": end,
                               "raw": raw, "training_code": training_code}))


def _same(line: sqlite3.Row, fields: dict, training_id: int | None) -> bool:
    return all(line[f] == (training_id if f == "training_id" else fields.get(f))
               for f in repo.LINE_FIELDS if f != "target_hours") and \
        float(line["target_hours"]) == float(fields.get("target_hours") or 0)


def apply_prc(conn: sqlite3.Connection, changes: list[Change], actor_id: int | None,
              now: datetime) -> int:
    """Add the lines (after the trainings and references of the same file were written): checked
    again against what is stored now, so nothing unchecked is ever written."""
    added = 0
    for c in changes:
        if c.kind != "plan_line":
            continue
        v = c.values
        raw = dict(v["raw"])
        if v["training_code"]:
            raw["training_id"] = conn.execute("SELECT id FROM trainings WHERE code = ?",
                                              (v["training_code"],)).fetchone()[0]
        plan_id = repo.find_plan(conn, v["administration"], v["start"], v["end"])
        if plan_id is None:
            plan_id, _ = repo.create_plan(conn, v["administration"], v["start"], v["end"], actor_id, now)
            audit.record(conn, actor_id, "plan_create", f"plan:{plan_id}", now,
                         administration=v["administration"], years=f"{v['start']}-{v['end']}")
        version = repo.versions(conn, plan_id)[0]
        repo.add_line(conn, version["id"], plan_lines.check(conn, raw, v["start"], v["end"]))
        added += 1
    return added
