"""Reading and checking the catalogue workbook (DESIGN 5.4): two sheets, `formations` and
`sessions` (and the optional ones of bot/services/workbook_extra.py); every problem reported
with sheet, row, column and a reason code the handler translates. Pure: no database, no
Telegram. The bot runs it in a worker process with a time limit
(bot/services/workbook_worker.py): openpyxl holds the GIL, so even a thread would stall everyone
while a large sheet is read.

Only what holds values counts. A sheet's recorded size (its `dimension`) is not trusted: a whole
row formatted in Excel or LibreOffice makes it 16,384 columns wide and a million rows long, and
a wrong one would hide rows. Rows are read as wide as the headings and rows with no value are
skipped without counting toward the row limit.

Rows come out partial (bot/services/workbook_cells.py): a field is absent when its cell is blank
("unchanged" for what exists), None when it holds the clear marker, else its value. What needs
the database (required cells of a new row, dates against each other and against today, trainers)
is checked by the plan (bot/services/catalogue_plan.py), on the values merged with what is stored."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.services.links import check_link
from bot.services.workbook_cells import CLEAR, formulas, has_formulas, is_example, lookup
from bot.services.workbook_extra import REFERENCES, read_extra
from bot.text import fold
from bot.timeutil import from_local

MAX_BYTES = 5_000_000
# What the file unpacks to (the sheets' XML). A million formatted rows take about 45 MB; far more
# from 5 MB is a compression bomb.
MAX_UNPACKED = 300_000_000
MAX_ROWS = 5_000  # rows with values, per sheet
MAX_COLUMNS = 50  # headed columns, per sheet
MODALITIES = ("presentiel", "distanciel", "hybride", "coaching", "voyage_etude")
LEVELS = ("strategique", "operationnel", "tous")
LANGS = ("fr", "ar", "fr+ar")
FORMATIONS = ["code", "titre_fr", "titre_ar", "description_fr", "description_ar", "theme",
              "modalite", "duree_heures", "niveau"]
SESSIONS = ["reference", "formation", "debut", "fin", "lieu_fr", "lieu_ar", "region", "lien_en_ligne",
            "capacite", "formateur", "date_limite", "validation", "langue", "places_reservees"]
# Required for a new row; an existing one keeps what a blank cell leaves unchanged.
REQUIRED = {"formations": {"code", "titre_fr", "titre_ar", "theme", "modalite"},
            "sessions": {"reference", "formation", "debut", "fin", "capacite"}}
KEY = {"formations": "code", "sessions": "reference"}
# Column of the workbook (the contract of DESIGN 5.4) → field of the database row.
FIELDS = {"formations": {"titre_fr": "title_fr", "titre_ar": "title_ar", "description_fr": "description_fr",
                         "description_ar": "description_ar", "theme": "theme_code", "modalite": "modality",
                         "duree_heures": "duration_hours", "niveau": "level"},
          "sessions": {"formation": "training_code", "debut": "starts_at", "fin": "ends_at",
                       "lieu_fr": "place_fr", "lieu_ar": "place_ar", "region": "region_code",
                       "lien_en_ligne": "online_url", "capacite": "capacity", "formateur": "trainer",
                       "date_limite": "registration_deadline", "validation": "needs_approval",
                       "langue": "language", "places_reservees": "quotas"}}
COLUMN = {sheet: {f: c for c, f in fields.items()} for sheet, fields in FIELDS.items()}
CLEARABLE = {"description_fr", "description_ar", "duree_heures", "lieu_fr", "lieu_ar", "region",
             "lien_en_ligne", "formateur", "date_limite", "places_reservees"}


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None  # as numbered in the spreadsheet (the header is row 1)
    column: str | None
    code: str  # not_workbook too_big missing_sheet missing_column required bad_choice ...
    value: str = ""
    extra: str = ""


@dataclass
class Parsed:
    trainings: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    examples: int = 0  # example rows skipped
    # The optional sheets (bot/services/workbook_extra.py): plan lines, reference lists by sheet.
    plan_lines: list[dict] = field(default_factory=list)
    references: dict[str, list[dict]] = field(default_factory=dict)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _when(value, sheet, row, column, problems) -> datetime | None:
    """A cell with a date and time in Moroccan time: an Excel date cell or 'YYYY-MM-DD HH:MM'."""
    if isinstance(value, datetime):
        return from_local(value.replace(tzinfo=None))
    try:
        return from_local(datetime.strptime(cell_text(value), "%Y-%m-%d %H:%M"))
    except ValueError:
        problems.append(Problem(sheet, row, column, "bad_date", cell_text(value)))
        return None


def sheet_rows(ws, sheet: str, columns: list[str], problems: list[Problem], found_formulas=None,
               required=None):
    """Header-checked rows with values, as dicts, with their spreadsheet row numbers. A missing
    required column (by default the catalogue's) is reported and the other columns are still
    read: every problem comes at once."""
    required = REQUIRED[sheet] if required is None else required
    ws.reset_dimensions()  # read what is there, not what the file claims (see the docstring)
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = [cell_text(h).lower() for h in first]
    while header and not header[-1]:
        header.pop()  # formatted but empty heading cells
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(sheet, 1, None, "too_many_columns", str(MAX_COLUMNS)))
        return
    for column in columns:
        if column in required and column not in header:
            problems.append(Problem(sheet, 1, column, "missing_column"))
    empty_formulas = found_formulas(len(header)) if found_formulas else {}
    count = 0
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=len(header), values_only=True),
                                    start=2):
        record = {h: v for h, v in zip(header, values, strict=False) if h}
        if all(cell_text(v) == "" for v in record.values()) and not any(
                (number, i) in empty_formulas for i in range(len(header))):
            continue  # blank or formatting-only rows are fine
        count += 1
        if count > MAX_ROWS:
            problems.append(Problem(sheet, number, None, "too_many_rows", str(MAX_ROWS)))
            return
        formula_cells = [(header[i], f) for (n, i), f in empty_formulas.items()
                         if n == number and header[i] and cell_text(record.get(header[i])) == ""]
        for column, formula in formula_cells:
            problems.append(Problem(sheet, number, column, "formula", formula))
        if not formula_cells:
            yield number, record


def open_workbook(data: bytes, problems: list[Problem]):
    """The workbook, read-only, or None with the problem noted."""
    if len(data) > MAX_BYTES:
        problems.append(Problem(None, None, None, "too_big", str(MAX_BYTES // 1_000_000)))
        return None
    try:
        # The sizes in the zip directory are binding: zipfile stops at the size declared.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            problems.append(Problem(None, None, None, "too_big_unpacked", str(MAX_UNPACKED // 1_000_000)))
            return None
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        problems.append(Problem(None, None, None, "not_workbook"))
        return None


def read_workbook(data: bytes, themes, regions) -> Parsed:
    """Themes and regions: their codes, or a {code or name: code} mapping (names in either
    language are then accepted, case and accents ignored)."""
    parsed = Parsed()
    problems = parsed.problems
    wb = open_workbook(data, problems)
    if wb is None:
        return parsed
    names = {n.lower(): n for n in wb.sheetnames}
    for sheet in ("formations", "sessions"):
        if sheet not in names:
            problems.append(Problem(sheet, None, None, "missing_sheet"))
    if problems:
        return parsed
    with_formulas = load_workbook(io.BytesIO(data), read_only=True) if has_formulas(data) else None
    known = {"formations": lookup(themes), "sessions": lookup(regions)}
    # The reference sheets first: a theme they add may be named by a training of this file.
    read_extra(wb, names, problems, with_formulas, parsed, sheets=tuple(REFERENCES))
    for r in parsed.references.get("themes", []):
        known["formations"] |= lookup({r.get(k): r["code"] for k in ("code", "nom_fr", "nom_ar") if r.get(k)})
    for sheet, columns, into in (("formations", FORMATIONS, parsed.trainings),
                                 ("sessions", SESSIONS, parsed.sessions)):
        found = (lambda width, s=sheet: formulas(with_formulas[names[s]], width)) if with_formulas else None
        seen: dict[str, int] = {}
        for row, r in sheet_rows(wb[names[sheet]], sheet, columns, problems, found):
            key = cell_text(r.get(KEY[sheet]))
            if key and is_example(key):
                parsed.examples += 1
                continue
            item = _record(sheet, r, row, known[sheet], problems)
            if item is None:
                continue
            if key in seen:
                problems.append(Problem(sheet, row, KEY[sheet], "duplicate", key, str(seen[key])))
                continue
            seen[key] = row
            into.append(item)
    read_extra(wb, names, problems, with_formulas, parsed, sheets=("prc",))
    return parsed


def _record(sheet, r, row, known, problems) -> dict | None:
    """A partial row: blank cells absent, cleared ones None (see the module's docstring)."""
    key = KEY[sheet]
    if key in r and cell_text(r.get(key)) == "":
        problems.append(Problem(sheet, row, key, "required"))
        return None
    before = len(problems)
    item = {"row": row, key: cell_text(r.get(key))}
    for column, name in FIELDS[sheet].items():
        text = cell_text(r.get(column))
        if text == "":
            continue  # unchanged (or the default, for a new row)
        if text == CLEAR:
            if column in CLEARABLE:
                item[name] = None
            else:
                problems.append(Problem(sheet, row, column, "not_clearable"))
            continue
        item[name] = _value(sheet, column, r.get(column), text, row, known, problems)
    return item if len(problems) == before else None


def _value(sheet, column, raw, text, row, known, problems):
    p = (sheet, row, column)
    if column in ("debut", "fin", "date_limite"):
        return _when(raw, *p, problems)
    if column in ("theme", "region"):
        code = known.get(fold(text))
        if code is None:
            extra = ", ".join(sorted(set(known.values())))
            problems.append(Problem(*p, f"unknown_{column}", text, extra))
        return code
    if column in ("modalite", "niveau", "validation", "langue"):
        allowed = {"modalite": MODALITIES, "niveau": LEVELS, "validation": ("oui", "non"),
                   "langue": LANGS}[column]
        value = _choice(text, allowed, *p, problems)
        return value == "oui" if column == "validation" and value else value
    if column == "capacite":
        return _integer(text, *p, problems)
    if column == "duree_heures":
        try:
            hours = float(text.replace(",", "."))
            if hours > 0:
                return hours
        except ValueError:
            pass
        problems.append(Problem(*p, "bad_number", text))
        return None
    if column == "places_reservees":
        from bot.services.catalogue_quotas import read_cell  # reads what the chat reads

        return read_cell(text, sheet, row, problems)
    if column == "lien_en_ligne":
        url, reason = check_link(text)
        if reason:
            problems.append(Problem(*p, "bad_url", url, reason))
        return url
    return text  # titles, descriptions, places, the trainer (resolved by the plan)


def _choice(value: str, allowed, sheet, row, column, problems):
    value = value.lower()
    if value not in allowed:
        problems.append(Problem(sheet, row, column, "bad_choice", value, ", ".join(allowed)))
        return None
    return value


def _integer(text, sheet, row, column, problems) -> int | None:
    try:
        number = int(text)
        if number <= 0:
            raise ValueError
        return number
    except ValueError:
        problems.append(Problem(sheet, row, column, "bad_number", text))
        return None
