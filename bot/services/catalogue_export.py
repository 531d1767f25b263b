"""The current catalogue as rows of the catalogue workbook (DESIGN 5.4), so that a coordinator
can download it, edit it and send it back (the round trip): every training, and the sessions
still to come that are not cancelled (a session that has started can no longer be changed). The
codes sheet lists themes, regions and trainers by code and name, in both languages."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage import trainer_codes
from bot.timeutil import from_db, to_db, to_local


def when(instant: datetime | None) -> str:
    """A date as the workbook reads it: Moroccan time, YYYY-MM-DD HH:MM."""
    return to_local(instant).strftime("%Y-%m-%d %H:%M") if instant else ""


def catalogue_rows(conn: sqlite3.Connection, now: datetime) -> tuple[list[list], list[list]]:
    trainings = [[r["code"], r["title_fr"], r["title_ar"], r["description_fr"], r["description_ar"],
                  r["theme_code"], r["modality"],
                  _hours(r["duration_hours"]), r["level"]]
                 for r in conn.execute("SELECT * FROM trainings ORDER BY code")]
    from bot.services.catalogue_quotas import export_texts

    codes = trainer_codes.codes(conn)
    reserved = export_texts(conn)
    sessions = []
    for r in conn.execute(
            """SELECT s.*, t.code AS training_code FROM sessions s JOIN trainings t ON t.id = s.training_id
                WHERE s.status != 'cancelled' AND s.starts_at > ? ORDER BY s.starts_at, s.reference""",
            (to_db(now),)):
        trainer = r["trainer_id"]
        sessions.append([r["reference"], r["training_code"], when(from_db(r["starts_at"])),
                         when(from_db(r["ends_at"])), r["place_fr"], r["place_ar"], r["region_code"] or "",
                         r["online_url"] or "", r["capacity"],
                         codes.get(trainer, str(trainer)) if trainer is not None else "",
                         when(from_db(r["registration_deadline"])),
                         "oui" if r["needs_approval"] else "non", r["language"],
                         reserved.get(r["id"], "")])
    return trainings, sessions


def _hours(value):
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def reference_rows(conn: sqlite3.Connection) -> list[list]:
    """[kind, code, name in French, name in Arabic] of every theme, region and current trainer."""
    rows = []
    for kind, table in (("theme", "themes"), ("region", "regions")):
        query = f"SELECT code, name_fr, name_ar FROM {table} ORDER BY sort, code"
        rows += [[kind, *r] for r in conn.execute(query)]
    rows += [["formateur", code, name or "", name or ""]
             for _, code, name, active in trainer_codes.trainers(conn) if active and code]
    return rows
