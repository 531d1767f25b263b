"""Cells of the catalogue workbook: the blank / clear / example conventions, names or codes, and
formulas without a value. Pure: no database, no Telegram.

- A blank cell means "unchanged" for a training or session that exists, the default for a new one.
- `CLEAR` (a single `-`) empties an optional cell; required cells cannot be emptied.
- A row whose code or reference starts with `EXAMPLE_PREFIX` is an example: never applied.
- A formula whose value was never computed (files written by a program, not a spreadsheet) reads
  as empty: it is reported as a formula, not as a missing value."""

from __future__ import annotations

import io
import zipfile

from bot.text import fold

CLEAR = "-"
EXAMPLE_PREFIX = "EXEMPLE-"
_CHUNK = 1 << 20


def is_example(key: str) -> bool:
    return key.upper().startswith(EXAMPLE_PREFIX)


def lookup(known) -> dict[str, str]:
    """Folded code or name → code, from a set of codes or a {code or name: code} mapping."""
    pairs = known.items() if isinstance(known, dict) else ((c, c) for c in known)
    return {fold(str(k)): v for k, v in pairs if fold(str(k))}


def has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (<f> element): a byte scan, streamed, so that the
    second reading that finds them is paid only by the files that have some."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(info) as stream:
                tail = b""
                while chunk := stream.read(_CHUNK):
                    block = tail + chunk
                    if b"<f>" in block or b"<f " in block:
                        return True
                    tail = block[-3:]
    return False


def formulas(ws, width: int) -> dict[tuple[int, int], str]:
    """(row, column index) → formula text, of a worksheet opened with its formulas (not values)."""
    found = {}
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        for index, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                found[(number, index)] = value
    return found
