"""Reading and checking the catalogue workbook (DESIGN 5.4): two sheets, `formations` and
`sessions`; every problem reported with sheet, row, column and a reason code the handler
translates. Pure: no database, no Telegram. The bot runs it in a worker process with a time
limit (bot/services/workbook_worker.py): openpyxl holds the GIL, so even a thread would stall
everyone while a large sheet is read.

Only what holds values counts. A sheet's recorded size (its `dimension`) is not trusted: a whole
row formatted in Excel or LibreOffice makes it 16,384 columns wide and a million rows long, and
a wrong one would hide rows. Rows are read as wide as the headings and rows with no value are
skipped without counting toward the row limit."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.services.links import check_link
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
            "capacite", "formateur", "date_limite", "validation", "langue"]
REQUIRED = {"formations": {"code", "titre_fr", "titre_ar", "theme", "modalite"},
            "sessions": {"reference", "formation", "debut", "fin", "capacite"}}


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


def _text(value) -> str:
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
        return from_local(datetime.strptime(_text(value), "%Y-%m-%d %H:%M"))
    except ValueError:
        problems.append(Problem(sheet, row, column, "bad_date", _text(value)))
        return None


def _rows(ws, sheet: str, columns: list[str], problems: list[Problem]):
    """Header-checked rows with values, as dicts, with their spreadsheet row numbers."""
    ws.reset_dimensions()  # read what is there, not what the file claims (see the docstring)
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = [_text(h).lower() for h in first]
    while header and not header[-1]:
        header.pop()  # formatted but empty heading cells
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(sheet, 1, None, "too_many_columns", str(MAX_COLUMNS)))
        return
    for column in columns:
        if column in REQUIRED[sheet] and column not in header:
            problems.append(Problem(sheet, 1, column, "missing_column"))
    if any(p.code == "missing_column" and p.sheet == sheet for p in problems):
        return
    count = 0
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=len(header), values_only=True),
                                    start=2):
        record = {h: v for h, v in zip(header, values, strict=False) if h}
        if all(_text(v) == "" for v in record.values()):
            continue  # blank or formatting-only rows are fine
        count += 1
        if count > MAX_ROWS:
            problems.append(Problem(sheet, number, None, "too_many_rows", str(MAX_ROWS)))
            return
        yield number, record


def _opened(data: bytes, problems: list[Problem]):
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


def read_workbook(data: bytes, themes: set[str], regions: set[str]) -> Parsed:
    parsed = Parsed()
    problems = parsed.problems
    wb = _opened(data, problems)
    if wb is None:
        return parsed
    names = {n.lower(): n for n in wb.sheetnames}
    for sheet in ("formations", "sessions"):
        if sheet not in names:
            problems.append(Problem(sheet, None, None, "missing_sheet"))
    if problems:
        return parsed
    codes: dict[str, int] = {}
    for row, r in _rows(wb[names["formations"]], "formations", FORMATIONS, problems):
        t = _training(r, row, themes, problems)
        if t is None:
            continue
        if t["code"] in codes:
            problems.append(Problem("formations", row, "code", "duplicate", t["code"], str(codes[t["code"]])))
            continue
        codes[t["code"]] = row
        parsed.trainings.append(t)
    refs: dict[str, int] = {}
    for row, r in _rows(wb[names["sessions"]], "sessions", SESSIONS, problems):
        s = _session(r, row, regions, problems)
        if s is None:
            continue
        if s["reference"] in refs:
            problems.append(Problem("sessions", row, "reference", "duplicate", s["reference"],
                                    str(refs[s["reference"]])))
            continue
        refs[s["reference"]] = row
        parsed.sessions.append(s)
    return parsed


def _required(r, sheet, row, columns, problems) -> bool:
    missing = [c for c in columns if _text(r.get(c)) == ""]
    for c in missing:
        problems.append(Problem(sheet, row, c, "required"))
    return not missing


def _choice(value: str, allowed, sheet, row, column, problems, default=None):
    value = value.lower() or (default or "")
    if value not in allowed:
        problems.append(Problem(sheet, row, column, "bad_choice", value, ", ".join(allowed)))
        return None
    return value


def _training(r, row, themes, problems) -> dict | None:
    sheet = "formations"
    if not _required(r, sheet, row, REQUIRED[sheet], problems):
        return None
    before = len(problems)
    theme = _text(r.get("theme")).upper()
    if theme not in themes:
        problems.append(Problem(sheet, row, "theme", "unknown_theme", theme, ", ".join(sorted(themes))))
    modality = _choice(_text(r.get("modalite")), MODALITIES, sheet, row, "modalite", problems)
    level = _choice(_text(r.get("niveau")), LEVELS, sheet, row, "niveau", problems, "tous")
    hours = None
    if _text(r.get("duree_heures")):
        try:
            hours = float(_text(r.get("duree_heures")).replace(",", "."))
            if hours <= 0:
                raise ValueError
        except ValueError:
            problems.append(Problem(sheet, row, "duree_heures", "bad_number", _text(r.get("duree_heures"))))
    if len(problems) > before:
        return None
    return {"row": row, "code": _text(r["code"]), "title_fr": _text(r["titre_fr"]),
            "title_ar": _text(r["titre_ar"]), "description_fr": _text(r.get("description_fr")),
            "description_ar": _text(r.get("description_ar")), "theme_code": theme,
            "modality": modality, "duration_hours": hours, "level": level}


def _session(r, row, regions, problems) -> dict | None:
    sheet = "sessions"
    if not _required(r, sheet, row, REQUIRED[sheet], problems):
        return None
    before = len(problems)
    start = _when(r.get("debut"), sheet, row, "debut", problems)
    end = _when(r.get("fin"), sheet, row, "fin", problems)
    if start and end and end <= start:
        problems.append(Problem(sheet, row, "fin", "end_before_start"))
    deadline = (_when(r.get("date_limite"), sheet, row, "date_limite", problems)
                if _text(r.get("date_limite")) else None)
    region = _text(r.get("region")).upper() or None
    if region and region not in regions:
        problems.append(Problem(sheet, row, "region", "unknown_region", region, ", ".join(sorted(regions))))
    capacity = _integer(r.get("capacite"), sheet, row, "capacite", problems, positive=True)
    trainer = (_integer(r.get("formateur"), sheet, row, "formateur", problems, positive=True)
               if _text(r.get("formateur")) else None)
    url, reason = check_link(_text(r.get("lien_en_ligne")))
    if url and reason:
        problems.append(Problem(sheet, row, "lien_en_ligne", "bad_url", url, reason))
    approval = _choice(_text(r.get("validation")), ("oui", "non"), sheet, row, "validation", problems, "non")
    language = _choice(_text(r.get("langue")), LANGS, sheet, row, "langue", problems, "fr")
    if len(problems) > before:
        return None
    return {"row": row, "reference": _text(r["reference"]), "training_code": _text(r["formation"]),
            "starts_at": start, "ends_at": end, "place_fr": _text(r.get("lieu_fr")),
            "place_ar": _text(r.get("lieu_ar")), "region_code": region, "online_url": url or None,
            "capacity": capacity, "trainer_id": trainer, "registration_deadline": deadline,
            "needs_approval": approval == "oui", "language": language}


def _integer(value, sheet, row, column, problems, positive=False) -> int | None:
    text = _text(value)
    try:
        number = int(text)
        if positive and number <= 0:
            raise ValueError
        return number
    except ValueError:
        problems.append(Problem(sheet, row, column, "bad_number", text))
        return None
