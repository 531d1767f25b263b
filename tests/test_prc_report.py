"""The semi-annual report of a competence plan: figures equal to a count by hand on a seeded
administration (10 lines, 30 sessions), rendered as PDF (text extracted back, Arabic shaped) and
XLSX in French and Arabic, frozen when issued (an erasure changes nothing, re-issuing gives the
same bytes), provisional before the semester's end, access and the commentary's rules."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from bot.i18n import translator
from bot.services import prc_figures, prc_report_files, prc_report_text
from bot.services.periods import semester
from bot.services.prc_report import ReportError, ReportService
from tests.plans_data import MEF_FOCAL, MJ_FOCAL, NATIONAL, clock, db, erase, rows
from tests.prc_report_data import Seeded, seed
from tests.test_attestation import has_line, pdf_text
from tests.test_plans import LINES

__all__ = ["clock", "db"]
AFTER = datetime(2027, 7, 3, 9, 0, tzinfo=UTC)
TEXTS = {"achievements": "Trois sessions de cybersécurité tenues",
         "difficulties": "Salles indisponibles en mai",
         "actions": "Réserver les salles un trimestre à l'avance"}


async def by_hand(db, s: Seeded, code: str) -> dict[int, dict]:
    """Each 2027-S1 line's figures counted from the raw rows, with the plans' rules."""
    attended = await rows(db, "SELECT g.session_id, g.user_id, f.hot, f.satisfaction, f.cold, f.applied"
                              " FROM registrations g JOIN registration_facts f ON f.registration_id = g.id"
                              " WHERE g.status = 'attended'")
    half = semester(code)
    info = {s.ids[c]: theme for c, theme in (("P-CYB", "CYBER"), ("P-DATA", "DATA"), ("P-IA", "IA"),
                                            ("P-BUR", "BUREAU"))}
    out = {}
    for line_id, (fields, _) in zip(s.line_ids, LINES, strict=True):
        if fields["semester"] != code:
            continue
        training = s.ids.get(fields.get("training_id"))
        chosen = s.linked.get(line_id) or [
            sid for sid, (t, st, c) in s.sessions.items() if not c and half.start <= st < half.end
            and (t == training if training else info[t] == fields["theme_code"])]
        who, hours, scores, applied = {}, 0.0, [], []
        for sid, uid, _hot, satisfaction, _cold, app in attended:
            sex, admin, level, position = s.folks[uid]
            if sid in chosen and admin == "MEF" and fields.get("position_code", position) == position \
                    and fields.get("level", level) == level and fields.get("region_code", s.region[uid]) \
                    == s.region[uid]:
                who[uid] = sex
                hours += s.hours[s.sessions[sid][0]]
                if satisfaction is not None:
                    scores.append((uid, satisfaction))
                if app is not None:
                    applied.append((uid, app))
        positions = {}
        for uid in who:
            positions[s.folks[uid][3]] = positions.get(s.folks[uid][3], 0) + 1
        mean = (round(sum(v for _, v in scores) / len(scores), 2)
                if len({u for u, _ in scores}) >= 5 else None)
        share = (round(100 * sum(v for _, v in applied) / len(applied), 1)
                 if len({u for u, _ in applied}) >= 5 else None)
        out[line_id] = {"people": len(who), "women": sum(x == "F" for x in who.values()), "hours": hours,
                        "positions": positions, "satisfaction": mean, "applied": share,
                        "sessions": len(chosen), "chosen": chosen}
    return out


def files(snapshot: dict, lang: str, tmp_path) -> tuple[bytes, bytes]:
    t = translator(lang)
    doc = prc_report_text.document(t, snapshot)
    path = tmp_path / f"report-{lang}.xlsx"
    prc_report_files.xlsx(t, doc, path)
    return prc_report_files.pdf(t, doc), path.read_bytes()


def figures_in(text: str, numbers: list, lang: str) -> bool:
    """The row's figures side by side (pypdf gives an Arabic row in visual order: reversed)."""
    t = translator(lang)
    cells = [t.number(n) for n in numbers]
    return " ".join(cells[::-1] if lang == "ar" else cells) in text


