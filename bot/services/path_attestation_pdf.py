"""The path attestation as a bilingual PDF, drawn like the attestation of participation
(bot/services/attestation_pdf.py: the same frame, fonts, code and QR code), listing the
modules with their dates and the hours attended. Official wording, kept here as data."""

from __future__ import annotations

import io
import json
from datetime import datetime

import segno

from bot.services.attestation_pdf import FAMILY, column, date_text, hours_ar, hours_fr, iso, page
from bot.timeutil import from_db


def _when(start: str | None, end: str | None, locale: str) -> str:
    if not start:
        return "e-learning" if locale == "fr_MA" else "تعلّم عن بعد"
    assert end is not None  # a dated module (a session) has both its start and its end
    a, b = date_text(datetime.fromisoformat(start), locale), date_text(datetime.fromisoformat(end), locale)
    if a == b:
        return a
    return f"du {a} au {b}" if locale == "fr_MA" else f"من {a} إلى {b}"


def french_lines(row) -> list[tuple[str, bool]]:
    civility = {"F": "Mme ", "M": "M. "}.get(row["sex"] or "", "")
    lines = [("Le programme e-TAMKEEN atteste que", False), (f"{civility}{iso(row['full_name'])}", True),
             ("a suivi le parcours", False), (f"« {row['title_fr']} »", True)]
    for n, m in enumerate(json.loads(row["modules"]), 1):
        lines.append((f"{n}. {m['title_fr']} — {_when(m['starts_at'], m['ends_at'], 'fr_MA')}"
                      f" — {hours_fr(m['hours'])}", False))
    lines.append((f"Durée suivie : {hours_fr(row['hours'])}", True))
    return lines


def arabic_lines(row) -> list[tuple[str, bool]]:
    civility = {"F": "السيدة ", "M": "السيد "}.get(row["sex"] or "", "")
    verb = "قد أتمّت المسار" if row["sex"] == "F" else "قد أتمّ المسار"
    lines = [(f"يشهد برنامج {iso('e-TAMKEEN')} أن", False), (f"{civility}{iso(row['full_name'])}", True),
             (verb, False), (f"«{row['title_ar']}»", True)]
    for n, m in enumerate(json.loads(row["modules"]), 1):
        lines.append((f"{n}. {m['title_ar']} — {_when(m['starts_at'], m['ends_at'], 'ar_MA')}"
                      f" — {hours_ar(m['hours'])}", False))
    lines.append((f"المدة المتابَعة: {hours_ar(row['hours'])}", True))
    return lines


def render(row, verify_link: str, bot_username: str) -> bytes:
    """The PDF (A4 landscape). CPU-bound: call it in a thread."""
    pdf, ltr, rtl = page(f"Attestation de parcours {row['code']}", inner_border=False)
    ltr()
    pdf.set_font(FAMILY, "B", 22)
    pdf.set_xy(15, 16)
    pdf.cell(267, 11, "ATTESTATION DE PARCOURS", align="C")
    rtl()
    pdf.set_xy(15, 28)
    pdf.cell(267, 11, "شهادة إتمام المسار", align="C")
    column(pdf, french_lines(row), 20, "L", ltr)
    column(pdf, arabic_lines(row), 153, "R", rtl)
    qr = io.BytesIO()
    segno.make(verify_link, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=20, y=160, w=34, h=34)
    pdf.set_font(FAMILY, "", 10)
    ltr()
    footer = [f"Code de vérification : {row['code']}",
              f"Vérification : scannez le code QR, ou envoyez /verify {row['code']} à @{bot_username}.",
              f"Délivrée le {date_text(from_db(row['issued_at']), 'fr_MA')}."]
    for i, line in enumerate(footer):
        pdf.set_xy(60, 162 + i * 6)
        pdf.cell(220, 6, line, align="L")
    rtl()
    pdf.set_xy(60, 182)
    pdf.cell(220, 6, f"رمز التحقق: {iso(row['code'])} — {iso('/verify ' + row['code'])}", align="R")
    return bytes(pdf.output())
