"""The words of the plan screens: statuses, progress, tracks, levels, and every refusal of the plan
rules (bot/services/plans.py, plan_lines.py) in the person's language."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.plan_progress import Progress

STATUS_SYMBOLS = {"draft": "📝", "submitted": "📨", "validated": "✅", "returned": "↩️",
                  "active": "▶️", "closed": "🔒", "superseded": "🗄"}


def status_word(t: Translator, status: str) -> str:
    words = {"draft": t._("draft"), "submitted": t._("submitted"), "validated": t._("validated"),
             "returned": t._("returned"), "active": t._("active"), "closed": t._("closed"),
             "superseded": t._("superseded")}
    return f"{STATUS_SYMBOLS.get(status, '')} {words.get(status, status)}"


def progress_word(t: Translator, progress: Progress) -> str:
    """A symbol and a word, so that colour is never the only sign."""
    words = {Progress.REACHED: t._("reached"), Progress.ON_TRACK: t._("on track"),
             Progress.BEHIND: t._("behind"), Progress.LATE: t._("late")}
    return f"{progress.symbol} {words[progress]}"


def track_word(t: Translator, track: str | None) -> str:
    return {"strategique": t._("strategic"), "operationnel": t._("operational")}.get(track or "", "—")


def level_word(t: Translator, level: str | None) -> str:
    return {"central": t._("central"), "territorial": t._("territorial")}.get(level or "", t._("any"))


def plan_error(t: Translator, code: str) -> str:
    """A refusal of the plan rules."""
    return {
        "period_invalid": t._("This period is not possible: from one to six years, from 2000 on."),
        "not_allowed": t._("This plan belongs to another administration."),
        "administration_unknown": t._("This administration is unknown."),
        "plan_exists": t._("A plan for this period already exists."),
        "not_found": t._("This plan no longer exists."),
        "reason_required": t._("Please type the reason for returning the plan."),
        "illegal_transition": t._("This plan's status has changed meanwhile: nothing was done."),
        "no_lines": t._("A plan without lines cannot be submitted: add a line first."),
        "not_revisable": t._("A new version can only start from the latest returned, validated or "
                             "active version."),
        "not_editable": t._("This version can no longer be changed: start a new version."),
        "changed_meanwhile": t._("Someone changed this line meanwhile: nothing was changed. Open "
                                 "the plan again to see it as it is now."),
        "session_unknown": t._("This session no longer exists."),
    }.get(code, t._("This button is no longer valid."))


def line_error(t: Translator, code: str) -> str:
    """One problem of a plan line (plan_lines.check's codes)."""
    return {
        "training_unknown": t._("The training is unknown."),
        "training_not_in_theme": t._("The training is not in the chosen theme."),
        "theme_unknown": t._("The theme is unknown."),
        "theme_or_training_required": t._("Choose a theme or a training."),
        "track_invalid": t._("The track must be strategic or operational."),
        "position_unknown": t._("The position is unknown."),
        "region_unknown": t._("The region is unknown."),
        "level_invalid": t._("The level must be central or territorial."),
        "region_with_central_level": t._("A region cannot be given for the central level."),
        "people_invalid": t._("The number of people must be a whole number above zero."),
        "women_invalid": t._("The number of women must be a whole number, zero or more."),
        "women_above_people": t._("There cannot be more women than people."),
        "hours_invalid": t._("The hours must be a number, zero or more."),
        "semester_invalid": t._("The semester must be written like 2027-S1."),
        "semester_outside_plan": t._("The semester is outside the plan's years."),
        "priority_invalid": t._("The priority must be 1, 2 or 3."),
    }.get(code, code)
