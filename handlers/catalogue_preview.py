"""What a catalogue import will do, as a coordinator reads it (chat and command line): the counts,
then each training and session created or changed, field by field (old → new), and how many
people a moved session will tell. The problems otherwise, each with its sheet, row and column."""

from __future__ import annotations

from bot.services.catalogue_export import when
from bot.services.catalogue_plan import Change, Plan
from bot.services.links import link_reason, shown
from bot.services.workbook import Problem
from bot.services.workbook_cells import CLEAR
from handlers.ui import esc
from handlers.workbook_texts import line_problems, plan_status, reference_head

MAX_LISTED = 25
LONG = 3500  # characters: beyond this the preview comes as a file, with a summary in the chat
CUT = 120  # a long text (a description) is shown by its beginning


def problem_text_for(t, p: Problem) -> str:
    v, x = esc(p.value), esc(p.extra)
    reasons = {
        "not_workbook": t._("This file is not an Excel workbook (.xlsx)."),
        "too_big": t._("The file is too big ({extra} MB at most).", extra=p.value),
        "missing_sheet": t._("The sheet is missing."),
        "missing_column": t._("The column is missing."),
        "required": t._("This cell is required."),
        "formula": t.to_person("This cell holds a formula ({value}) whose value was never computed: type the "
                               "value itself, or open and save the file in Excel or LibreOffice.", value=v),
        "not_clearable": t._("This cell cannot be emptied ({marker} only empties optional cells).",
                             marker=CLEAR),
        "bad_choice": t.to_person("“{value}” is not allowed here; use one of: {extra}.", value=v, extra=x),
        "bad_date": t._("“{value}” is not a date and time like 2027-03-15 09:00.", value=v),
        "bad_number": t._("“{value}” is not a positive number.", value=v),
        "unknown_theme": t._("Unknown theme “{value}” (known: {extra}).", value=v, extra=x),
        "unknown_region": t._("Unknown region “{value}”.", value=v),
        "unknown_training": t._("No training has the code “{value}”.", value=v),
        "unknown_trainer": t.to_person("No trainer is “{value}”: write the code shown in /roles (F001…) or "
                                       "the trainer's full name.", value=v),
        "ambiguous_trainer": t.to_person("Several trainers are called “{value}”: write the code shown in "
                                         "/roles instead.", value=v),
        "duplicate": t._("“{value}” appears twice (first on row {extra}).", value=v, extra=x),
        "end_before_start": t._("The session ends before it starts."),
        "in_past": t._("The session would start in the past."),
        "deadline_after_start": t._("The registration deadline is after the start of the session."),
        "session_cancelled": t._("Session {value} is cancelled: it cannot be changed.", value=v),
        "session_started": t._("Session {value} has already started: it cannot be changed.", value=v),
        "has_registrations": t.to_person("This session has registrations ({extra}): it cannot move to "
                                         "another training. Cancel it and create a session of training "
                                         "{value}.",
                                         value=v, extra=_number(t, p.extra)),
        "capacity_below": t._("Capacity {value} is below the {extra} places already taken.",
                              value=v, extra=x),
        "capacity_below_reserved": t._("Capacity {value} is below the {extra} places still reserved "
                                       "for administrations.", value=v, extra=x),
        "bad_url": t._("“{value}”: {reason}", value=esc(t.iso(shown(p.value))),
                       reason=link_reason(t, p.extra)),
        "too_many_rows": t._("Too many rows ({value} at most).", value=v),
        "too_many_columns": t._("Too many headed columns ({value} at most).", value=v),
        "too_big_unpacked": t.to_person("The workbook is too large once unpacked: delete the empty rows "
                                        "and columns that only carry formatting, or split it, and send it "
                                        "again."),
        "too_slow": t.to_person("Reading the workbook took more than {value} seconds, so I stopped. Delete "
                                "the empty rows and columns that only carry formatting, or split it, and "
                                "send it again.", value=_seconds(t, p)),
        "unknown_administration": t._("Unknown administration “{value}”.", value=v),
        "unknown_position": t._("Unknown position “{value}”.", value=v),
        "bad_period": t._("“{value}” is not a period of at most six years like 2027-2028.", value=v),
        "plan_not_draft": t._("The plan {value} is {extra}: only a draft's lines can change (start a "
                              "new version of it first).", value=v, extra=plan_status(t, p.extra)),
        "bad_reservation": t._("“{value}” is not a reservation like MJ 5 2027-03-01 09:00.", value=v),
        "too_many_reserved": t._("{value}: more places reserved than the session's {extra}.",
                                 value=v, extra=x),
        "bad_release": t._("The date when the places are open to everyone must be to come and "
                           "before the start of the session."),
        "duplicate_line": t._("The same line is already on row {extra}.", extra=x),
        "bad_code": t._("“{value}” is not a code: 1 to 20 letters, digits, - or _.", value=v),
        "too_long": t._("“{value}” is too long ({extra} characters at most).", value=v, extra=x),
        "parent_cycle": t._("An administration cannot be its own parent, even through others."),
        **line_problems(t),
        "unreadable": t.to_person("I could not read this workbook. Save it again as .xlsx (Excel or "
                                  "LibreOffice) and send it again."),
    }
    where = t.join(x for x in (
        # TRANSLATORS: where a problem is in the Excel workbook: a sheet (tab), a row, a column.
        t._("sheet {sheet}", sheet=esc(p.sheet)) if p.sheet else "",
        t._("row {row}", row=t.number(p.row)) if p.row else "",
        t._("column {column}", column=esc(p.column)) if p.column else "") if x)
    reason = reasons.get(p.code, esc(p.code))
    return f"• {where}: {reason}" if where else f"• {reason}"


