"""Streaming table writers: XLSX (openpyxl write-only: rows go to disk as they come) and CSV
(UTF-8 with a BOM, so spreadsheet programs read Arabic right)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

FORMATS = ("xlsx", "csv")
# Characters XML 1.0 (hence XLSX) cannot hold; people's text may contain them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_DATETIME = "%Y-%m-%d %H:%M"


def safe_text(text: str | None) -> str:
    """Text typed by people, made inert: no control characters, never read as a formula."""
    if not text:
        return ""
    text = _ILLEGAL.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_xlsx(path: Path, sheet: str, header: Sequence[str], rows: Iterable[Sequence],
               rtl: bool) -> int:
    """Write one sheet row by row; right-to-left for Arabic readers. Returns the data rows."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_sheet_title(sheet))
    ws.sheet_view.rightToLeft = rtl
    ws.freeze_panes = "A2"
    for i, title in enumerate(header):
        # Width from the header (write-only sheets cannot measure their content).
        ws.column_dimensions[_column(i)].width = min(max(12, len(title) + 2), 50)
    cells = []
    for title in header:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    ws.append(cells)
    count = 0
    for row in rows:
        ws.append(row)
        count += 1
    workbook.save(path)
    return count


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        for row in rows:
            out.writerow([v.strftime(CSV_DATETIME) if isinstance(v, datetime) else
                          "" if v is None else v for v in row])
            count += 1
    return count


def write(fmt: str, path: Path, sheet: str, header: Sequence[str], rows: Iterable[Sequence],
          rtl: bool) -> int:
    if fmt == "xlsx":
        return write_xlsx(path, sheet, header, rows, rtl)
    if fmt == "csv":
        return write_csv(path, header, rows)
    raise ValueError(f"unknown format {fmt!r}")


def _sheet_title(title: str) -> str:
    """Excel: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
