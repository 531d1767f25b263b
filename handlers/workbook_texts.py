"""Texts of the catalogue workbook's optional sheets (competence plan lines, reference lists):
the plan lines' error codes (bot/services/plan_lines.py), a plan's status, a reference entry's
heading in the preview."""

from __future__ import annotations

from bot.services.catalogue_plan import Change
from handlers.ui import esc


def line_problems(t) -> dict[str, str]:
    """The error codes of a plan line (bot/services/plan_lines.py), as the workbook shows them."""
    return {
        "training_unknown": t._("This training is not in the catalogue."),
        "training_not_in_theme": t._("This training is not in the line's theme."),
        "theme_unknown": t._("This theme is unknown."),
        "theme_or_training_required": t._("Give a theme or a training."),
        "track_invalid": t._("The track must be strategique or operationnel."),
        "position_unknown": t._("This position is unknown."),
        "region_unknown": t._("This region is unknown."),
        "level_invalid": t._("The level must be central or territorial."),
        "region_with_central_level": t._("A line for the central level has no region."),
        "people_invalid": t._("The number of people must be a whole number above 0."),
        "women_invalid": t._("The number of women must be a whole number, 0 or more."),
        "women_above_people": t._("There are more women than people."),
        "hours_invalid": t._("The hours must be a number, 0 or more."),
        "semester_invalid": t._("The semester must be written like 2027-S1."),
        "semester_outside_plan": t._("This semester is outside the plan's period."),
        "priority_invalid": t._("The priority must be 1, 2 or 3."),
    }


def reference_head(t, c: Change) -> str:
    key = esc(c.key)
    if c.kind == "administration":
        return (t._("➕ New administration {key}", key=key) if c.new
                else t._("✏️ Administration {key}", key=key))
    if c.kind == "theme":
        return t._("➕ New theme {key}", key=key) if c.new else t._("✏️ Theme {key}", key=key)
    return t._("➕ New position {key}", key=key) if c.new else t._("✏️ Position {key}", key=key)


def plan_status(t, status: str) -> str:
    texts = {"draft": t.pgettext("plan status", "a draft"),
             "submitted": t.pgettext("plan status", "submitted"),
             "validated": t.pgettext("plan status", "validated"),
             "returned": t.pgettext("plan status", "returned"),
             "active": t.pgettext("plan status", "active"),
             "closed": t.pgettext("plan status", "closed"),
             "superseded": t.pgettext("plan status", "superseded")}
    return texts.get(status, esc(status))
