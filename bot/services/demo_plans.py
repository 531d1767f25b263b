"""Demo competence plans, so that `make demo` shows the cockpit (/plans) and a focal point's /prc:
one validated plan whose lines are linked to demo sessions (its achieved figures come from the
demo attendance), one submitted, one returned with its reason. Idempotent like the rest of the
demo: a plan already there (administration × years) is left as it is."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.services.periods import semester_of
from bot.storage import plan_progress
from bot.storage import plans as repo
from bot.timeutil import to_local

# (administration, final status, reason, lines: (theme, people, women, hours, priority, sessions))
PlanLine = tuple[str, int, int, int, int, tuple[str, ...]]
PLANS: list[tuple[str, str, str | None, list[PlanLine]]] = [
    ("MTNRA", "validated", None, [
        ("TRANSFO", 20, 8, 280, 1, ("TRF-101-01", "TRF-101-02")),
        ("IA", 30, 12, 420, 1, ("IA-101-01", "IA-101-02")),
        ("CYBER", 15, 6, 105, 2, ("CYB-102-01", "CYB-102-02")),
    ]),
    ("MI", "submitted", None, [
        ("EGOV", 25, 10, 350, 1, ()),
        ("BUREAU", 40, 20, 560, 3, ()),
    ]),
    ("MSPS", "returned", "Les cibles de femmes sont trop basses : visez au moins 40 %.", [
        ("IA", 12, 2, 168, 2, ()),
    ]),
]
STEPS = {"validated": ("submitted", "validated"), "submitted": ("submitted",),
         "returned": ("submitted", "returned")}


def seed_plans(conn: sqlite3.Connection, now: datetime, actor_id: int | None = None) -> int:
    """Write the demo plans for the years of `now` and the next; returns how many were added."""
    year = to_local(now).year
    current = semester_of(now)  # within the plan's years whatever the demo's date
    added = 0
    for administration, status, reason, lines in PLANS:
        if repo.find_plan(conn, administration, year, year + 1) is not None:
            continue
        _, version = repo.create_plan(conn, administration, year, year + 1, actor_id, now)
        for theme, people, women, hours, priority, sessions in lines:
            line = repo.add_line(conn, version, {
                "theme_code": theme, "training_id": None,
                "track": plan_progress.track_of(conn, theme, None), "position_code": None,
                "level": None, "region_code": None, "target_people": people, "target_women": women,
                "target_hours": hours, "semester": current, "priority": priority})
            for reference in sessions:
                found = conn.execute("SELECT id FROM sessions WHERE reference = ?", (reference,)).fetchone()
                if found:
                    repo.link(conn, line, found[0])
        for step in STEPS[status]:
            repo.set_status(conn, version, step, actor_id, now, reason if step == "returned" else None)
        added += 1
    return added
