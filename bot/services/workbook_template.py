"""The catalogue workbook template coordinators download: the two sheets with their headers and
an example row each, and an explanations sheet in the coordinator's language."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.i18n import Translator
from bot.services.workbook import FORMATIONS, REQUIRED, SESSIONS

EXAMPLE_TRAINING = ["CYB-101", "Cybersécurité : les bons réflexes", "الأمن السيبراني: الممارسات السليمة",
                    "", "", "CYBER", "distanciel", 6, "operationnel"]
EXAMPLE_SESSION = ["CYB-101-05", "CYB-101", "2027-03-15 09:00", "2027-03-15 16:00",
                   "Institut national de l'administration, Rabat", "المعهد الوطني للإدارة، الرباط",
                   "RSK", "", 25, "", "2027-03-08 18:00", "non", "fr+ar"]


def explanations(t: Translator) -> dict[str, str]:
    return {
        "code": t._("Stable code of the training (used to update it later)."),
        "titre_fr": t._("Title in French."), "titre_ar": t._("Title in Arabic."),
        "description_fr": t._("Description in French."), "description_ar": t._("Description in Arabic."),
        "theme": t._("Theme code: TRANSFO, DATA, EGOV, IA, CYBER, BUREAU, PROJET."),
        "modalite": t._("presentiel, distanciel, hybride, coaching or voyage_etude."),
        "duree_heures": t._("Length in hours."), "niveau": t._("strategique, operationnel or tous."),
        "reference": t._("Stable reference of the session (used to update it later)."),
        "formation": t._("Code of the training (from the formations sheet or already known)."),
        "debut": t._("Start, Moroccan time: YYYY-MM-DD HH:MM."),
        "fin": t._("End, Moroccan time: YYYY-MM-DD HH:MM."),
        "lieu_fr": t._("Place in French."), "lieu_ar": t._("Place in Arabic."),
        "region": t._("Region code (TTA, ORI, FME, RSK, BMK, CST, MSA, DTA, SMA, GON, LSH, DOD); empty "
                      "for online."),
        "lien_en_ligne": t._("Link of an online session (https://…)."),
        "capacite": t._("Number of places."),
        "formateur": t._("Telegram user id of the trainer."),
        "date_limite": t._("Registration deadline, Moroccan time: YYYY-MM-DD HH:MM."),
        "validation": t._("oui if the focal point must approve each registration, else non."),
        "langue": t._("fr, ar or fr+ar."),
    }


def template(t: Translator) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    formations = wb.active
    formations.title = "formations"
    formations.append(FORMATIONS)
    formations.append(EXAMPLE_TRAINING)
    sessions = wb.create_sheet("sessions")
    sessions.append(SESSIONS)
    sessions.append(EXAMPLE_SESSION)
    for ws in (formations, sessions):
        for cell in ws[1]:
            cell.font = bold
    help_sheet = wb.create_sheet(t._("explanations"))
    help_sheet.sheet_view.rightToLeft = t.rtl
    help_sheet.append([t._("sheet"), t._("column"), t._("required"), t._("meaning")])
    notes = explanations(t)
    for sheet, columns in (("formations", FORMATIONS), ("sessions", SESSIONS)):
        for column in columns:
            required = t._("yes") if column in REQUIRED[sheet] else ""
            help_sheet.append([sheet, column, required, notes[column]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
