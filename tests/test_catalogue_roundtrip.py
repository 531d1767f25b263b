"""The catalogue round trip (issue 14): a coordinator downloads the current catalogue, edits it and
sends it back, and nothing is damaged: a blank cell keeps the stored value, `-` clears it, the
template's examples are never applied, a session with registrations keeps its training, the
preview says old → new (من … إلى … in Arabic), and every check a coordinator expects is made,
in French and Arabic."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook, load_workbook

from bot.services.workbook import FORMATIONS, SESSIONS
from tests.conftest import db_row, grant, onboard
from tests.test_catalogue_import import ROOT, coordinator, session_row, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = "SELECT * FROM trainings ORDER BY id", "SELECT * FROM sessions ORDER BY id"


async def snapshot(app):
    return await app.bot_data.db.read(lambda conn: [[tuple(r) for r in conn.execute(q)] for q in TABLES])


async def trainer(app, user_id=9850, name="Karim Bennani"):
    await onboard(app, user_id, "fr", full_name=name)
    await grant(app, user_id, "trainer")
    return (await db_row(app, "SELECT id FROM trainer_codes WHERE user_id = ?", user_id))[0]


def t_of(lang, fr, ar):
    return fr if lang == "fr" else ar


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_export_then_send_back_unchanged_changes_nothing(app, person, lang, fr, ar):
    t = t_of(lang, fr, ar)
    c = await coordinator(app, person, lang)
    number = await trainer(app)
    await app.bot_data.db.write(
        lambda conn: conn.execute(
            "UPDATE sessions SET trainer_id = 9850, online_url = 'https://meet.example.org/x' "
            "WHERE reference = 'CYB-102-02'"
        )
    )
    before = await snapshot(app)
    await c.send("/template")
    shown = await c.click(t._("📥 Download the current catalogue"))
    book = load_workbook(io.BytesIO(shown[-1].document.data))
    sessions = {r[0].value: [x.value for x in r] for r in book["sessions"].iter_rows(min_row=2)}
    assert sessions["CYB-102-02"][SESSIONS.index("formateur")] == f"F{number:03d}"  # a code /roles shows
    assert book["formations"].max_row > 10 and book.sheetnames[3] == t._("codes")
    shown = await c.upload(shown[-1].document.data, "current.xlsx", XLSX)
    assert t._("Nothing to change: the workbook matches the catalogue.") in shown[-1].text
    assert not shown[-1].buttons
    assert await snapshot(app) == before
    shown = await c.send("/catalogue_export")
    assert shown[-1].document.data[:2] == b"PK"


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_blank_keeps_the_marker_clears_and_the_preview_says_old_to_new(app, person, lang, fr, ar):
    t = t_of(lang, fr, ar)
    c = await coordinator(app, person, lang)
    await app.bot_data.db.write(
        lambda conn: conn.execute(
            "UPDATE sessions SET online_url = 'https://meet.example.org/x', place_fr = 'Salle 3' "
            "WHERE reference = 'CYB-102-02'"
        )
    )
    old = await db_row(
        app, "SELECT title_fr, description_fr, description_ar FROM trainings WHERE code = 'CYB-102'"
    )
    keep = ("SELECT training_id, starts_at, capacity, online_url, place_ar FROM sessions "
            "WHERE reference = 'CYB-102-02'")
    kept = await db_row(app, keep)
    training = ["CYB-102", "Nouveau titre", "", "", "", "", "", "", ""]
    row = ["CYB-102-02", "", "", "", "-", "", "", "", "", "", "", "", ""]
    shown = await c.upload(workbook(trainings=[training], sessions=[row]), "edit.xlsx", XLSX)
    text = shown[-1].text.replace("\u2068", "").replace("\u2069", "")  # bidi isolates around values
    # Arabic says "من … إلى …" (an arrow between right-to-left runs would point back).
    change = {"fr": "{old} → {new}", "ar": "من {old} إلى {new}"}[lang]
    assert "titre_fr: " + change.format(old=old[0], new="Nouveau titre") in text
    assert "lieu_fr: " + change.format(old="Salle 3", new=t._("(empty)")) in text
    assert "description_fr" not in text and "lien_en_ligne" not in text
    await c.click(t._("✅ Apply"))
    now = await db_row(
        app, "SELECT title_fr, description_fr, description_ar FROM trainings WHERE code = 'CYB-102'"
    )
    assert tuple(now) == ("Nouveau titre", old[1], old[2])
    assert tuple(await db_row(app, keep)) == tuple(kept)
    assert (await db_row(app, "SELECT place_fr FROM sessions WHERE reference = 'CYB-102-02'"))[0] == ""


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_session_with_registrations_keeps_its_training(app, person, lang, fr, ar):
    t = t_of(lang, fr, ar)
    c = await coordinator(app, person, lang)
    before = await snapshot(app)
    taken = (
        await db_row(
            app,
            "SELECT COUNT(*) FROM registrations r JOIN sessions s ON s.id = r.session_id "
            "WHERE s.reference = 'CYB-102-02' AND r.status IN "
            "('confirmed', 'offered', 'requested', 'waitlisted')",
        )
    )[0]
    assert taken > 0
    row = ["CYB-102-02", "IA-102", "", "", "", "", "", "", "", "", "", "", ""]
    shown = await c.upload(workbook(trainings=(), sessions=[row]), "move.xlsx", XLSX)
    assert (
        t._(
            "This session has registrations ({extra}): it cannot move to another training. Cancel it "
            "and create a session of training {value}.",
            extra=t.number(taken),
            value="IA-102",
        )
        in shown[-1].text
    )
    assert await snapshot(app) == before


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_what_a_coordinator_expects_to_be_refused(app, person, lang, fr, ar):
    t = t_of(lang, fr, ar)
    c = await coordinator(app, person, lang)
    rows = [
        session_row("NEW-101-01", start="2026-01-05 09:00", end="2026-01-05 12:00"),
        session_row("NEW-101-02", date_limite="2027-01-25 09:00"),
        session_row("NEW-101-03", formateur="Personne Inconnue"),
        session_row("NEW-101-04", lieu_fr='=CONCATENATE("a","b")'),
        session_row("NEW-101-05", end="2027-01-20 08:00"),
        session_row("NEW-101-06", start="bientôt"),
    ]
    header = [h for h in SESSIONS if h != "capacite"]
    rows = [[v for h, v in zip(SESSIONS, r, strict=True) if h != "capacite"] for r in rows]
    shown = await c.upload(workbook(sessions=rows, sessions_header=header), "bad.xlsx", XLSX)
    text = shown[-1].text
    for fragment in [
        t._("The column is missing."),
        t._("The session would start in the past."),
        t._("The registration deadline is after the start of the session."),
        t._(
            "No trainer is “{value}”: write the code shown in /roles (F001…) or the trainer's full name.",
            value="Personne Inconnue",
        ),
        t._(
            "This cell holds a formula ({value}) whose value was never computed: type the value "
            "itself, or open and save the file in Excel or LibreOffice.",
            value='=CONCATENATE("a","b")',
        ),
        t._("The session ends before it starts."),
        t._("“{value}” is not a date and time like 2027-03-15 09:00.", value="bientôt"),
    ]:
        assert fragment in text, fragment
    assert (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE code = 'NEW-101'"))[0] == 0


async def test_names_in_either_language_and_trainer_codes(app, person, fr):
    c = await coordinator(app, person)
    number = await trainer(app)
    await trainer(app, 9851, "Salma Alaoui")
    theme_ar, region_fr = await app.bot_data.db.read(
        lambda conn: (
            conn.execute("SELECT name_ar FROM themes WHERE code = 'EGOV'").fetchone()[0],
            conn.execute("SELECT name_fr FROM regions WHERE code = 'RSK'").fetchone()[0],
        )
    )
    training = ["NEW-101", "Titre", "عنوان", "", "", theme_ar, "presentiel", 6, "tous"]
    rows = [
        session_row("NEW-101-01", region=region_fr.upper(), formateur=f"F{number:03d}"),
        session_row("NEW-101-02", region="RSK", formateur="salma alaoui"),
    ]
    shown = await c.upload(workbook(trainings=[training], sessions=rows), "names.xlsx", XLSX)
    await c.click(fr._("✅ Apply"), shown[-1])
    assert (await db_row(app, "SELECT theme_code FROM trainings WHERE code = 'NEW-101'"))[0] == "EGOV"
    stored = await app.bot_data.db.read(
        lambda conn: conn.execute(
            "SELECT region_code, trainer_id FROM sessions WHERE reference LIKE 'NEW-101-%' ORDER BY reference"
        ).fetchall()
    )
    assert [tuple(r) for r in stored] == [("RSK", 9850), ("RSK", 9851)]
    shown = await c.send("/roles")
    assert f"(F{number:03d})" in shown[-1].text


async def test_a_long_preview_comes_as_a_file(app, person, fr):
    c = await coordinator(app, person)
    rows = [session_row(f"NEW-101-{i:02d}") for i in range(1, 41)]
    shown = await c.upload(workbook(sessions=rows), "many.xlsx", XLSX)
    assert shown[-2].document is not None
    details = shown[-2].document.data.decode()
    assert "NEW-101-40" in details and "debut: 2027-01-20 09:00" in details
    assert len(shown[-1].text) < 1000
    assert fr._("The details, field by field, are in the file above.") in shown[-1].text
    await c.click(fr._("✅ Apply"))
    assert (await db_row(app, "SELECT COUNT(*) FROM sessions WHERE reference LIKE 'NEW-101-%'"))[0] == 40


def test_command_line_export_then_import_changes_nothing(tmp_path):
    db = tmp_path / "cli.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ETAMKEEN_", "TELEGRAM_"))},
        "ETAMKEEN_DB": str(db),
        "PYTHONPATH": str(ROOT),
    }
    first = tmp_path / "first.xlsx"
    first.write_bytes(workbook(sessions=[session_row()]))
    cli = [sys.executable, "-m", "bot.cli"]
    assert (
        subprocess.run(
            [*cli, "import-catalogue", str(first), "--yes"], env=env, cwd=tmp_path, capture_output=True
        ).returncode
        == 0
    )
    result = subprocess.run(
        [*cli, "export", "catalogue"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "catalogue.xlsx")
    assert [c.value for c in book["formations"][2]][:2] == ["NEW-101", "Signature électronique"]
    result = subprocess.run(
        [*cli, "import-catalogue", str(tmp_path / "catalogue.xlsx")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "Rien à changer" in result.stdout, result.stdout


def test_the_template_is_unchanged_in_shape():
    """The contract of DESIGN 5.4 keeps its column names."""
    assert FORMATIONS[0] == "code" and SESSIONS[9] == "formateur"
    assert Workbook  # imported for the helpers above
