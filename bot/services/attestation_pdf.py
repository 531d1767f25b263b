"""The attestation of participation, or de réussite, as a bilingual PDF: French on the left,
Arabic on the right (shaped by HarfBuzz, right to left), a verification code and its QR code.

The wording is the programme's official text in both languages at once, whatever the language of
the person asking: it lives here as data, like the questionnaires, not in the UI catalogs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import fontpkg_ibm_plex_sans_arabic
import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from bot.storage.attestations import Attestation, AttestationKind
from bot.timeutil import morocco

# One family that has both Latin (with French accents) and Arabic glyphs, from PyPI, so the set-up
# needs no system font; its shaped Arabic also extracts back to plain letters (copy, search).
FONTS = Path(fontpkg_ibm_plex_sans_arabic.ROOT) / "files"
FAMILY = "plex"


def iso(text: str) -> str:
    """Isolate a run of the other direction (names, codes, commands) so the bidi algorithm
    does not move its neutral characters (/, @, parentheses) around."""
    return f"\u2068{text}\u2069"


def date_text(instant, locale: str) -> str:
    return format_date(instant.astimezone(morocco()), "d MMMM y", locale=locale)


def hours_fr(hours: float) -> str:
    n = format_decimal(hours, locale="fr_MA")
    return f"{n} heure" if hours <= 1 else f"{n} heures"


def hours_ar(hours: float) -> str:
    n = format_decimal(hours, locale="ar_MA")
    if hours == 1:
        return "ساعة واحدة"
    if hours == 2:
        return "ساعتان"
    return f"{n} ساعات" if hours == int(hours) and 3 <= hours <= 10 else f"{n} ساعة"


# The title of each kind, in French then in Arabic.
TITLES = {AttestationKind.PARTICIPATION: ("ATTESTATION DE PARTICIPATION", "شهادة المشاركة"),
          AttestationKind.SUCCESS: ("ATTESTATION DE RÉUSSITE", "شهادة النجاح")}


def points(value: float, locale: str) -> str:
    return format_decimal(round(value, 1), locale=locale)


def result_fr(a: Attestation) -> str:
    """The success's score and pass mark (both out of the test's maximum)."""
    assert a.score is not None and a.max_score is not None and a.pass_mark is not None
    top = points(a.max_score, "fr_MA")
    return (f"Résultat au test final : {points(a.score, 'fr_MA')}/{top}"
            f" (seuil de réussite : {points(a.pass_mark, 'fr_MA')}/{top})")


def result_ar(a: Attestation) -> str:
    assert a.score is not None and a.max_score is not None and a.pass_mark is not None
    top = points(a.max_score, "ar_MA")
    return (f"النتيجة في الاختبار النهائي: {iso(points(a.score, 'ar_MA') + '/' + top)}"
            f" (عتبة النجاح: {iso(points(a.pass_mark, 'ar_MA') + '/' + top)})")


def french_lines(a: Attestation) -> list[tuple[str, bool]]:
    """(text, bold) lines of the French column."""
    civility = {"F": "Mme ", "M": "M. "}.get(a.sex or "", "")
    start, end = date_text(a.starts_at, "fr_MA"), date_text(a.ends_at, "fr_MA")
    when = f"le {start}" if start == end else f"du {start} au {end}"
    lines = [("Le programme e-TAMKEEN atteste que", False), (f"{civility}{iso(a.full_name)}", True)]
    if a.administration_fr:
        lines.append((f"de l'administration : {a.administration_fr}", False))
    success = a.kind == AttestationKind.SUCCESS
    verb = "a réussi le test final de la formation" if success else "a participé à la formation"
    lines += [(verb, False), (f"« {a.title_fr} »", True), (f"{when} (session {a.reference})", False)]
    if a.hours:
        lines.append((f"Durée : {hours_fr(a.hours)}", False))
    if success:
        lines.append((result_fr(a), True))
    return lines


def arabic_lines(a: Attestation) -> list[tuple[str, bool]]:
    """(text, bold) lines of the Arabic column."""
    civility = {"F": "السيدة ", "M": "السيد "}.get(a.sex or "", "")
    success = a.kind == AttestationKind.SUCCESS
    if success:
        verb = "قد نجحت في الاختبار النهائي للتكوين" if a.sex == "F" else "قد نجح في الاختبار النهائي للتكوين"
    else:
        verb = "قد شاركت في التكوين" if a.sex == "F" else "قد شارك في التكوين"
    start, end = date_text(a.starts_at, "ar_MA"), date_text(a.ends_at, "ar_MA")
    when = f"بتاريخ {start}" if start == end else f"من {start} إلى {end}"
    lines = [(f"يشهد برنامج {iso('e-TAMKEEN')} أن", False), (f"{civility}{iso(a.full_name)}", True)]
    if a.administration_ar:
        lines.append((f"الإدارة: {a.administration_ar}", False))
    lines += [(verb, False), (f"«{a.title_ar}»", True), (f"{when} (الدورة {iso(a.reference)})", False)]
    if a.hours:
        lines.append((f"المدة: {hours_ar(a.hours)}", False))
    if success:
        lines.append((result_ar(a), True))
    return lines


def page(title: str, inner_border: bool = True) -> tuple[FPDF, Callable[[], None], Callable[[], None]]:
    """An A4 landscape page with the programme's border and fonts, and the two ways of shaping
    text on it (left to right, right to left): shared by every attestation."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_creator("e-TAMKEEN")
    pdf.add_font(FAMILY, fname=str(FONTS / "IBMPlexSansArabic-Regular.ttf"))
    pdf.add_font(FAMILY, style="B", fname=str(FONTS / "IBMPlexSansArabic-Bold.ttf"))
    pdf.add_page()
    pdf.set_draw_color(0, 98, 65)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    if inner_border:
        pdf.set_line_width(0.3)
        pdf.rect(11, 11, 275, 188)

    def ltr() -> None:
        pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")

    def rtl() -> None:
        # No optional ligatures: HarfBuzz would apply Latin "fi" in right-to-left order inside
        # Arabic lines ("verfiy"); the Arabic lam-alef is a required ligature and stays.
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", features={"liga": False},
                             script="arab", language="ara")

    return pdf, ltr, rtl


