"""Streaming table writers: XLSX (XlsxWriter in constant-memory mode: each row goes to disk as
the next one comes) and CSV (UTF-8 with a BOM, so spreadsheet programs read Arabic right).

Two CSV flavours, because Excel reads a CSV with the list separator of the computer's regional
settings: on French (and Moroccan) Windows that is ";" with a decimal comma, so a comma-separated
file opens as one column per line. "csv" is the one that opens in one click there (";" and
"12,5"); "csvc" is the comma-separated file with a decimal point other tools expect. No "sep=;"
first line: with it Excel ignores the BOM and garbles Arabic.

Every text cell goes through `safe_text` here, the one place cells are written: titles,
references and places come from catalogue workbooks and coordinators as much as names come from
officials, and any of them can start with "=".

Why XlsxWriter and not openpyxl's write-only mode: for the 50,000-row export of one large
administration (750,000 cells) openpyxl spent 16 s serialising cells (11 s with lxml), against
about 4 s here, with the same bounded memory.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

FORMATS = ("xlsx", "csv", "csvc")
# CSV format -> (field separator, decimal separator).
CSV_STYLES = {"csv": (";", ","), "csvc": (",", ".")}
# Characters XML 1.0 (hence XLSX) cannot hold; people's text may contain them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_DATETIME = "%Y-%m-%d %H:%M"


def safe_text(text: str | None) -> str:
    """Text from anyone, made inert: no control characters, never read as a formula (a leading
    apostrophe, which spreadsheet programs show as text)."""
    if not text:
        return ""
    text = _ILLEGAL.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_xlsx(path: Path, sheet: str, header: Sequence[str], rows: Iterable[Sequence],
               rtl: bool) -> int:
    """Write one sheet row by row; right-to-left for Arabic readers. Returns the data rows."""
    # Imported on first use: the bot's start-up and idle memory do not pay for it.
    import xlsxwriter

    # Strings stay strings: never turned into formulas, links or numbers behind our back.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    try:
        ws = workbook.add_worksheet(_sheet_title(sheet))
        if rtl:
            ws.right_to_left()
        ws.freeze_panes(1, 0)
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        for i, title in enumerate(header):
            # Width from the header: a streamed sheet cannot measure its content.
            ws.set_column(i, i, min(max(12, len(title) + 2), 50))
            ws.write_string(0, i, safe_text(title), bold)
        count = 0
        for count, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(count, col, safe_text(value))
                elif isinstance(value, datetime):
                    ws.write_datetime(count, col, value, when)
                elif isinstance(value, date):
                    ws.write_datetime(count, col, value, day)
                else:
                    ws.write_number(count, col, value)
    finally:
        workbook.close()
    return count


def extension(fmt: str) -> str:
    return "xlsx" if fmt == "xlsx" else "csv"


def _csv_cell(value: object, decimal: str) -> object:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return value.strftime(CSV_DATETIME)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence], fmt: str = "csv") -> int:
    """Write a CSV in one of CSV_STYLES; the number of data rows."""
    delimiter, decimal = CSV_STYLES[fmt]
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=delimiter)
        out.writerow([safe_text(title) for title in header])
        for row in rows:
            out.writerow([_csv_cell(v, decimal) for v in row])
            count += 1
    return count


def write(fmt: str, path: Path, sheet: str, header: Sequence[str], rows: Iterable[Sequence],
          rtl: bool) -> int:
    if fmt == "xlsx":
        return write_xlsx(path, sheet, header, rows, rtl)
    if fmt in CSV_STYLES:
        return write_csv(path, header, rows, fmt)
    raise ValueError(f"unknown format {fmt!r}")


def _sheet_title(title: str) -> str:
    """Excel: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
