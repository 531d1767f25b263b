"""Questionnaire workbooks (DESIGN 5.7): read in the worker process, checked against the database,
previewed against the stored version, applied all or nothing as a NEW version (never an edit:
answers keep their question id and version, so old answers keep their labels), and the stored
forms exported in the same format (the defaults included). No Telegram here: the chat screens
call preview / apply / export and translate the reason codes."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from dataclasses import dataclass, field

from openpyxl import Workbook

from bot.services.form_workbook import CHOICES, SETTINGS, SURVEY, ParsedForm
from bot.services.workbook import Problem
from bot.services.workbook_worker import run_reader
from bot.storage import audit, forms
from bot.storage.db import Database
from bot.storage.questionnaire_data import YES_NO
from bot.timeutil import Clock, to_db

PARSE_LIMIT_S = 30.0
COMPARED = ("type", "required", "label_fr", "label_ar", "options", "relevant", "correct", "points",
            "area")


@dataclass(frozen=True)
class FormPlan:
    problems: list[Problem] = field(default_factory=list)
    form: dict | None = None
    previous_version: int | None = None  # None: a new form
    added: list[str] = field(default_factory=list)  # question ids
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # question id → fields changed
    moved: bool = False  # the same questions in another order
    unlinked: list[str] = field(default_factory=list)  # trainings back to the default (codes)
    questionnaire_id: int | None = None  # once applied

    @property
    def ok(self) -> bool:
        return not self.problems


def _decode(raw: bytes) -> ParsedForm:
    found = json.loads(raw)
    return ParsedForm(found.get("form"), [Problem(**p) for p in found["problems"]], found.get("rows", {}))


def plan(conn: sqlite3.Connection, parsed: ParsedForm) -> FormPlan:
    """Every problem the database reveals, or what the new version changes."""
    if parsed.problems:
        return FormPlan(parsed.problems)
    form, problems = parsed.form, []
    assert form is not None  # a workbook read without problems carries its form
    old = forms.newest(conn, form["form"])
    if old is not None and old["kind"] != form["kind"]:
        problems.append(Problem("settings", 2, "kind", "kind_changed", form["kind"], old["kind"]))
    if old is not None and form["version"] <= old["version"]:
        problems.append(Problem("settings", 2, "version", "version_not_newer", str(form["version"]),
                                str(old["version"])))
    if form["training"] and conn.execute("SELECT 1 FROM trainings WHERE code = ?",
                                         (form["training"],)).fetchone() is None:
        problems.append(Problem("settings", 2, "training", "unknown_training", form["training"]))
    areas = forms.area_codes(conn)
    for q in form["questions"]:
        if q["area"] is not None and q["area"] not in areas:
            problems.append(Problem("survey", parsed.rows.get(q["qid"]), "area", "unknown_area", q["area"],
                                    ", ".join(areas)))
    if problems:
        return FormPlan(problems)
    # The workbook is the whole version: a training it no longer names stops using the form.
    unlinked = [code for code in forms.linked_trainings(conn, form["form"]) if code != form["training"]]
    if old is None:
        return FormPlan(form=form, added=[q["qid"] for q in form["questions"]], unlinked=unlinked)
    before = {q["qid"]: q for q in old["questions"]}
    after = {q["qid"]: q for q in form["questions"]}
    changed = {qid: [f for f in COMPARED if before[qid].get(f) != q.get(f)]
               for qid, q in after.items() if qid in before}
    kept = [qid for qid in before if qid in after]
    return FormPlan(form=form, previous_version=old["version"],
                    added=[qid for qid in after if qid not in before],
                    removed=[qid for qid in before if qid not in after],
                    changed={qid: fields for qid, fields in changed.items() if fields},
                    moved=kept != [qid for qid in after if qid in before], unlinked=unlinked)


@dataclass(frozen=True)
class FormSummary:
    """A form as the coordinators' list shows it: its newest version."""

    form: str
    kind: str
    version: int
    title_fr: str
    title_ar: str
    trainings: tuple[str, ...]  # codes of the trainings that use it (none: a default or a survey)


