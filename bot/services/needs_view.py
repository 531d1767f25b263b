"""The results of a needs survey (issue 16): per theme chosen, how many people chose it, mean
level, preferred modality, and the breakdowns by position, sex and region; beside them the
interest lists (/demand) and the digital self-assessment of the same administration.

Groups under MIN_GROUP people are hidden where a breakdown would expose someone: a breakdown
shows the groups of at least MIN_GROUP people and pools the others (their count is shown only
if the pool reaches MIN_GROUP); sex is shown only when both sexes present reach it (hiding just
the small one would give it away); a mean level or a preferred modality only over MIN_GROUP
people. A theme's number of people is always shown: it says nobody's level or sex."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from bot.services.anonymity import MIN_GROUP
from bot.services.self_assessment import SelfAssessment, one_decimal
from bot.storage import needs as repo
from bot.storage import registrations as regs
from bot.storage import self_assessment as assessments
from bot.storage.db import Database

DIMENSIONS = ("position", "sex", "region")
OTHERS = "*"  # the pooled small groups of a breakdown


@dataclass(frozen=True)
class ThemeResult:
    theme: str
    people: int
    women: int  # used for a plan line's target; shown only when `breakdowns["sex"]` shows it
    mean_level: float | None  # None: fewer than MIN_GROUP people
    modality: str | None
    # dimension -> [(group code, people or None when hidden)]; OTHERS pools the small groups
    breakdowns: dict[str, list[tuple[str | None, int | None]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    survey_id: int
    administration: str
    recipients: int
    respondents: int
    women_share: float | None  # among respondents
    themes: list[ThemeResult]
    modalities: list[tuple[str, int]]
    constraints: list[tuple[str, int]]
    notes: int  # answers with a free-text note (read in the XLSX: never in the chat)
    demand: list[tuple[str, str, int]]  # (title_fr, title_ar, people)
    areas: list[tuple[str, str, float]]  # (name_fr, name_ar, mean 1–5): self_assessment.by_administration


def breakdown(values: list[str | None]) -> list[tuple[str | None, int | None]]:
    """Groups of at least MIN_GROUP people, largest first, then the pooled small ones."""
    counts = Counter(values)
    shown = sorted(((k, n) for k, n in counts.items() if n >= MIN_GROUP), key=lambda kn: (-kn[1], str(kn[0])))
    small = sum(n for n in counts.values() if n < MIN_GROUP)
    pooled: list[tuple[str | None, int | None]] = (
        [(OTHERS, small if small >= MIN_GROUP else None)] if small else [])
    return [*shown, *pooled]


def _sexes(values: list[str | None]) -> list[tuple[str | None, int | None]]:
    counts = Counter(values)
    if all(n >= MIN_GROUP for n in counts.values()):
        return sorted(counts.items(), key=lambda kn: str(kn[0]))
    return [(OTHERS, None)]


def tally(rows: list[dict]) -> list[ThemeResult]:
    """Per theme, from answers [{answer, sex, position_code, region_code}] (a pure function)."""
    chosen: dict[str, list[dict]] = {}
    for row in rows:
        for theme in row["answer"].get("themes", []):
            chosen.setdefault(theme, []).append(row)
    results = []
    for theme, people in chosen.items():
        n = len(people)
        levels = [p["answer"].get("levels", {}).get(theme) for p in people]
        levels = [v for v in levels if isinstance(v, int)]
        modalities = Counter(p["answer"]["modality"] for p in people if p["answer"].get("modality"))
        enough = n >= MIN_GROUP
        results.append(ThemeResult(
            theme, n, sum(p["sex"] == "F" for p in people),
            one_decimal(sum(levels) / len(levels)) if enough and len(levels) >= MIN_GROUP else None,
            modalities.most_common(1)[0][0] if enough and modalities else None,
            {"position": breakdown([p["position_code"] for p in people]),
             "sex": _sexes([p["sex"] for p in people]),
             "region": breakdown([p["region_code"] for p in people])}))
    return sorted(results, key=lambda r: (-r.people, r.theme))


def _read(conn: sqlite3.Connection, survey_id: int) -> Results | None:
    survey = repo.survey(conn, survey_id)
    if survey is None:
        return None
    admin = survey["administration_code"]
    rows = [{"answer": json.loads(r["answer"]), "sex": r["sex"], "position_code": r["position_code"],
             "region_code": r["region_code"]} for r in repo.completed(conn, survey_id)]
    women = sum(r["sex"] == "F" for r in rows)
    constraints = Counter(c for r in rows for c in r["answer"].get("constraints", []))
    modalities = Counter(r["answer"]["modality"] for r in rows if r["answer"].get("modality"))
    demand = [(d["title_fr"], d["title_ar"], d["people"]) for d in regs.interest_counts(conn, admin)]
    return Results(survey_id, admin, survey["recipients"], len(rows),
                   women / len(rows) if rows else None, tally(rows), modalities.most_common(),
                   constraints.most_common(), sum(bool(r["answer"].get("note")) for r in rows), demand,
                   [])


async def results(db: Database, self_assessment: SelfAssessment, survey_id: int) -> Results | None:
    """The results of a survey (the caller checked that its reader may see it), with the
    administration's digital profile from the self-assessment (its groups under 5 hidden)."""
    found = await db.read_heavy(_read, survey_id)
    if found is None:
        return None
    means, _ = await self_assessment.by_administration()
    names = await db.read(assessments.areas)
    areas = [(fr, ar, means[(found.administration, code)]) for code, fr, ar in names
             if (found.administration, code) in means]
    return dataclasses.replace(found, areas=areas)


def target_women(result: ThemeResult, women_share: float | None) -> int:
    """Women to prefill on a plan line: the theme's own count when its sex breakdown is shown;
    else the survey's share of women applied to it (the small group's count is not given away)."""
    if result.breakdowns.get("sex", [(OTHERS, None)])[0][0] != OTHERS:
        return result.women
    return min(result.people, round(result.people * (women_share or 0)))
