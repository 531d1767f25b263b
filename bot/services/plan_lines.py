"""Checking a plan line (the chat flow and the workbook sheet use the same checks): every problem
is reported at once, as (field, code) pairs the UI localises."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.services.periods import PeriodError, semester
from bot.storage import plan_progress
from bot.storage import plans as repo
from bot.storage.schema_plans import TRACKS


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str  # e.g. 'women_above_people': the UI says it in the person's language


class LineInvalid(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(f"{e.field}:{e.code}" for e in errors))
        self.errors = tuple(errors)

    @property
    def codes(self) -> set[str]:
        return {e.code for e in self.errors}


def _whole(value: object) -> int | None:
    """An integer, from an int or from a text of ASCII digits (workbooks give text or floats)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ".")) if str(value).strip().isascii() else None
    except ValueError:
        return None


def check(conn: sqlite3.Connection, raw: dict, start_year: int, end_year: int) -> dict:
    """The line's stored fields from what was typed or read; raises LineInvalid with every error."""
    errors: list[FieldError] = []

    def bad(field: str, code: str) -> None:
        errors.append(FieldError(field, code))

    theme, training = raw.get("theme_code") or None, raw.get("training_id")
    if training is not None and not repo.exists(conn, "trainings", "id", training):
        bad("training_id", "training_unknown")
    elif training is not None and theme is not None and repo.training_theme(conn, training) != theme:
        bad("training_id", "training_not_in_theme")
    if theme is not None and not repo.exists(conn, "themes", "code", theme):
        bad("theme_code", "theme_unknown")
    if theme is None and training is None:
        bad("theme_code", "theme_or_training_required")
    track = raw.get("track") or None
    if track is not None and track not in TRACKS:
        bad("track", "track_invalid")
    for field, table in (("position_code", "positions"), ("region_code", "regions")):
        if raw.get(field) and not repo.exists(conn, table, "code", raw[field]):
            bad(field, f"{field.removesuffix('_code')}_unknown")
    level = raw.get("level") or None
    if level is not None and level not in ("central", "territorial"):
        bad("level", "level_invalid")
    elif level == "central" and raw.get("region_code"):
        bad("region_code", "region_with_central_level")
    people, women = _whole(raw.get("target_people")), _whole(raw.get("target_women", 0))
    if people is None or people <= 0:
        bad("target_people", "people_invalid")
    if women is None or women < 0:
        bad("target_women", "women_invalid")
    elif people is not None and women > people:
        bad("target_women", "women_above_people")
    hours = _number(raw.get("target_hours", 0))
    if hours is None or hours < 0:
        bad("target_hours", "hours_invalid")
    code = str(raw.get("semester") or "").strip().upper()
    try:
        semester(code)
        if not start_year <= int(code[:4]) <= end_year:
            bad("semester", "semester_outside_plan")
    except PeriodError:
        bad("semester", "semester_invalid")
    priority = _whole(raw.get("priority", 2))
    if priority is None or not 1 <= priority <= 3:
        bad("priority", "priority_invalid")
    if errors:
        raise LineInvalid(errors)
    return {"theme_code": theme, "training_id": training,
            "track": track or plan_progress.track_of(conn, theme, training),
            "position_code": raw.get("position_code") or None, "level": level,
            "region_code": raw.get("region_code") or None, "target_people": people,
            "target_women": women, "target_hours": hours, "semester": code, "priority": priority}