def _number(t, text: str) -> str:
    return t.number(int(text)) if text.isdigit() else esc(text)


def _seconds(t, p: Problem) -> str:
    try:
        return t.number(float(p.value))
    except ValueError:
        return esc(p.value)


def summary_for(t, plan: Plan) -> str:
    lines = [
        t._("<b>What the import will do</b>"),
        t.ngettext("{n} new training", "{n} new trainings", len(plan.keys("training", True))),
        t.ngettext("{n} training changed", "{n} trainings changed", len(plan.keys("training", False))),
        t.ngettext("{n} new session", "{n} new sessions", len(plan.keys("session", True))),
        t.ngettext("{n} session changed (its people will be told)",
                   "{n} sessions changed (their people will be told)", len(plan.keys("session", False))),
        t.ngettext("{n} line unchanged", "{n} lines unchanged", plan.unchanged),
    ]
    if plan.keys("plan_line", True) or plan.keys("plan_line", False):
        lines.append(t.ngettext("{n} new plan line", "{n} new plan lines",
                                len(plan.keys("plan_line", True)) + len(plan.keys("plan_line", False))))
    references = sum(c.kind in ("administration", "theme", "position") for c in plan.changes)
    if references:
        lines.append(t.ngettext("{n} reference entry created or changed",
                                "{n} reference entries created or changed", references))
    if plan.told:
        lines.append(t.ngettext("{n} participant will be told of a change to their session.",
                                "{n} participants will be told of a change to their session.", plan.told))
    if plan.examples:
        lines.append(t.ngettext("{n} example row skipped (never applied).",
                                "{n} example rows skipped (never applied).", plan.examples))
    return "\n".join(lines)


def _shown(t, value) -> str:
    if value is None or value == "":
        # TRANSLATORS: the value of an empty cell of the workbook, in a before/after list.
        return t._("(empty)")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "tzinfo"):
        return t.iso(when(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return esc(t.iso(text if len(text) <= CUT else text[:CUT] + "…"))


def change_text(t, c: Change) -> str:
    if c.kind == "training":
        # TRANSLATORS: {key} is the training's code in the workbook.
        head = (t._("➕ New training {key}", key=esc(c.key)) if c.new
                else t._("✏️ Training {key}", key=esc(c.key)))
    elif c.kind in ("administration", "theme", "position"):
        head = reference_head(t, c)
    elif c.kind == "plan_line":  # c.new: the plan itself is created
        head = (t._("➕ New plan {key}, its line", key=esc(c.key)) if c.new
                else t._("➕ New line of plan {key}", key=esc(c.key)))
    else:
        head = (t._("➕ New session {key}", key=esc(c.key)) if c.new
                else t._("✏️ Session {key}", key=esc(c.key)))
    lines = [f"<b>{head}</b>"]
    for column, old, new in c.fields:
        if c.new:
            if new not in (None, ""):
                lines.append(f"  {column}: {_shown(t, new)}")
        else:
            # Arabic says "من … إلى …": an arrow between right-to-left runs points back to the old value.
            lines.append(f"  {column}: " + t.pgettext("change", "{old} → {new}", old=_shown(t, old),
                                                      new=_shown(t, new)))
    if c.told:
        lines.append("  " + t.ngettext("👥 {n} person will be told.", "👥 {n} people will be told.", c.told))
    return "\n".join(lines)


def plan_text_for(t, plan: Plan) -> str:
    """The preview (whole) or the problems, in the given language."""
    if not plan.ok:
        lines = [t.ngettext("<b>The workbook has {n} problem</b>; nothing was changed:",
                            "<b>The workbook has {n} problems</b>; nothing was changed:", len(plan.problems))]
        lines += [problem_text_for(t, p) for p in plan.problems[:MAX_LISTED]]
        if len(plan.problems) > MAX_LISTED:
            lines.append(t.ngettext("… and {n} more.", "… and {n} more.", len(plan.problems) - MAX_LISTED))
        return "\n".join(lines)
    if not plan.changes:
        return nothing_text(t, plan)
    return "\n\n".join([summary_for(t, plan), *(change_text(t, c) for c in plan.changes)])


def nothing_text(t, plan: Plan) -> str:
    text = t._("Nothing to change: the workbook matches the catalogue.")
    if plan.examples:
        text += "\n" + t.ngettext("{n} example row skipped (never applied).",
                                  "{n} example rows skipped (never applied).", plan.examples)
    return text
