"""What an import would do, checked against the database: the rows of the workbook merged with
what is stored (a blank cell leaves a value as it is), every change field by field (old → new),
how many people a moved session will tell, and every problem that needs the database: required
cells of a new row, a session in the past, a deadline after the start, an end before the start,
an unknown trainer or training, a session with registrations moved to another training."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.catalogue_quotas import COLUMN as QUOTA_COLUMN
from bot.services.catalogue_quotas import plan_quotas
from bot.services.workbook import COLUMN, REQUIRED, Parsed, Problem
from bot.storage import catalogue as repo
from bot.storage import trainer_codes
from bot.text import fold

TRAINING_FIELDS = ("title_fr", "title_ar", "description_fr", "description_ar", "theme_code",
                   "modality", "duration_hours", "level")
SESSION_FIELDS = ("training_code", "starts_at", "ends_at", "place_fr", "place_ar", "region_code",
                  "online_url", "capacity", "trainer_id", "registration_deadline", "needs_approval",
                  "language")
DEFAULTS = {"description_fr": "", "description_ar": "", "duration_hours": None, "level": "tous",
            "place_fr": "", "place_ar": "", "region_code": None, "online_url": None, "trainer_id": None,
            "registration_deadline": None, "needs_approval": False, "language": "fr"}
TEXTS = ("description_fr", "description_ar", "place_fr", "place_ar")  # cleared: empty text
TOLD = ("starts_at", "ends_at", "place_fr", "place_ar", "online_url")  # what participants are told
CONCERNED = ("confirmed", "offered", "requested", "waitlisted")


@dataclass
class Change:
    kind: str  # training | session
    key: str  # code or reference
    new: bool
    fields: list[tuple[str, object, object]]  # (workbook column, old, new)
    values: dict  # the whole row to write
    told: int = 0  # participants told of a moved session


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    examples: int = 0  # example rows of the template, skipped

    @property
    def ok(self) -> bool:
        return not self.problems

    def keys(self, kind: str, new: bool) -> list[str]:
        return [c.key for c in self.changes if c.kind == kind and c.new == new]

    @property
    def told(self) -> int:
        return sum(c.told for c in self.changes)


def plan(conn: sqlite3.Connection, parsed: Parsed, now: datetime) -> Plan:
    out = Plan(list(parsed.problems), examples=parsed.examples)
    for t in parsed.trainings:
        _training(conn, t, out)
    in_file = {t["code"] for t in parsed.trainings}
    people = Trainers(conn)
    for s in parsed.sessions:
        _session(conn, s, in_file, people, now, out)
    return out


def _given(item: dict, fields) -> dict:
    return {f: ("" if item[f] is None and f in TEXTS else item[f]) for f in fields if f in item}


def _missing(sheet: str, item: dict, values: dict, out: Plan) -> bool:
    fields = {c: f for f, c in COLUMN[sheet].items()}
    absent = {p.column for p in out.problems if p.code == "missing_column" and p.sheet == sheet}
    missing = [c for c in sorted(REQUIRED[sheet] & fields.keys()) if values.get(fields[c]) in (None, "")]
    out.problems += [Problem(sheet, item["row"], c, "required") for c in missing if c not in absent]
    return bool(missing)


def _diff(sheet: str, old: dict, new: dict) -> list[tuple[str, object, object]]:
    columns = COLUMN[sheet] | {"trainer_id": "formateur"}  # the workbook names a trainer, we store an id
    return [(columns[f], old[f], new[f]) for f in new if f in old and old[f] != new[f]]


def _training(conn, t: dict, out: Plan) -> None:
    row = conn.execute("SELECT * FROM trainings WHERE code = ?", (t["code"],)).fetchone()
    given = _given(t, TRAINING_FIELDS)
    if row is None:
        values = {f: DEFAULTS.get(f) for f in TRAINING_FIELDS} | given
        if not _missing("formations", t, values, out):
            out.changes.append(Change("training", t["code"], True, _diff(
                "formations", dict.fromkeys(values), values), values))
        return
    current = {f: row[f] for f in TRAINING_FIELDS}
    values = current | given
    fields = _diff("formations", current, values)
    if fields:
        out.changes.append(Change("training", t["code"], False, fields, values))
    else:
        out.unchanged += 1


class Trainers:
    """Who may be named in `formateur`: by trainer code, full name (case and accents ignored)
    or, for compatibility, Telegram id."""

    def __init__(self, conn) -> None:
        self.rows = trainer_codes.trainers(conn)

    def resolve(self, text: str, current: int | None) -> tuple[int | None, str]:
        """(user id, "") or (None, reason: unknown_trainer | ambiguous_trainer)."""
        key = fold(text)
        found = {uid for uid, code, name, _ in self.rows
                 if (code and fold(code) == key) or str(uid) == text.strip()
                 or (name and fold(name) == key)}
        found |= {current} if current is not None and str(current) == text.strip() else set()
        active = {uid for uid, _, _, now in self.rows if now} | ({current} - {None})
        found &= active  # a former trainer stays only where they already are
        if len(found) == 1:
            return found.pop(), ""
        return None, "ambiguous_trainer" if found else "unknown_trainer"


def _session(conn, s: dict, in_file: set, people: Trainers, now: datetime, out: Plan) -> None:
    sheet, row = "sessions", s["row"]
    found = conn.execute("SELECT id FROM sessions WHERE reference = ?", (s["reference"],)).fetchone()
    current = repo.get_session(conn, found[0]) if found else None
    given = _given(s, SESSION_FIELDS)
    before = len(out.problems)
    if s.get("trainer") is not None:
        given["trainer_id"], reason = people.resolve(s["trainer"], current.trainer_id if current else None)
        if reason:
            out.problems.append(Problem(sheet, row, "formateur", reason, s["trainer"]))
    elif "trainer" in s:
        given["trainer_id"] = None
    code = given.get("training_code")
    if code and code not in in_file and not conn.execute(
            "SELECT 1 FROM trainings WHERE code = ?", (code,)).fetchone():
        out.problems.append(Problem(sheet, row, "formation", "unknown_training", code))
    if current is None:
        values = {f: DEFAULTS.get(f) for f in SESSION_FIELDS} | given
        _missing(sheet, s, values, out)
        change = Change("session", s["reference"], True, _diff(sheet, dict.fromkeys(values), values), values)
        reserved = plan_quotas(conn, s, None, values, now, out.problems)
        if reserved:
            change.fields.append((QUOTA_COLUMN, *reserved))
    else:
        old = {f: getattr(current, f) for f in SESSION_FIELDS if f != "training_code"}
        old["training_code"] = conn.execute("SELECT code FROM trainings WHERE id = ?",
                                            (current.training_id,)).fetchone()[0]
        values = old | given
        fields = _diff(sheet, old, values)
        reserved = plan_quotas(conn, s, current, values, now, out.problems)
        if reserved:
            fields.append((QUOTA_COLUMN, *reserved))
        if not fields:
            out.unchanged += 1
            return
        change = Change("session", s["reference"], False, fields, values)
        _existing(conn, current, change, row, now, out)
    _dates(change, row, now, out)
    if len(out.problems) == before:
        out.changes.append(change)


def _existing(conn, current, change: Change, row: int, now: datetime, out: Plan) -> None:
    """What a change to a session that exists may not do; who it will tell."""
    p = ("sessions", row)
    people = conn.execute(f"SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status IN "
                          f"{CONCERNED}", (current.id,)).fetchone()[0]
    columns = {c for c, _, _ in change.fields}
    if current.status == "cancelled":
        out.problems.append(Problem(*p, None, "session_cancelled", change.key))
    elif current.starts_at <= now:
        out.problems.append(Problem(*p, None, "session_started", change.key))
    if "formation" in columns and people:
        out.problems.append(Problem(*p, "formation", "has_registrations", change.values["training_code"],
                                    str(people)))
    if change.values["capacity"] < current.taken:
        out.problems.append(Problem(*p, "capacite", "capacity_below", str(change.values["capacity"]),
                                    str(current.taken)))
    if columns & {COLUMN["sessions"][f] for f in TOLD}:
        change.told = people


def _dates(change: Change, row: int, now: datetime, out: Plan) -> None:
    v, columns, p = change.values, {c for c, _, _ in change.fields}, ("sessions", row)
    if v["starts_at"] is None or v["ends_at"] is None:
        return  # reported as required
    if "debut" in columns and v["starts_at"] <= now:
        out.problems.append(Problem(*p, "debut", "in_past"))
    if v["ends_at"] <= v["starts_at"]:
        out.problems.append(Problem(*p, "fin", "end_before_start"))
    if v["registration_deadline"] and v["registration_deadline"] > v["starts_at"]:
        out.problems.append(Problem(*p, "date_limite", "deadline_after_start"))
