"""The catalogue workbook coordinators download: the two sheets (and `prc`) with their headers, then either
an example row each (/template: marked as examples, never applied) or the current catalogue
(the round trip); an explanations sheet in the coordinator's language, and a codes sheet with
the themes, regions and trainers by code and name."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.i18n import Translator
from bot.services.workbook import FORMATIONS, REQUIRED, SESSIONS
from bot.services.workbook_cells import CLEAR, EXAMPLE_PREFIX
from bot.services.workbook_extra import PRC, REFERENCES, REQUIRED_EXTRA

EXAMPLE_TRAINING = [f"{EXAMPLE_PREFIX}CYB-101", "Cybersécurité : les bons réflexes",
                    "الأمن السيبراني: الممارسات السليمة", "", "", "CYBER", "distanciel", 6, "operationnel"]
EXAMPLE_SESSION = [f"{EXAMPLE_PREFIX}CYB-101-05", f"{EXAMPLE_PREFIX}CYB-101", "2027-03-15 09:00",
                   "2027-03-15 16:00", "Institut national de l'administration, Rabat",
                   "المعهد الوطني للإدارة، الرباط", "RSK", "", 25, "", "2027-03-08 18:00", "non", "fr+ar",
                   "MJ 5 2027-03-01 09:00"]

# A line of a competence plan: 20 people (8 women), 120 hours of cybersecurity in 2027's first half.
EXAMPLE_PRC = [f"{EXAMPLE_PREFIX}MEF", "2027-2028", "CYBER", "", "operationnel", "cadre", "central", "",
               20, 8, 120, "2027-S1", 1]


def prc_explanations(t: Translator) -> dict[str, str]:
    return {
        "administration": t._("Administration whose plan gets the line: its code or its name."),
        "periode": t._("Period of the plan, like 2027-2028 (the plan is created if it does not "
                       "exist; its latest version must be a draft)."),
        "theme": t._("Theme: its code or its name (a theme or a training is required)."),
        "formation": t._("Code of a precise training (optional)."),
        "axe": t._("strategique or operationnel (empty: the theme's or the training's)."),
        "poste": t._("Target position: its code or its name (optional)."),
        "niveau": t._("Target level: central or territorial (optional)."),
        "region": t._("Target region: its code or its name (optional; not with central)."),
        "personnes": t._("Target number of people."),
        "femmes": t._("Of which women (0 if empty)."),
        "heures": t._("Target training hours (0 if empty)."),
        "semestre": t._("Semester, like 2027-S1 (S1: January–June, S2: July–December), within the "
                        "plan's period."),
        "priorite": t._("Priority: 1, 2 or 3 (2 if empty)."),
    }


def reference_explanations(t: Translator) -> dict[str, str]:
    return {
        "code": t._("Code of the entry: it never changes (an existing code changes that entry)."),
        "nom_fr": t._("Name in French."), "nom_ar": t._("Name in Arabic."),
        "parent": t._("Code of the administration it belongs to (optional)."),
        "actif": t._("oui, or non to hide it from the choices (what it counts is kept)."),
        "type": t._("strategique or operationnel."),
    }


def explanations(t: Translator) -> dict[str, str]:
    return {
        "code": t._("Stable code of the training (used to update it later)."),
        "titre_fr": t._("Title in French."), "titre_ar": t._("Title in Arabic."),
        "description_fr": t._("Description in French."), "description_ar": t._("Description in Arabic."),
        "theme": t._("Theme: its code or its name in French or Arabic (see the codes sheet)."),
        "modalite": t._("presentiel, distanciel, hybride, coaching or voyage_etude."),
        "duree_heures": t._("Length in hours."), "niveau": t._("strategique, operationnel or tous."),
        "reference": t._("Stable reference of the session (used to update it later)."),
        "formation": t._("Code of the training (from the formations sheet or already known)."),
        "debut": t._("Start, Moroccan time: YYYY-MM-DD HH:MM."),
        "fin": t._("End, Moroccan time: YYYY-MM-DD HH:MM."),
        "lieu_fr": t._("Place in French."), "lieu_ar": t._("Place in Arabic."),
        "region": t._("Region: its code or its name in French or Arabic (see the codes sheet); empty "
                      "for online."),
        "lien_en_ligne": t._("Link of an online session (https://…)."),
        "capacite": t._("Number of places."),
        "formateur": t._("Trainer: the code shown in /roles (F001…) or the trainer's full name."),
        "date_limite": t._("Registration deadline, Moroccan time: YYYY-MM-DD HH:MM."),
        "validation": t._("oui if the focal point must approve each registration, else non."),
        "langue": t._("fr, ar or fr+ar."),
        "places_reservees": t._("Places reserved for administrations: code, places and, if they are "
                                "to be open to everyone at a date, that date and time, like "
                                "MJ 5 2027-03-01 09:00; several separated by ;."),
    }


def rules(t: Translator) -> list[str]:
    """How the workbook is read, said once above the explanations."""
    return [
        t._("A blank cell leaves the stored value unchanged (for a new row: the default)."),
        t._("To empty an optional cell, write {marker} in it.", marker=CLEAR),
        t._("Rows whose code or reference starts with {prefix} are examples: they are never applied.",
            prefix=EXAMPLE_PREFIX),
        t._("The optional sheets administrations, themes and postes add entries to the reference "
            "lists or change them; nothing is deleted."),
        t._("In the prc sheet (optional), each row adds a line to a competence plan; a row whose "
            "administration starts with {prefix} is an example.", prefix=EXAMPLE_PREFIX),
    ]


def template(t: Translator, reference: Sequence[Sequence[Any]] = (), trainings=None, sessions=None) -> bytes:
    """The workbook; with no rows given, the examples."""
    wb = Workbook()
    bold = Font(bold=True)
    formations = wb.active
    formations.title = "formations"
    formations.append(FORMATIONS)
    for row in [EXAMPLE_TRAINING] if trainings is None else trainings:
        formations.append(row)
    sheet = wb.create_sheet("sessions")
    sheet.append(SESSIONS)
    for row in [EXAMPLE_SESSION] if sessions is None else sessions:
        sheet.append(row)
    help_sheet = wb.create_sheet(t._("explanations"))
    help_sheet.sheet_view.rightToLeft = t.rtl
    for line in rules(t):
        help_sheet.append([line])
    help_sheet.append([])
    help_sheet.append([t._("sheet"), t._("column"), t._("required"), t._("meaning")])
    common = explanations(t)
    references = reference_explanations(t)
    notes = {"formations": common, "sessions": common, "prc": prc_explanations(t),
             **dict.fromkeys(REFERENCES, references)}
    sheets = [("formations", FORMATIONS), ("sessions", SESSIONS), ("prc", PRC),
              *((sheet, columns) for sheet, (_, columns) in REFERENCES.items())]
    for name, columns in sheets:
        for column in columns:
            required = t._("yes") if column in {**REQUIRED, **REQUIRED_EXTRA}[name] else ""
            help_sheet.append([name, column, required, notes[name][column]])
    codes = wb.create_sheet(t._("codes"))
    codes.sheet_view.rightToLeft = t.rtl
    codes.append([t._("column"), t._("code"), t._("name in French"), t._("name in Arabic")])
    for row in reference:
        codes.append(row)
    prc = wb.create_sheet("prc")  # last: the first four keep their places
    prc.append(PRC)
    if trainings is None:
        prc.append(EXAMPLE_PRC)
    for ws in (formations, sheet, prc, codes):
        for cell in ws[1]:
            cell.font = bold
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
