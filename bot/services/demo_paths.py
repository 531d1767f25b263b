"""The demo's path and multi-day session (issue 17): a three-day session split into its days,
a path of four modules — three in person, one e-learning — with one cohort, and two coaching
slots."""

from __future__ import annotations

import sqlite3
from datetime import datetime, time, timedelta

from bot.storage import coaching as coaching_repo
from bot.storage import parts as parts_repo
from bot.storage import paths as paths_repo
from bot.timeutil import from_db, from_local, to_local

MULTI_DAY = "DAT-201-03"  # three days: each becomes a part
PATH_CODE = "P-DATA"
MODULES = ("DAT-201", "BUR-101", "EGV-101", "BUR-102")  # in date order; BUR-102 on the platform
COHORT = {"DAT-201": "DAT-201-03", "EGV-101": "EGV-101-03", "BUR-101": "BUR-101-02"}
ELEARNING = ("BUR-102", "https://elearning.example.ma/bur-102")
COACHING_FROM = "TRF-102-01"  # a coaching training's session: its trainer coaches


def _id(conn: sqlite3.Connection, table: str, column: str, value: str) -> int:
    return conn.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()[0]


def seed(conn: sqlite3.Connection, now: datetime) -> None:
    if conn.execute("SELECT 1 FROM paths WHERE code = ?", (PATH_CODE,)).fetchone():
        return  # seeded already
    row = conn.execute("SELECT id, starts_at, ends_at, place_fr, place_ar, trainer_id FROM sessions"
                       " WHERE reference = ?", (MULTI_DAY,)).fetchone()
    start, end = from_db(row["starts_at"]), from_db(row["ends_at"])
    days = (to_local(end).date() - to_local(start).date()).days + 1
    day_end = end - timedelta(days=days - 1)  # the first day's end, at the last day's time
    for d in range(days):
        parts_repo.insert(conn, row["id"], start + timedelta(days=d), day_end + timedelta(days=d),
                          row["place_fr"], row["place_ar"], None, row["trainer_id"], now)
    parts_repo.sync_span(conn, row["id"], now)
    conn.execute("UPDATE trainings SET elearning_url = ? WHERE code = ?", (ELEARNING[1], ELEARNING[0]))
    trainings = [_id(conn, "trainings", "code", code) for code in MODULES]
    path_id = paths_repo.insert_path(conn, PATH_CODE, "Parcours données et e-administration",
                                     "مسار البيانات والإدارة الإلكترونية", trainings, now)
    sessions = {n: _id(conn, "sessions", "reference", COHORT[code])
                for n, code in enumerate(MODULES, 1) if code in COHORT}
    paths_repo.insert_cohort(conn, path_id, f"{PATH_CODE}-1", sessions, now)
    _coaching(conn, now)


def _coaching(conn: sqlite3.Connection, now: datetime) -> None:
    """Two free slots of the coaching training, by the trainer of its sessions."""
    row = conn.execute("SELECT s.training_id, s.trainer_id FROM sessions s WHERE s.reference = ?",
                       (COACHING_FROM,)).fetchone()
    day = to_local(now).date() + timedelta(days=5)
    for n, hour in enumerate((10, 14)):
        start = from_local(datetime.combine(day + timedelta(days=n), time(hour)))
        coaching_repo.insert(conn, row[0], row[1], start, start + timedelta(hours=1), "En ligne", now)
