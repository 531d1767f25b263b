"""Outbox messages of the semi-annual reports: the request for the focal point's commentary, its
one reminder (both skipped once the commentary is written or the report issued), and an issued
report's files, rendered in the recipient's language from the frozen snapshot."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram.ext import Application

from bot.context import Services
from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import prc_report_files
from bot.services.notice_reads import OutboxRow
from bot.services.periods import semester
from bot.services.prc_report import Report
from handlers import notices
from handlers.semester_report import WriteCommentary, caption
from handlers.ui import button, esc, keyboard


async def _commentary(services: Services, row: OutboxRow, t: Translator, reminder: bool) -> Notice | None:
    administration, code = row.payload["administration"], row.payload["semester"]
    if not await services.prc_reports.awaits_commentary(administration, code):
        return None
    name = services.reference.get("administrations", administration)
    last_day = t.date(semester(code).end - timedelta(hours=12))
    values = {"semester": code, "date": last_day,
              "administration": esc(t.pick(name.name_fr, name.name_ar) if name else administration)}
    if reminder:
        text = t._("⏰ Reminder: the commentary of the semi-annual report {semester} of {administration} "
                   "is still missing. The semester ends on {date}.", **values)
    else:
        text = t._("✍️ The semester {semester} ends on {date}. Its semi-annual report needs the commentary "
                   "of the focal point of {administration}: the achievements, the difficulties and the "
                   "corrective actions.", **values)
    return Notice(text, keyboard([[button(t._("✍️ Write the commentary"), WriteCommentary(code))]]))


async def _ask(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    return await _commentary(services, row, t, reminder=False)


async def _reminder(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    return await _commentary(services, row, t, reminder=True)


async def _report(services: Services, row: OutboxRow, t: Translator) -> Notice | None:
    found = await services.prc_reports.stored(row.payload["report"])
    fmt = row.payload.get("format")
    if found is None or fmt not in ("pdf", "xlsx"):
        return None
    scope, code, snapshot = found
    pdf, xlsx = await asyncio.to_thread(prc_report_files.both, snapshot, t.lang)
    name = prc_report_files.filename(scope, code, t.lang, fmt)
    return Notice(caption(t, Report(snapshot, row.payload["report"])),
                  document=(name, pdf if fmt == "pdf" else xlsx))


RENDERERS = {"prc_commentary_ask": _ask, "prc_commentary_reminder": _reminder, "prc_report": _report}


def register(app: Application) -> None:
    notices.add(RENDERERS)  # what the reports send on their own (the outbox)
