"""Reading the catalogue workbook never stalls the others: a worker process, a time limit that
kills it, only the rows with values (formatting-only rows and a sheet's claimed size ignored)."""

from __future__ import annotations

import asyncio
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from bot.services.workbook import SESSIONS
from tests.conftest import db_row
from tests.test_catalogue_import import TRAINING, coordinator, session_row, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rewrite_sheets(data: bytes, change) -> bytes:
    """The workbook with change(xml) applied to each worksheet's XML."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = change(body.decode()).encode()
            z.writestr(info, body)
    return out.getvalue()


def with_formatted_rows(data: bytes, rows: int) -> bytes:
    """What a spreadsheet program writes when whole rows are formatted, up to row `rows`: one
    empty styled row element each, and a recorded size as wide as the sheet (16,384 columns)."""

    def change(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:XFD{rows}"', xml)
        used = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
        extra = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(used + 1, rows + 1))
        return xml.replace("</sheetData>", extra + "</sheetData>")

    return rewrite_sheets(data, change)


def worker_children() -> list[int]:
    """Workbook readers still running under this test process (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"workbook_worker" in cmdline:
            found.append(int(entry.name))
    return found


async def test_others_are_answered_while_a_workbook_is_read(app, person, fr, server):
    """Before: the coordinator's workbook was read on the event loop (this one: 3.5 s on the test
    machine) and nobody else got an answer meanwhile; the 100,000 formatted rows also counted
    as 'too many rows'."""
    c = await coordinator(app, person)
    amina = person(1001, "fr")
    data = with_formatted_rows(workbook(sessions=[session_row()]), 100_000)
    upload = asyncio.create_task(c.upload(data, "big.xlsx", XLSX))
    checking = fr._("⏳ Checking your workbook…")
    for _ in range(3000):  # up to 30 s: the old code answered nothing until it had read the file
        if upload.done() or any(m.text == checking for m in server.messages(9800) if m.from_bot):
            break
        await asyncio.sleep(0.01)
    assert not upload.done(), "the workbook was read before the coordinator was told"
    shown = await amina.start()
    assert shown and shown[-1].text, "another person's /start got no answer"
    assert not upload.done(), "/start was answered only once the workbook had been read"
    preview = (await upload)[-1].text
    assert fr.ngettext("{n} new training", "{n} new trainings", 1) in preview
    assert fr.ngettext("{n} new session", "{n} new sessions", 1) in preview
    assert fr._("Too many rows ({value} at most).", value="5000") not in preview
    await c.click(fr._("✅ Apply"))
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE reference = 'NEW-101-01'"))[0] == 1
    assert not worker_children()


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_read_past_the_time_limit_is_stopped_and_nothing_changes(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = await coordinator(app, person, lang)
    data = with_formatted_rows(workbook(sessions=[session_row()]), 100_000)
    settings = app.bot_data.settings
    app.bot_data.settings = settings.with_(workbook_parse_seconds=0.05)
    shown = await c.upload(data, "big.xlsx", XLSX)
    stopped = t._("Reading the workbook took more than {value} seconds, so I stopped. Delete the empty "
                  "rows and columns that only carry formatting, or split it, and send it again.",
                  value=t.number(0.05))
    assert stopped in shown[-1].text
    assert not worker_children(), "the reader was left running"
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 9800") is None
    # Past the preview: the limit also holds when the file is read again to be applied.
    app.bot_data.settings = settings
    await c.upload(data, "big.xlsx", XLSX)
    app.bot_data.settings = settings.with_(workbook_parse_seconds=0.05)
    shown = await c.click(t._("✅ Apply"))
    assert stopped in shown[-1].text
    assert not worker_children()
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE reference = 'NEW-101-01'"))[0] == 0


async def test_a_sheet_that_claims_a_smaller_size_is_read_whole(app, person, fr):
    """openpyxl trusts the size a sheet records: one written too small hid the rows below it."""
    c = await coordinator(app, person)
    data = workbook(sessions=[session_row(), session_row("NEW-101-02")])
    data = rewrite_sheets(data, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B1"', xml))
    preview = (await c.upload(data, "small.xlsx", XLSX))[-1].text
    assert fr.ngettext("{n} new session", "{n} new sessions", 2) in preview


async def test_damaged_bombs_and_wide_sheets_get_a_clear_answer(app, person, fr, ar):
    c = await coordinator(app, person)
    youssef = await coordinator(app, person, "ar", 9803)
    good = workbook(sessions=[session_row()])
    # A sheet whose XML is cut in the middle: openpyxl raised out of the handler.
    broken = rewrite_sheets(good, lambda xml: xml[: len(xml) // 2])
    unreadable = ("I could not read this workbook. Save it again as .xlsx (Excel or LibreOffice) and "
                  "send it again.")
    assert fr._(unreadable) in (await c.upload(broken, "cut.xlsx", XLSX))[-1].text
    assert ar._(unreadable) in (await youssef.upload(broken, "cut.xlsx", XLSX))[-1].text
    # 400 MB of zeros packed into a few hundred KB beside the sheets.
    out = io.BytesIO(good)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/zeros.bin", "w",
                                                                      force_zip64=True) as f:
        chunk = bytes(1_000_000)
        for _ in range(400):
            f.write(chunk)
    bomb = ("The workbook is too large once unpacked: delete the empty rows and columns that only "
            "carry formatting, or split it, and send it again.")
    assert fr._(bomb) in (await c.upload(out.getvalue(), "bomb.xlsx", XLSX))[-1].text
    # A zip that is not a workbook, and a heading row of 60 columns.
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    text = (await c.upload(other.getvalue(), "letter.docx", XLSX))[-1].text
    assert fr._("This file is not an Excel workbook (.xlsx).") in text
    wide = workbook(trainings=[TRAINING], sessions_header=[*SESSIONS, *[f"note_{i}" for i in range(50)]])
    text = (await c.upload(wide, "wide.xlsx", XLSX))[-1].text
    assert fr._("Too many headed columns ({value} at most).", value="50") in text
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0