def render(a: Attestation, verify_link: str, bot_username: str) -> bytes:
    """The PDF (A4 landscape). CPU-bound: call it in a thread."""
    title_fr, title_ar = TITLES[a.kind]
    pdf, ltr, rtl = page(f"{title_fr.capitalize()} {a.code}")
    ltr()
    pdf.set_font(FAMILY, "B", 24)
    pdf.set_xy(15, 20)
    pdf.cell(267, 12, title_fr, align="C")
    rtl()
    pdf.set_xy(15, 33)
    pdf.cell(267, 12, title_ar, align="C")
    pdf.set_font(FAMILY, "", 10)
    ltr()
    pdf.set_xy(15, 46)
    pdf.cell(267, 6, "Programme e-TAMKEEN — renforcement des compétences des fonctionnaires en "
                     "matière de digitalisation", align="C")
    column(pdf, french_lines(a), 20, "L", ltr)
    column(pdf, arabic_lines(a), 153, "R", rtl)

    qr = io.BytesIO()
    segno.make(verify_link, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=20, y=150, w=40, h=40)
    pdf.set_font(FAMILY, "", 10)
    ltr()
    footer = [
        f"Code de vérification : {a.code}",
        f"Vérification : scannez le code QR, ou envoyez /verify {a.code} à @{bot_username} sur Telegram.",
        f"Délivrée le {date_text(a.issued_at, 'fr_MA')}.",
    ]
    for i, line in enumerate(footer):
        pdf.set_xy(66, 152 + i * 6)
        pdf.cell(215, 6, line, align="L")
    rtl()
    footer_ar = [
        f"رمز التحقق: {iso(a.code)}",
        f"للتحقق: امسح رمز {iso('QR')} أو أرسل {iso('/verify ' + a.code)} إلى {iso('@' + bot_username)}"
        " على تيليغرام.",
        f"سلمت بتاريخ {date_text(a.issued_at, 'ar_MA')}.",
    ]
    for i, line in enumerate(footer_ar):
        pdf.set_xy(66, 172 + i * 6)
        pdf.cell(215, 6, line, align="R")
    return bytes(pdf.output())


def column(pdf: FPDF, lines: list[tuple[str, bool]], x: float, align: str, direction) -> None:
    """A column of wrapped lines, 124 mm wide, from y = 60."""
    direction()
    pdf.set_xy(x, 60)
    for text, bold in lines:
        pdf.set_font(FAMILY, "B" if bold else "", 14 if bold else 12)
        pdf.set_x(x)
        pdf.multi_cell(124, 8 if bold else 7, text, align=align, new_x="LEFT", new_y="NEXT")
