"""A semi-annual report's files: PDF (fpdf2, Arabic shaped by HarfBuzz and laid out right to
left, like the attestation) and XLSX (XlsxWriter in constant-memory mode, text made inert like
every export: bot/services/spreadsheet.py). CPU-bound: call them in a thread.

Both are reproducible: their creation date is the report's issue instant (the snapshot's), and
XlsxWriter stamps its zip entries with a fixed date, so an issued report renders to the same
bytes every time it is asked for."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import cast

from fpdf import FPDF

from bot.i18n import Translator, translator
from bot.services.attestation_pdf import FAMILY, FONTS
from bot.services.prc_report_text import Document, Table, document
from bot.services.spreadsheet import safe_text
from bot.timeutil import from_db

WIDTH = 277  # A4 landscape, 10 mm margins
LINE_H = 4.2
TABLE_SIZE = 7.5
NARROW_SPACE = "\u202f"  # French thousands separator (Babel); the font has only the no-break space


def _cell(t: Translator, table: Table, value: float | str | None) -> str:
    if value is None:
        return "—"  # explained under the table (the words would not fit a narrow column)
    if isinstance(value, str):
        return value
    return t.number(value)


def _widths(table: Table) -> list[float]:
    """Text columns get more room than figures; the first (the line's name) the most."""
    weights = []
    for i in range(len(table.header)):
        text = any(isinstance(r[i], str) and r[i] for r in table.rows)
        weights.append(0.5 if i == 0 and not text else 3.2 if i <= 1 and text else 2.2 if text else 1.0)
    unit = WIDTH / sum(weights)
    return [w * unit for w in weights]


class _Pdf:
    def __init__(self, t: Translator, doc: Document) -> None:
        self.t = t
        pdf = self.pdf = FPDF(orientation="L", format="A4")
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(from_db(doc.at))
        pdf.set_title(doc.title)
        pdf.set_creator("e-TAMKEEN")
        pdf.add_font(FAMILY, fname=str(FONTS / "IBMPlexSansArabic-Regular.ttf"))
        pdf.add_font(FAMILY, style="B", fname=str(FONTS / "IBMPlexSansArabic-Bold.ttf"))
        if t.rtl:  # no optional ligatures (see attestation_pdf: Latin "fi" would be reversed)
            pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", features={"liga": False},
                                 script="arab", language="ara")
        # French needs no shaping engine: without it a table row costs a third of the time.
        self.align = "R" if t.rtl else "L"
        self.wrapped: dict[tuple[str, float, bool], list[str]] = {}  # titles recur on many rows
        pdf.add_page()

    def room(self, height: float) -> None:
        if self.pdf.get_y() + height > self.pdf.h - 10:
            self.pdf.add_page()

    def text(self, text: str, size: float, bold: bool = False, gap: float = 1.5) -> None:
        pdf = self.pdf
        text = text.replace(NARROW_SPACE, "\u00a0")
        pdf.set_font(FAMILY, "B" if bold else "", size)
        self.room(size * 0.6)
        pdf.set_x(10)
        pdf.multi_cell(WIDTH, size * 0.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + gap)

    def lines(self, text: str, width: float, bold: bool) -> list[str]:
        """A cell's text broken into the lines that fit (a figure: one line)."""
        text = text.replace(NARROW_SPACE, "\u00a0")
        key = (text, width, bold)
        found = self.wrapped.get(key)
        if found is None:
            # fpdf2 types the return as every shape `output` may ask for; "LINES" gives list[str]
            found = (cast(list[str], self.pdf.multi_cell(width, LINE_H, text, dry_run=True, output="LINES"))
                     if text else [""])
            self.wrapped[key] = found
        return found

    def row(self, cells: list[str], widths: list[float], bold: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", TABLE_SIZE)
        if self.t.rtl:
            cells, widths = cells[::-1], widths[::-1]
        broken = [self.lines(c, w - 2 * pdf.c_margin, bold) for c, w in zip(cells, widths, strict=True)]
        height = max(len(b) for b in broken) * LINE_H
        self.room(height)
        x: float = 10
        y = pdf.get_y()
        for lines, w in zip(broken, widths, strict=True):
            pdf.rect(x, y, w, height)
            for i, line in enumerate(lines):
                if line:
                    pdf.set_xy(x, y + i * LINE_H)
                    pdf.cell(w, LINE_H, line, align=self.align)
            x += w
        pdf.set_xy(10, y + height)

    def table(self, table: Table) -> None:
        widths = _widths(table)
        self.pdf.set_draw_color(160, 160, 160)
        self.pdf.set_line_width(0.1)
        self.row(table.header, widths, bold=True)
        for r in table.rows:
            if self.pdf.get_y() + 3 * LINE_H > self.pdf.h - 10:
                self.pdf.add_page()
                self.row(table.header, widths, bold=True)  # the header again on a new page
            self.row([_cell(self.t, table, v) for v in r], widths, bold=False)
        if any(v is None for r in table.rows for v in r):
            self.pdf.set_y(self.pdf.get_y() + 1)
            self.text(f"— {table.hidden}", TABLE_SIZE, gap=0)
        self.pdf.set_y(self.pdf.get_y() + 3)


def pdf(t: Translator, doc: Document) -> bytes:
    out = _Pdf(t, doc)
    out.text(doc.title, 16, bold=True, gap=2)
    for line in doc.lines:
        out.text(line, 10, gap=0.5)
    out.pdf.set_y(out.pdf.get_y() + 3)
    for kind, value in doc.blocks:
        # Document.blocks pairs "table" with a Table and every other kind with a str
        if kind == "heading":
            assert isinstance(value, str)
            out.text(value, 12, bold=True)
        elif kind == "subheading":
            assert isinstance(value, str)
            out.text(value, 10, bold=True, gap=0.5)
        elif kind == "text":
            assert isinstance(value, str)
            out.text(value, 9, gap=2.5)
        else:
            assert isinstance(value, Table)
            out.table(value)
    return bytes(out.pdf.output())


def xlsx(t: Translator, doc: Document, path: Path) -> None:
    """One sheet, the blocks one under the other; figures stay numbers."""
    import xlsxwriter  # on first use: the bot's idle memory does not pay for it

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    try:
        book.set_properties({"title": safe_text(doc.title), "author": "e-TAMKEEN",
                             "created": from_db(doc.at).replace(tzinfo=None)})
        ws = book.add_worksheet("PRC")
        if t.rtl:
            ws.right_to_left()
        ws.set_column(0, 0, 45)
        ws.set_column(1, 15, 16)
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        title = book.add_format({"bold": True, "font_size": 14})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        row = 0

        def put(cells: list, fmt=None) -> None:
            nonlocal row
            for col, value in enumerate(cells):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    ws.write_string(row, col, safe_text(value), fmt)
                else:
                    ws.write_number(row, col, value, fmt)
            row += 1

        put([doc.title], title)
        for line in doc.lines:
            put([line])
        for kind, value in doc.blocks:
            if kind in ("heading", "subheading"):
                row += kind == "heading"
                put([value], bold)
            elif kind == "text":
                put([value], wrap)
            else:
                assert isinstance(value, Table)  # Document.blocks: the only other kind is "table"
                put(value.header, bold)
                for r in value.rows:
                    put([value.hidden if v is None else v for v in r])
    finally:
        book.close()


def filename(scope: str, semester: str, lang: str, fmt: str) -> str:
    who = "national" if scope == "*" else scope.lower()
    return f"etamkeen-prc-{who}-{semester}-{lang}.{fmt}"


def both(snapshot: dict, lang: str) -> tuple[bytes, bytes]:
    """The PDF and the XLSX of a snapshot in one language. CPU-bound: call it in a thread."""
    t = translator(lang)
    doc = document(t, snapshot)
    with tempfile.TemporaryDirectory(prefix="etamkeen-prc-") as folder:
        path = Path(folder) / "report.xlsx"
        xlsx(t, doc, path)
        return pdf(t, doc), path.read_bytes()
