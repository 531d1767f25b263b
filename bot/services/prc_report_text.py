"""What a semi-annual report says, in one language: a list of blocks (title, paragraphs,
headings, tables) built from a report's snapshot, which the PDF and the XLSX renderers lay out.
Table cells keep numbers as numbers (the spreadsheet sums them); the PDF formats them.
None in a cell: hidden (a group under anonymity.MIN_GROUP people) or not applicable."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import Translator
from bot.services import vocabulary as vocab
from bot.services.anonymity import MIN_GROUP
from bot.timeutil import from_db


@dataclass
class Table:
    header: list[str]
    rows: list[list] = field(default_factory=list)
    hidden: str = ""  # what a hidden cell (None) means


@dataclass
class Document:
    title: str
    lines: list[str]  # under the title: who, when, frozen or provisional
    blocks: list[tuple[str, object]]  # ("heading", str) | ("table", Table) | ("text", str)
    at: str  # the snapshot's instant (the files' creation date, for identical re-issues)


def semester_name(t: Translator, code: str) -> str:
    year, half = code.split("-S")
    text = (t.pgettext("semester", "January–June {year}", year=year) if half == "1"
            else t.pgettext("semester", "July–December {year}", year=year))
    return f"{text} ({code})"


def _track(t: Translator, code: str) -> str:
    return {"strategique": t.pgettext("report", "Strategic"),
            "operationnel": t.pgettext("report", "Operational")}.get(code, code)


def _progress(t: Translator, name: str) -> str:
    # Words, not coloured symbols: the PDF's font has no emoji, and a word needs no colour.
    return {"reached": t.pgettext("report", "Reached"), "on_track": t.pgettext("report", "On track"),
            "behind": t.pgettext("report", "Behind"), "late": t.pgettext("report", "Late")}[name]


def _plan_status(t: Translator, status: str) -> str:
    return {"validated": t.pgettext("plan status", "validated"),
            "active": t.pgettext("plan status", "active"),
            "closed": t.pgettext("plan status", "closed")}.get(status, status)


def _label(t: Translator, pair) -> str:
    """A reference label [code, fr, ar] (or None: not specified)."""
    if not pair or pair[0] is None:
        return t.pgettext("report", "Not specified")
    return t.pick(pair[1] or pair[0], pair[2] or pair[0])


def _target(t: Translator, line: dict) -> str:
    parts = [_label(t, line["position"])] if line["position"] else []
    if line["level"]:
        parts.append(vocab.level(t, line["level"]))
    if line["region"]:
        parts.append(_label(t, line["region"]))
    return t.join(parts) if parts else t.pgettext("report", "Every official")


def _heading_lines(t: Translator, snap: dict) -> list[str]:
    lines = [t._("Semester: {semester}", semester=semester_name(t, snap["semester"]))]
    if snap.get("provisional"):
        lines.append(t._("Provisional: the semester is not over, the figures will change until the "
                         "report is issued."))
    else:
        lines.append(t._("Issued on {date}: these figures are frozen and will not change.",
                         date=t.date(from_db(snap["at"]))))
    return lines


def _figures(r: dict) -> list:
    return [r["planned"]["people"], r["planned"]["women"], r["planned"]["hours"],
            r["achieved"]["people"], r["achieved"]["women"], r["achieved"]["hours"]]


def _figure_columns(t: Translator) -> list[str]:
    return [t.pgettext("report", "Planned: people"), t.pgettext("report", "Planned: women"),
            t.pgettext("report", "Planned: hours"), t.pgettext("report", "Trained: people"),
            t.pgettext("report", "Trained: women"), t.pgettext("report", "Trained: hours")]


def _evaluation_columns(t: Translator) -> list[str]:
    return [t.pgettext("report", "Hot evaluations (people)"), t.pgettext("column", "Mean satisfaction (1-5)"),
            t.pgettext("report", "Cold evaluations (people)"), t.pgettext("column", "Skills applied (%)")]


def _evaluation(e: dict) -> list:
    return [e["hot"], e["satisfaction"], e["cold"], e["applied"]]


def document(t: Translator, snap: dict) -> Document:
    if snap["kind"] == "national":
        return _national(t, snap)
    hidden = t.pgettext("anonymised", "Not shown (fewer than {min} people)", min=t.number(MIN_GROUP))
    head = [t._("Administration: {name}", name=_label(t, snap["administration"])),
            t._("Plan {years}, version {number} ({status})", years=snap["plan"]["years"],
                number=t.number(snap["plan"]["version"]), status=_plan_status(t, snap["plan"]["status"]))]
    number = t.pgettext("report", "No.")
    lines = Table([number, t.pgettext("report", "Line"), t.pgettext("report", "Track"),
                   t.pgettext("report", "Target group"), *_figure_columns(t),
                   t.pgettext("report", "Sessions"), t.pgettext("report", "Status")])
    split = Table([number, t.pgettext("report", "Line"), t.pgettext("report", "Breakdown"),
                   t.pgettext("report", "Group"), t.pgettext("report", "People trained")])
    marks = Table([number, t.pgettext("report", "Line"), *_evaluation_columns(t)], hidden=hidden)
    for i, ln in enumerate(snap["lines"], 1):
        name = t.pick(ln["fr"], ln["ar"])
        lines.rows.append([i, name, _track(t, ln["track"]), _target(t, ln), *_figures(ln), ln["sessions"],
                           _progress(t, ln["status"])])
        for key, title, labelled in (("by_sex", t.pgettext("column", "Sex"), False),
                                     ("by_position", t.pgettext("column", "Position"), True),
                                     ("by_region", t.pgettext("column", "Region"), True)):
            for code, fr, ar, people in ln[key]:
                group = _label(t, [code, fr, ar]) if labelled else (
                    vocab.sex(t, code) if code else t.pgettext("report", "Not specified"))
                split.rows.append([i, name, title, group, people])
        marks.rows.append([i, name, *_evaluation(ln["evaluation"])])
    total = t.pgettext("report", "All lines")
    lines.rows.append(["", total, "", "", *_figures(snap), len(snap["sessions"]), ""])
    marks.rows.append(["", total, *_evaluation(snap["evaluation"])])
    held = Table([t.pgettext("column", "Session"), t.pgettext("column", "Training"),
                  t.pgettext("report", "Date"), t.pgettext("report", "Officials of the administration")],
                 [[s["reference"], t.pick(s["fr"], s["ar"]), s["date"], s["attendees"]]
                  for s in snap["sessions"]])
    blocks: list[tuple[str, object]] = [
        ("heading", t._("Planned and achieved, per line")), ("table", lines),
        ("heading", t._("People trained by sex, position and region")), ("table", split),
        ("heading", t.ngettext("Sessions held: {n}", "Sessions held: {n}", len(snap["sessions"]))),
        ("table", held),
        ("heading", t._("Satisfaction and application")), ("table", marks),
        ("heading", t._("Commentary of the focal point"))]
    comment = snap["commentary"]
    if comment:
        for key, title in (("achievements", t._("Achievements")), ("difficulties", t._("Difficulties")),
                           ("actions", t._("Corrective actions"))):
            blocks += [("subheading", title), ("text", comment[key])]
    else:
        blocks.append(("text", t._("No commentary was given.")))
    return Document(t._("Semi-annual report of the competence plan"), head + _heading_lines(t, snap),
                    blocks, snap["at"])


def _national(t: Translator, snap: dict) -> Document:
    hidden = t.pgettext("anonymised", "Not shown (fewer than {min} people)", min=t.number(MIN_GROUP))
    table = Table([t.pgettext("column", "Administration"), t.pgettext("report", "Plan"),
                   t.pgettext("report", "Lines"), *_figure_columns(t), t.pgettext("report", "Sessions"),
                   *_evaluation_columns(t), t.pgettext("report", "Commentary")], hidden=hidden)
    yes, no = t.pgettext("report", "Given"), t.pgettext("report", "Missing")
    for r in snap["rows"]:
        table.rows.append([_label(t, r["administration"]),
                           f"{r['plan']['years']} ({_plan_status(t, r['plan']['status'])})", r["lines"],
                           *_figures(r), r["sessions"], *_evaluation(r["evaluation"]),
                           yes if r["commentary"] else no])
    table.rows.append([t.pgettext("report", "All administrations"), "", sum(r["lines"] for r in snap["rows"]),
                       *_figures(snap), snap["sessions"],
                       sum(r["evaluation"]["hot"] for r in snap["rows"]), "",
                       sum(r["evaluation"]["cold"] for r in snap["rows"]), "", ""])
    return Document(t._("Semi-annual report of the competence plans: national summary"),
                    _heading_lines(t, snap), [("table", table)], snap["at"])