class QuestionnaireForms:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._parsing = asyncio.Semaphore(2)  # as the catalogue: each parse may take a core

    async def parse(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> ParsedForm:
        async with self._parsing:
            out = await run_reader({"reader": "questionnaire"}, data, limit_s)
        if isinstance(out, tuple):
            return ParsedForm(problems=[Problem(None, None, None, *out)])
        return _decode(out)

    async def preview(self, data: bytes, limit_s: float = PARSE_LIMIT_S) -> FormPlan:
        return await self.db.read(plan, await self.parse(data, limit_s))

    async def apply(self, data: bytes, actor_id: int | None, limit_s: float = PARSE_LIMIT_S) -> FormPlan:
        """Check again and write the new version (and the training's link) in one transaction."""
        parsed = await self.parse(data, limit_s)
        now = self.clock.now()

        def tx(conn: sqlite3.Connection) -> FormPlan:
            done = plan(conn, parsed)
            if not done.ok:
                return done
            form = done.form
            assert form is not None  # a plan without problems carries its form
            qn_id = forms.seed_form(conn, form, to_db(now))
            training_id = None
            if form["training"]:
                training_id = conn.execute("SELECT id FROM trainings WHERE code = ?",
                                           (form["training"],)).fetchone()[0]
                forms.link_training(conn, training_id, form["kind"], form["form"])
            forms.unlink_others(conn, form["form"], training_id)
            audit.record(conn, actor_id, "questionnaire_imported", form["form"], now,
                         version=form["version"], questions=len(form["questions"]))
            return FormPlan(form=form, previous_version=done.previous_version, added=done.added,
                            removed=done.removed, changed=done.changed, moved=done.moved,
                            unlinked=done.unlinked, questionnaire_id=qn_id)

        return await self.db.write(tx)

    async def listing(self) -> list[FormSummary]:
        rows = await self.db.read(forms.listing)
        return [FormSummary(form, kind, version, fr, ar, tuple(c for c in codes.split(",") if c))
                for form, kind, version, fr, ar, codes in rows]

    async def template(self) -> bytes:
        """A blank workbook: the three sheets with their headings only."""
        return await asyncio.to_thread(_write, {"survey": [SURVEY], "choices": [CHOICES],
                                                "settings": [SETTINGS]})

    async def export(self, form_id: str) -> bytes | None:
        """The newest version of a form as a workbook (None: no such form)."""
        form = await self.db.read(forms.newest, form_id)
        return None if form is None else await asyncio.to_thread(workbook_bytes, form)


def _number(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def sheets(form: dict) -> dict[str, list[list]]:
    """A form as the rows of its three sheets, headings first (the format read_form reads)."""
    survey, choices, lists = [SURVEY], [CHOICES], {}
    yes_no = [list(o) for o in YES_NO]
    for q in form["questions"]:
        wtype = {"choice": "single", "multi": "multiple"}.get(q["type"], q["type"])
        if q["type"] == "choice" and q["options"] == yes_no:
            wtype = "yes_no"
        name = ""
        if wtype in ("scale", "single", "multiple"):
            key = json.dumps(q["options"], ensure_ascii=False)
            if key not in lists:  # a list is named after the first question that uses it
                lists[key] = q["qid"]
                choices += [[q["qid"], *o] for o in q["options"]]
            name = lists[key]
        survey.append([q["qid"], wtype, q["label_fr"], q["label_ar"], name,
                       "oui" if q["required"] else "non", q["relevant"] or "", q["correct"] or "",
                       _number(q["points"]), q["area"] or ""])
    settings = [SETTINGS, [form["form"], form["kind"], form["version"], form["title_fr"],
                           form["title_ar"], form["training"] or "", _number(form["pass_mark"])]]
    return {"survey": survey, "choices": choices, "settings": settings}


def workbook_bytes(form: dict) -> bytes:
    return _write(sheets(form))


def _write(book: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in book.items():
        ws = wb.create_sheet(title)
        for row in rows:
            # Text cells as text: a label that starts with '=' is not a formula.
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
