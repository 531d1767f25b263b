"""Exports (registrations, attendance, evaluations without names, indicators) as XLSX or CSV,
in the reader's language: labels instead of codes, Moroccan local times, Arabic headers and a
right-to-left sheet for Arabic readers.

Each export reads through a connection of its own in a worker thread and streams rows from the
cursor to the file, so a national export neither holds the table in memory nor blocks the
reader connection that dashboards use (evaluations hold one training's responses at a time:
which dimensions a row may show depends on the others of its training).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from bot.i18n import Translator, translator
from bot.services import anonymity, export_gains, spreadsheet
from bot.services import vocabulary as vocab
from bot.services.indicators import Group
from bot.services.reference import ReferenceData
from bot.storage import exports as repo
from bot.storage.indicators import Scope, breakdown
from bot.timeutil import Clock, from_db, to_db, to_local

KINDS = ("registrations", "attendance", "evaluations", "indicators", "gains")


def local(text: str | None) -> datetime | None:
    """A stored UTC instant as a Moroccan wall-clock time (spreadsheets have no time zones)."""
    return to_local(from_db(text)).replace(tzinfo=None) if text else None


def kind_name(t: Translator, kind: str) -> str:
    return {"registrations": t._("Registrations"), "attendance": t._("Attendance"),
            "evaluations": t._("Evaluations"), "indicators": t._("Indicators"),
            # TRANSLATORS: an export: the knowledge tests' mean normalised gain by group.
            "gains": t._("Learning gains")}[kind]


class ExportService:
    def __init__(self, db_path: Path, reference: ReferenceData, clock: Clock) -> None:
        self.db_path = db_path
        self.reference = reference
        self.clock = clock

    def filename(self, kind: str, fmt: str, administration: str | None) -> str:
        day = to_local(self.clock.now()).strftime("%Y-%m-%d")
        return (f"etamkeen-{kind}-{(administration or 'national').lower()}-{day}"
                f".{spreadsheet.extension(fmt)}")

    async def export(self, kind: str, fmt: str, out: Path, lang: str, administration: str | None) -> int:
        """Write the export to `out` in a worker thread; the number of data rows."""
        return await asyncio.to_thread(self.write, kind, fmt, out, lang, administration)

    def write(self, kind: str, fmt: str, out: Path, lang: str, administration: str | None) -> int:
        if kind not in KINDS or fmt not in spreadsheet.FORMATS:
            raise ValueError(f"unknown export {kind} / {fmt}")
        t = translator(lang)
        conn = sqlite3.connect(self.db_path)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = 1")
            titles = {r[0]: (r[1], r[2])
                      for r in conn.execute("SELECT id, title_fr, title_ar FROM trainings")}
            names = vocab.Namer(t, self.reference, titles)
            header, rows = getattr(self, f"_{kind}")(conn, t, names, administration)
            return spreadsheet.write(fmt, out, kind_name(t, kind), header, rows, rtl=t.rtl)
        finally:
            conn.close()

    def _session_columns(self, t: Translator) -> list[str]:
        return [t.pgettext("column", "Session"), t.pgettext("column", "Training"),
                t.pgettext("column", "Modality"), t.pgettext("column", "Start"), t.pgettext("column", "End")]

    def _person_columns(self, t: Translator) -> list[str]:
        return [t.pgettext("column", "Sex"), t.pgettext("column", "Administration"),
                t.pgettext("column", "Level"), t.pgettext("column", "Region")]

    def _person(self, names: vocab.Namer, r) -> list:
        return [names("sex", r["sex"]), names("administration", r["administration_code"]),
                names("level", r["level"]), names("region", r["region_code"])]

    def _session(self, t: Translator, names: vocab.Namer, r) -> list:
        return [r["reference"], t.pick(r["title_fr"], r["title_ar"]), names("modality", r["modality"]),
                local(r["starts_at"]), local(r["ends_at"])]

    def _registrations(self, conn, t: Translator, names: vocab.Namer, administration: str | None):
        header = [*self._session_columns(t), t.pgettext("column", "Session region"),
                  t.pgettext("column", "Name"), *self._person_columns(t), t.pgettext("column", "Position"),
                  t.pgettext("column", "Status"), t.pgettext("column", "Registered on"),
                  t.pgettext("column", "Last change"), *export_gains.test_columns(t)]

        def rows() -> Iterator[list]:
            for r in repo.registrations(conn, administration):
                place = names("region", r["session_region"]) if r["session_region"] else "—"
                yield [*self._session(t, names, r), place, r["full_name"], *self._person(names, r),
                       names("position", r["position_code"]), names("status", r["status"]),
                       local(r["created_at"]), local(r["updated_at"]), *export_gains.test_cells(r)]

        return header, rows()

    def _attendance(self, conn, t: Translator, names: vocab.Namer, administration: str | None):
        header = [*self._session_columns(t), t.pgettext("column", "Name"), *self._person_columns(t),
                  t.pgettext("column", "Attendance")]
        not_recorded = t.pgettext("attendance", "Not recorded")

        def rows() -> Iterator[list]:
            for r in repo.attendance(conn, administration, to_db(self.clock.now())):
                mark = not_recorded if r["status"] == "confirmed" else names("status", r["status"])
                yield [*self._session(t, names, r), r["full_name"], *self._person(names, r), mark]

        return header, rows()

    def _evaluations(self, conn, t: Translator, names: vocab.Namer, administration: str | None):
        """One row per response, by training: no session, no date, no level or region, and an
        administration or a sex only where at least 5 people share it (bot/services/anonymity)."""
        columns: dict[tuple[str, str], str] = {}  # (kind, qid) -> header; newest label wins
        options: dict[tuple[int, str], dict[str, str]] = {}
        versions: dict[int, int] = {}
        for q in repo.questions(conn):
            short = (t.pgettext("evaluation", "Hot") if q["kind"] == "hot"
                     else t.pgettext("evaluation", "Cold"))
            columns[(q["kind"], q["qid"])] = f"{short}: {t.pick(q['label_fr'], q['label_ar'])}"
            options[(q["questionnaire_id"], q["qid"])] = {
                code: t.pick(fr, ar) for code, fr, ar in json.loads(q["options"])}
            versions[q["questionnaire_id"]] = q["version"]
        index = {key: i for i, key in enumerate(columns)}
        base = [t.pgettext("column", "Training"), t.pgettext("column", "Modality"),
                t.pgettext("column", "Evaluation"), t.pgettext("column", "Questionnaire version"),
                t.pgettext("column", "Administration"), t.pgettext("column", "Sex")]
        k = t.number(anonymity.MIN_GROUP)
        pooled = t.pgettext("anonymised", "Other administrations (fewer than {min} people each)", min=k)
        hidden = t.pgettext("anonymised", "Not shown (fewer than {min} people)", min=k)

        def answer(r) -> object:
            if r["score"] is not None:
                return r["score"]
            if r["choice"] is not None:
                labels = options.get((r["questionnaire_id"], r["qid"]), {})
                return ", ".join(labels.get(c, c) for c in r["choice"].split(","))
            return r["text"]

        def released(block: list[tuple[sqlite3.Row, list]]) -> list[list]:
            first = block[0][0]
            context = [t.pick(first["title_fr"], first["title_ar"]), names("modality", first["modality"]),
                       vocab.evaluation_kind(t, first["kind"]), versions.get(first["questionnaire_id"])]
            shown = anonymity.release([(r["person"], r["administration_code"], r["sex"]) for r, _ in block])
            out = []
            for (_, answers), keep in zip(block, shown, strict=True):
                if keep is not None:  # None: a group of fewer than 5 people, left out
                    adm, sex = keep
                    out.append([*context, pooled if adm is anonymity.OTHER else names("administration", adm),
                                hidden if sex is anonymity.HIDDEN else names("sex", sex), *answers])
            # Sorted by what is shown: the order of responses (their ids) follows the sessions.
            return sorted(out, key=lambda row: ["" if v is None else str(v) for v in row[4:]])

        def rows() -> Iterator[list]:
            block: list[tuple[sqlite3.Row, list]] = []  # one training, kind and version at a time
            key = None
            for r in repo.evaluation_answers(conn, administration):
                if not block or block[-1][0]["response_id"] != r["response_id"]:
                    if block and (r["training_id"], r["kind"], r["questionnaire_id"]) != key:
                        yield from released(block)
                        block = []
                    key = (r["training_id"], r["kind"], r["questionnaire_id"])
                    block.append((r, [None] * len(columns)))
                if r["qid"] is not None and (r["kind"], r["qid"]) in index:
                    block[-1][1][index[(r["kind"], r["qid"])]] = answer(r)
            if block:
                yield from released(block)

        return [*base, *columns.values()], rows()

    def _gains(self, conn, t: Translator, names: vocab.Namer, administration: str | None):
        return export_gains.gains(conn, t, names, administration)

    def _indicators(self, conn, t: Translator, names: vocab.Namer, administration: str | None):
        header = [t.pgettext("column", "Breakdown"), t.pgettext("column", "Group"),
                  t.pgettext("column", "Sex"), t.pgettext("column", "Registrations"),
                  t.pgettext("column", "Confirmed"), t.pgettext("column", "Pending"),
                  t.pgettext("column", "Waitlist"), t.pgettext("column", "Cancelled"),
                  t.pgettext("column", "Attended"), t.pgettext("column", "Attendance rate (%)"),
                  t.pgettext("column", "Women among registrants (%)"),
                  t.pgettext("column", "Women among attendees (%)"),
                  t.pgettext("column", "Hot evaluations answered (%)"),
                  t.pgettext("column", "Mean satisfaction (1-5)"),
                  t.pgettext("column", "Cold evaluations answered"),
                  t.pgettext("column", "Skills applied (%)")]

        def pct(x: float | None) -> float | None:
            return None if x is None else round(100 * x, 1)

        def rows() -> Iterator[list]:
            for dim in ("total", *vocab.DIMENSIONS):
                by_key: dict[object, dict[str | None, Group]] = {}
                for r in breakdown(conn, Scope(administration=administration), dim, by_sex=True):
                    by_key.setdefault(r["k"], {})[r["sx"]] = Group.of(r)
                for key, sexes in by_key.items():
                    every = Group.combine(key, list(sexes.values()))
                    for sex, g in [(None, every), *((s, sexes[s]) for s in ("F", "M") if s in sexes)]:
                        yield [vocab.dimension(t, dim), names(dim, key),
                               vocab.sex(t, sex) if sex else t.pgettext("breakdown", "All"),
                               g.registrations, g.confirmed, g.pending, g.waitlisted, g.ended,
                               g.attended,
                               pct(g.attendance_rate), pct(g.women_share), pct(g.women_attended_share),
                               pct(g.response_rate),
                               None if g.satisfaction is None else round(g.satisfaction, 2),
                               g.cold, pct(g.application_rate)]

        return header, rows()