async def test_report_figures_equal_a_count_by_hand_and_stay_frozen(db, clock, tmp_path):
    s = await seed(db, clock)
    service = ReportService(db, clock)
    await service.save_commentary(MEF_FOCAL, "MEF", "2027-S1", TEXTS)
    clock.set(AFTER)
    report = await service.report(MEF_FOCAL, "mef", "2027-s1")
    assert report.new and not report.provisional
    snap = report.snapshot
    expected = await by_hand(db, s, "2027-S1")
    assert len(expected) == 5 and all(e["people"] > 0 for e in expected.values())  # a real test
    got = {ln["id"]: ln for ln in snap["lines"]}
    assert set(got) == set(expected)
    for line_id, e in expected.items():
        ln = got[line_id]
        assert (ln["achieved"]["people"], ln["achieved"]["women"], ln["achieved"]["hours"]) == \
            (e["people"], e["women"], e["hours"]), line_id
        assert {g[0]: g[3] for g in ln["by_position"]} == e["positions"]
        assert sum(g[3] for g in ln["by_sex"]) == e["people"] == sum(g[3] for g in ln["by_region"])
        assert (ln["evaluation"]["satisfaction"], ln["evaluation"]["applied"]) == \
            (e["satisfaction"], e["applied"])
        assert ln["sessions"] == e["sessions"]
    hidden = [ln for ln in snap["lines"] if ln["evaluation"]["satisfaction"] is None]
    assert hidden and len(hidden) < len(snap["lines"])  # groups under 5 hidden, the others shown
    assert snap["commentary"] == TEXTS
    held = {sid for e in expected.values() for sid in e["chosen"] if not s.sessions[sid][2]}
    assert len(snap["sessions"]) == len(held)

    for lang in ("fr", "ar"):
        t = translator(lang)
        pdf, _ = files(snap, lang, tmp_path)
        text = pdf_text(pdf)
        for ln in snap["lines"]:
            e = expected[ln["id"]]
            assert figures_in(text, [ln["planned"]["people"], 3, 50, e["people"], e["women"], e["hours"],
                                     e["sessions"]], lang), (lang, ln["id"])
        hidden_text = t.pgettext("anonymised", "Not shown (fewer than {min} people)", min="5")
        if lang == "fr":
            assert f"— {hidden_text}" in text
        else:  # pypdf gives a line mixing directions in visual order
            assert has_line(text, "غير مب", "أقل من", "أشخاص")
        for msg in ("Planned and achieved, per line", "Satisfaction and application",
                    "Commentary of the focal point", "Corrective actions"):
            assert t._(msg) in text, (lang, msg)
        assert "Réserver les salles un trimestre à l'avance" in text
    ar_text = pdf_text(files(snap, "ar", tmp_path)[0])
    # Shaped, and extracted back to plain letters.
    assert "وزارة الاقتصاد والمالية" in ar_text and "الأمن السيبراني وحماية المعطيات" in ar_text

    before = {lang: files(snap, lang, tmp_path) for lang in ("fr", "ar")}
    erased = sorted({u for sid in s.linked[s.line_ids[0]] for u, in await rows(
        db, "SELECT user_id FROM registrations WHERE session_id = ? AND status = 'attended'", sid)
        if s.folks[u][1] == "MEF"})[:2]
    for uid in erased:
        await erase(db, clock, uid)
    again = await service.report(NATIONAL, "MEF", "2027-S1")
    assert not again.new and again.report_id == report.report_id and again.snapshot == snap
    for lang in ("fr", "ar"):
        assert files(again.snapshot, lang, tmp_path) == before[lang]  # byte-identical
    # Computed afresh, the lines without a position target keep their people too (tombstones).
    fresh = await db.read(prc_figures.administration, "MEF", "2027-S1", AFTER)
    for ln, old in zip(fresh["lines"], snap["lines"], strict=True):
        if ln["position"] is None:
            assert ln["achieved"] == old["achieved"]
    assert await rows(db, "SELECT COUNT(*) FROM prc_reports") == [(1,)]


