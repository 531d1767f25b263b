"""One plan version's screen, the same for a focal point (/prc: they edit a draft, link sessions,
submit, revise) and for the national team (/plans: lines read-only, the decisions the status
allows). Planned against achieved per line and for the plan, with a symbol and a word."""

from __future__ import annotations

import sqlite3

from babel.numbers import format_percent

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.plan_progress import LineProgress, PlanProgress
from handlers.plan_buttons import (
    AddLine,
    Decide,
    DeleteLine,
    EditLine,
    LinkLine,
    NewVersion,
    PlanOpen,
    PlansPage,
    ReturnPlan,
    ScheduleFrom,
    Submit,
)
from handlers.prc_text import level_word, progress_word, status_word, track_word
from handlers.ui import button, esc, keyboard, nav_row

LINES_PER_PAGE = 6
LINKABLE = ("draft", "submitted", "validated", "active")
SCHEDULABLE = ("validated", "active")  # a session is scheduled for what the national team agreed
EDITABLE = ("draft", "returned")  # a returned plan's line is changed in a new version


def percent(t: Translator, share: float) -> str:
    """45 %, ٪45: Babel writes the sign where each language does."""
    return format_percent(round(share, 2), locale=t.locale)


async def line_text(context: BotContext, n: int, p: LineProgress) -> str:
    t, ref, line = context.t, context.services.reference, p.line
    theme = ref.get("themes", line["theme_code"])
    what = t.pick(theme.name_fr, theme.name_ar) if theme else "—"
    if line["training_id"] is not None:
        training = await context.services.catalogue.training(line["training_id"])
        if training is not None:
            what = f"{what} · {t.pick(training.title_fr, training.title_ar)}"
    head = t._("{n}. <b>{what}</b> · {track} · {semester} · priority {priority}", n=t.number(n),
               what=esc(what), track=track_word(t, line["track"]), semester=t.iso(line["semester"]),
               priority=t.number(line["priority"]))
    rows = [head]
    targets = []
    position = ref.get("positions", line["position_code"])
    if position:
        targets.append(t.pick(position.name_fr, position.name_ar))
    if line["level"]:
        targets.append(level_word(t, line["level"]))
    region = ref.get("regions", line["region_code"])
    if region:
        targets.append(t.pick(region.name_fr, region.name_ar))
    if targets:
        rows.append(t._("   🎯 For: {who}", who=esc(t.join(targets))))
    rows.append(t._("   👥 {people}/{target_people} people · 👩 {women}/{target_women} women · "
                    "⏱ {hours}/{target_hours} h — {status}",
                    people=t.number(p.people), target_people=t.number(line["target_people"]),
                    women=t.number(p.women), target_women=t.number(line["target_women"]),
                    hours=t.number(p.hours), target_hours=t.number(line["target_hours"]),
                    status=progress_word(t, p.status)))
    rows.append(t.ngettext("   🔗 {n} session counted", "   🔗 {n} sessions counted", p.sessions))
    return "\n".join(rows)


async def render(context: BotContext, version: sqlite3.Row, progress: PlanProgress, page: int,
                 national: bool, others: list[sqlite3.Row] = ()) -> tuple[str, object]:
    """`others`: the administration's other plans (other periods), offered as buttons."""
    t = context.t
    admin = context.services.reference.get("administrations", version["administration_code"])
    name = t.pick(admin.name_fr, admin.name_ar) if admin else version["administration_code"]
    status = version["status"]
    women = sum(p.women for p in progress.lines)
    hours = sum(p.hours for p in progress.lines)
    text = [t._("<b>Competence plan — {administration}</b>", administration=esc(name)),
            t._("Period {start}–{end} · version {number} · {status}", start=version["start_year"],
                end=version["end_year"], number=t.number(version["number"]),
                status=status_word(t, status))]
    if status == "returned" and version["reason"]:
        text.append(t._("↩️ Returned by the national team: {reason}", reason=esc(t.iso(version["reason"]))))
        if not national:
            text.append(t.to_person("Start a new version to revise it and submit it again."))
    if progress.lines:
        text.append(t._("Achieved: {people}/{target} people, {women}/{target_women} women, "
                        "{hours}/{target_hours} h — {status} ({elapsed} of the period elapsed)",
                        people=t.number(progress.people), target=t.number(progress.target_people),
                        women=t.number(women),
                        target_women=t.number(sum(p.line["target_women"] for p in progress.lines)),
                        hours=t.number(round(hours, 2)),
                        target_hours=t.number(sum(p.line["target_hours"] for p in progress.lines)),
                        status=progress_word(t, progress.status), elapsed=percent(t, progress.elapsed)))
    else:
        text.append(t._("This plan has no line yet."))
    if status in ("validated", "active"):
        text.append(t._("A validated or active plan is not changed in place: a new version is "
                        "started to change its lines."))
    pages = max(1, -(-len(progress.lines) // LINES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    first = page * LINES_PER_PAGE
    shown = progress.lines[first: first + LINES_PER_PAGE]
    rows = []
    for n, p in enumerate(shown, start=first + 1):
        text.append("")
        text.append(await line_text(context, n, p))
        row = []
        if status in EDITABLE:
            row.append(button(t._("✏️ Edit {n}", n=t.number(n)), EditLine(p.line["id"], national)))
        if national:
            if status in SCHEDULABLE:
                row.append(button(t._("📅 Schedule from {n}", n=t.number(n)), ScheduleFrom(p.line["id"])))
            rows.append(row)
            continue
        if status == "draft":
            row.append(button(t._("🗑 Delete {n}", n=t.number(n)), DeleteLine(p.line["id"])))
        if status in LINKABLE:
            row.append(button(t._("🔗 Sessions of {n}", n=t.number(n)), LinkLine(p.line["id"])))
        rows.append(row)
    rows.append(nav_row(t, page, pages, lambda n: PlanOpen(version["id"], n, national)))
    rows += _actions(t, version, national)
    rows.append([button(f"{p['start_year']}–{p['end_year']}", PlanOpen(p["id"], 0, national))
                 for p in others if p["plan_id"] != version["plan_id"]
                 and p["administration_code"] == version["administration_code"]])
    return "\n".join(text), keyboard(rows)


def _actions(t: Translator, version: sqlite3.Row, national: bool) -> list[list]:
    vid, status = version["id"], version["status"]
    if national:
        decisions = {"submitted": [button(t._("✅ Validate"), Decide(vid, "validate")),
                                   button(t._("↩️ Return"), ReturnPlan(vid))],
                     "validated": [button(t._("▶️ Activate"), Decide(vid, "activate"))],
                     "active": [button(t._("🔒 Close"), Decide(vid, "close"))]}
        return [decisions.get(status, []), [button(t._("« All plans"), PlansPage())]]
    if status == "draft":
        return [[button(t._("➕ Add a line"), AddLine(vid))],
                [button(t._("📨 Submit to the national team"), Submit(vid))]]
    if status in ("returned", "validated", "active"):
        return [[button(t._("📝 Start a new version"), NewVersion(vid))]]
    return []
