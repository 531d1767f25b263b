"""Reading and checking a questionnaire workbook (DESIGN 5.7), XLSForm style. Pure: no database,
no Telegram; run in the catalogue's worker process (bot/services/workbook_worker.py) with the
catalogue's sheet reader (bot/services/workbook.py), so the same limits hold.

- `survey`: one row per question: name*, type* (scale | single | multiple | yes_no | number |
  text), label_fr*, label_ar*, choices (a list of the `choices` sheet), required (oui | non,
  blank: non, as in XLSForm), relevant (`${q} = 'code'` or `${q} >= n`), and for tests correct
  (a code, codes separated by commas, or a number) and points (blank: 1); for a self-assessment
  area (the framework's area code).
- `choices`: list_name*, name*, label_fr*, label_ar*. A scale's list has the codes 1 to 5.
- `settings`: one row: form_id*, kind* (hot | cold | test | survey | self_assessment), version*,
  title_fr*, title_ar*, training (a training code: hot, cold and test only), pass_mark (tests:
  points needed, required).
Every problem carries sheet, row, column and a reason code the UI translates. What needs the
database (the training, the area, the version against the stored one) is checked by the plan
(bot/services/questionnaire_forms.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.services.workbook import Problem, cell_text, open_workbook, sheet_rows
from bot.storage.conditions import NUMERIC, canonical_number, parse
from bot.storage.questionnaire_data import YES_NO

SURVEY = ["name", "type", "label_fr", "label_ar", "choices", "required", "relevant", "correct",
          "points", "area"]
CHOICES = ["list_name", "name", "label_fr", "label_ar"]
SETTINGS = ["form_id", "kind", "version", "title_fr", "title_ar", "training", "pass_mark"]
REQUIRED = {"survey": {"name", "type", "label_fr", "label_ar"}, "choices": set(CHOICES),
            "settings": {"form_id", "kind", "version", "title_fr", "title_ar"}}
KINDS = ("hot", "cold", "test", "survey", "self_assessment")
# Workbook type → stored type (yes_no is a single choice among YES_NO).
TYPES = {"scale": "scale", "single": "choice", "multiple": "multi", "yes_no": "choice",
         "number": "number", "text": "text"}
LISTED = ("scale", "single", "multiple")
SCORABLE = ("single", "multiple", "yes_no", "number")
SCALE_CODES = ["1", "2", "3", "4", "5"]
QID = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
FORM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CODE = re.compile(r"^[A-Za-z0-9_.-]+$")
# A choice's code rides in its button's callback data with the question id (20 at most) and the
# response and version ids ("v1:ev:a:123456789:123456:<qid>:<code>"): Telegram takes 64 bytes.
MAX_CODE = 16
# Answered one by one in the chat: the summary has a ✏️ button per question, and Telegram takes
# 100 buttons under a message (and 4,096 characters in it).
MAX_QUESTIONS = 50


@dataclass
class ParsedForm:
    form: dict | None = None  # a form record (bot/storage/forms.py) when there is no problem
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # question id → its survey row


def read_form(data: bytes) -> ParsedForm:
    out = ParsedForm()
    problems = out.problems
    wb = open_workbook(data, problems)
    if wb is None:
        return out
    names = {n.lower(): n for n in wb.sheetnames}
    for sheet in ("survey", "settings"):
        if sheet not in names:
            problems.append(Problem(sheet, None, None, "missing_sheet"))
    if problems:
        return out

    def rows(sheet, columns):
        return list(sheet_rows(wb[names[sheet]], sheet, columns, problems, required=REQUIRED[sheet]))

    settings = _settings(rows("settings", SETTINGS), problems)
    lists = _choices(rows("choices", CHOICES) if "choices" in names else [], problems)
    questions: list[dict[str, Any]] = []
    for row, r in rows("survey", SURVEY):
        q = _question(row, r, settings.get("kind"), lists, questions, out.rows, problems)
        if q is not None:
            questions.append(q)
            out.rows[q["qid"]] = row
    if not questions and not any(p.sheet == "survey" for p in problems):
        problems.append(Problem("survey", None, None, "no_questions"))
    if len(out.rows) > MAX_QUESTIONS:
        problems.append(Problem("survey", None, None, "too_many_questions", str(len(out.rows)),
                                str(MAX_QUESTIONS)))
    if settings.get("kind") == "test" and settings.get("pass_mark") is not None and questions:
        total = sum(q["points"] for q in questions)
        if settings["pass_mark"] > total:
            problems.append(Problem("settings", 2, "pass_mark", "bad_pass_mark",
                                    canonical_number(str(settings["pass_mark"])) or "",
                                    canonical_number(str(total)) or ""))  # numbers: never None
    if not problems:
        out.form = {**settings, "questions": questions}
    return out


def _need(r, column, sheet, row, problems) -> str:
    text = cell_text(r.get(column))
    if not text:
        problems.append(Problem(sheet, row, column, "required"))
    return text


def _settings(rows, problems) -> dict:
    if not rows:
        problems.append(Problem("settings", 2, "form_id", "required"))
        return {}
    row, r = rows[0]
    s: dict = {"form": _need(r, "form_id", "settings", row, problems),
               "title_fr": _need(r, "title_fr", "settings", row, problems),
               "title_ar": _need(r, "title_ar", "settings", row, problems),
               "training": cell_text(r.get("training")) or None, "pass_mark": None}
    if s["form"] and not FORM_ID.match(s["form"]):
        problems.append(Problem("settings", row, "form_id", "bad_name", s["form"]))
    kind = _need(r, "kind", "settings", row, problems).lower()
    if kind and kind not in KINDS:
        problems.append(Problem("settings", row, "kind", "bad_choice", kind, ", ".join(KINDS)))
    elif kind:
        s["kind"] = kind
    version = _need(r, "version", "settings", row, problems)
    if version:
        s["version"] = _positive(version, "settings", row, "version", problems, integer=True)
    if s["training"] and kind in ("survey", "self_assessment"):
        problems.append(Problem("settings", row, "training", "training_kind", kind))
    mark = cell_text(r.get("pass_mark"))
    if kind == "test" and not mark:
        problems.append(Problem("settings", row, "pass_mark", "required"))
    elif mark and kind != "test":
        problems.append(Problem("settings", row, "pass_mark", "not_a_test", mark))
    elif mark:
        s["pass_mark"] = _positive(mark, "settings", row, "pass_mark", problems)
        if s["pass_mark"] is None:
            del s["pass_mark"]
    return s


def _positive(text, sheet, row, column, problems, integer=False):
    number = canonical_number(text)
    if number is None or float(number) <= 0 or (integer and "." in number):
        problems.append(Problem(sheet, row, column, "bad_number", text))
        return None
    return int(number) if integer else float(number)


def _choices(rows, problems) -> dict[str, list[list[str]]]:
    lists: dict[str, list[list[str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row, r in rows:
        values = [_need(r, c, "choices", row, problems) for c in CHOICES]
        if not all(values):
            continue
        list_name, code, fr, ar = values
        if not CODE.match(code):
            problems.append(Problem("choices", row, "name", "bad_name", code))
        elif len(code) > MAX_CODE:
            problems.append(Problem("choices", row, "name", "too_long", code, str(MAX_CODE)))
        elif (list_name, code) in seen:
            problems.append(Problem("choices", row, "name", "duplicate", code, str(seen[(list_name, code)])))
        else:
            seen[(list_name, code)] = row
            lists.setdefault(list_name, []).append([code, fr, ar])
    return lists


def _question(row, r, kind, lists, before, rows, problems) -> dict | None:
    """One survey row as a question record, or None (its problems noted)."""
    start = len(problems)
    p = ("survey", row)
    qid = _need(r, "name", *p, problems)
    if qid and not QID.match(qid):
        problems.append(Problem(*p, "name", "bad_name", qid))
    elif qid in rows:
        problems.append(Problem(*p, "name", "duplicate", qid, str(rows[qid])))
    wtype = _need(r, "type", *p, problems).lower()
    if wtype and wtype not in TYPES:
        problems.append(Problem(*p, "type", "bad_type", wtype, ", ".join(TYPES)))
    q: dict[str, Any] = {"qid": qid, "type": TYPES.get(wtype), "label_fr": _need(r, "label_fr", *p, problems),
         "label_ar": _need(r, "label_ar", *p, problems), "options": [], "relevant": None,
         "correct": None, "points": None, "area": cell_text(r.get("area")) or None}
    required = cell_text(r.get("required")).lower() or "non"
    if required not in ("oui", "non"):
        problems.append(Problem(*p, "required", "bad_choice", required, "oui, non"))
    q["required"] = required == "oui"
    list_name = cell_text(r.get("choices"))
    if wtype in LISTED:
        if not list_name:
            problems.append(Problem(*p, "choices", "missing_list"))
        elif list_name not in lists:
            problems.append(Problem(*p, "choices", "unknown_list", list_name))
        else:
            q["options"] = lists[list_name]
            if wtype == "scale" and sorted(o[0] for o in q["options"]) != SCALE_CODES:
                problems.append(Problem(*p, "choices", "scale_choices", list_name))
    elif list_name and wtype in TYPES:
        problems.append(Problem(*p, "choices", "unexpected_list", list_name))
    if wtype == "yes_no":
        q["options"] = [list(o) for o in YES_NO]
    relevant = cell_text(r.get("relevant"))
    if relevant:
        q["relevant"] = _relevant(relevant, before, p, problems)
    _by_kind(q, wtype, kind, r, p, problems)
    return q if len(problems) == start else None


def _relevant(text: str, before: list[dict[str, Any]], p: tuple[str, int],
              problems: list[Problem]) -> str | None:
    condition = parse(text)
    if condition is None:
        problems.append(Problem(*p, "relevant", "bad_relevant", text))
        return None
    earlier = next((q for q in before if q["qid"] == condition.qid), None)
    if earlier is None:
        problems.append(Problem(*p, "relevant", "relevant_unknown", condition.qid))
        return None
    numeric_ok = earlier["type"] in ("scale", "number")
    if condition.op in NUMERIC and not numeric_ok:
        problems.append(Problem(*p, "relevant", "relevant_value", text))
    elif condition.op not in NUMERIC and earlier["options"] and \
            condition.value not in {o[0] for o in earlier["options"]}:
        problems.append(Problem(*p, "relevant", "relevant_value", condition.value))
    return condition.text()


def _by_kind(q: dict[str, Any], wtype: str, kind: str | None, r: dict[str, Any], p: tuple[str, int],
             problems: list[Problem]) -> None:
    """Tests: a right answer and points for each question; self-assessments: scales in an area."""
    correct, points = cell_text(r.get("correct")), cell_text(r.get("points"))
    if kind != "test":
        for column, value in (("correct", correct), ("points", points)):
            if value:
                problems.append(Problem(*p, column, "not_a_test", value))
    if kind != "self_assessment":
        q["area"] = None
    else:
        if wtype and wtype != "scale":
            problems.append(Problem(*p, "type", "not_scale", wtype))
        if not q["area"]:
            problems.append(Problem(*p, "area", "missing_area"))
    if kind != "test" or not wtype:
        return
    if wtype not in SCORABLE:
        problems.append(Problem(*p, "type", "not_scorable", wtype))
        return
    q["points"] = _positive(points, *p, "points", problems) if points else 1.0
    if not correct:
        problems.append(Problem(*p, "correct", "missing_correct"))
    elif wtype == "number":
        q["correct"] = canonical_number(correct)
        if q["correct"] is None:
            problems.append(Problem(*p, "correct", "bad_correct", correct))
    else:
        chosen = [c.strip() for c in correct.replace(";", ",").split(",") if c.strip()]
        codes = [o[0] for o in q["options"]]
        if any(c not in codes for c in chosen) or (wtype != "multiple" and len(chosen) != 1):
            problems.append(Problem(*p, "correct", "bad_correct", correct))
        else:
            q["correct"] = ",".join(c for c in codes if c in chosen)