async def test_xlsx_has_the_figures_as_numbers_in_both_languages(db, clock, tmp_path):
    await seed(db, clock)
    clock.set(AFTER)
    snap = (await ReportService(db, clock).report(NATIONAL, "MEF", "2027-S1")).snapshot
    for lang in ("fr", "ar"):
        t = translator(lang)
        _, data = files(snap, lang, tmp_path)
        ws = load_workbook(io.BytesIO(data)).active
        assert bool(ws.sheet_view.rightToLeft) is (lang == "ar")
        values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
        assert values[0][0] == t._("Semi-annual report of the competence plan")
        first = snap["lines"][0]
        row = next(r for r in values if r[0] == 1 and r[1] == t.pick(first["fr"], first["ar"]))
        planned, achieved = first["planned"], first["achieved"]
        assert tuple(row[4:10]) == (planned["people"], planned["women"], planned["hours"],
                                    achieved["people"], achieved["women"], achieved["hours"])


async def test_national_version_has_a_row_per_administration(db, clock, tmp_path):
    await seed(db, clock)
    clock.set(AFTER)
    service = ReportService(db, clock)
    national = (await service.report(NATIONAL, "*", "2027-S1")).snapshot
    mef = (await service.report(NATIONAL, "MEF", "2027-S1")).snapshot
    assert [r["administration"][0] for r in national["rows"]] == ["MEF", "MJ"]
    assert national["rows"][0]["achieved"] == mef["achieved"]
    assert national["rows"][0]["commentary"] is False
    assert national["achieved"]["people"] == sum(r["achieved"]["people"] for r in national["rows"])
    for lang in ("fr", "ar"):
        t = translator(lang)
        text = pdf_text(files(national, lang, tmp_path)[0])
        assert t._("Semi-annual report of the competence plans: national summary") in text
        assert "وزارة العدل" in text if lang == "ar" else "Ministère de la Justice" in text
        r = national["rows"][0]
        assert figures_in(text, [r["planned"]["people"], r["planned"]["women"], r["planned"]["hours"],
                                 r["achieved"]["people"], r["achieved"]["women"], r["achieved"]["hours"],
                                 r["sessions"]], lang)


async def test_provisional_before_the_end_access_and_commentary_rules(db, clock, tmp_path):
    await seed(db, clock)
    await db.write(lambda conn: conn.executemany(
        "INSERT INTO roles (user_id, role, administration_code, granted_at) VALUES (?, ?, ?, 'x')",
        [(90, "coordinator", None), (91, "focal_point", "MEF"), (92, "focal_point", "MJ")]))
    service = ReportService(db, clock)
    early = await service.report(MEF_FOCAL, "MEF", "2027-S1")
    assert early.provisional and early.snapshot["provisional"]
    assert translator("fr")._("Provisional: the semester is not over, the figures will change until the "
                              "report is issued.") in pdf_text(files(early.snapshot, "fr", tmp_path)[0])
    assert await rows(db, "SELECT COUNT(*) FROM prc_reports") == [(0,)]
    for access, scope, code, why in ((MJ_FOCAL, "MEF", "2027-S1", "not_allowed"),
                                     (MEF_FOCAL, "*", "2027-S1", "not_allowed"),
                                     (NATIONAL, "MEF", "2027-S3", "semester_invalid"),
                                     (NATIONAL, "NOPE", "2027-S1", "administration_unknown"),
                                     (NATIONAL, "HCP", "2027-S1", "no_plan")):
        with pytest.raises(ReportError) as e:
            await service.report(access, scope, code)
        assert e.value.code == why, (scope, code)
    with pytest.raises(ReportError) as e:
        await service.save_commentary(MEF_FOCAL, "MEF", "2027-S1", {**TEXTS, "actions": "  "})
    assert e.value.code == "commentary_empty"
    with pytest.raises(ReportError) as e:
        await service.save_commentary(MJ_FOCAL, "MEF", "2027-S1", TEXTS)
    assert e.value.code == "not_allowed"
    clock.set(AFTER)
    issued = await service.report(MEF_FOCAL, "MEF", "2027-S1")
    assert issued.new and issued.snapshot["commentary"] is None
    # The files go to the other people concerned: the national team (the issuer has them).
    assert await rows(db, "SELECT user_id, kind, payload FROM outbox ORDER BY id") == [
        (90, "prc_report", f'{{"report": {issued.report_id}, "format": "pdf"}}'),
        (90, "prc_report", f'{{"report": {issued.report_id}, "format": "xlsx"}}')]
    with pytest.raises(ReportError) as e:
        await service.save_commentary(MEF_FOCAL, "MEF", "2027-S1", TEXTS)
    assert e.value.code == "already_issued"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", issued.snapshot["at"])
