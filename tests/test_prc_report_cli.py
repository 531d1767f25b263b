"""`etamkeen export prc`: the semi-annual report's PDF and XLSX in a folder, in French and in
Arabic, frozen once issued (the second run writes the same bytes), the national version, and
bad input answered in one line without a traceback."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.i18n import translator
from bot.services.plans import PlanService
from bot.storage.db import Database
from bot.storage.migrations import migrate
from bot.timeutil import FrozenClock
from tests.plans_data import MEF_FOCAL, NATIONAL
from tests.test_attestation import pdf_text
from tests.test_cli_input import one_line_error


async def _plan(path) -> None:
    """MEF's validated 2025 plan, a line in 2025-S1 (a semester over whatever today is)."""
    db = await Database.open(path)
    try:
        await migrate(db)
        plans = PlanService(db, FrozenClock(datetime(2025, 1, 10, tzinfo=UTC)))
        version = await plans.create(MEF_FOCAL, "MEF", 2025, 2025)
        line = {"theme_code": "CYBER", "target_people": 20, "target_women": 8, "target_hours": 140,
                "semester": "2025-S1"}
        await plans.add_line(MEF_FOCAL, version, line)
        await plans.transition(MEF_FOCAL, version, "submit")
        await plans.transition(NATIONAL, version, "validate")
    finally:
        await db.close()


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ETAMKEEN_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ETAMKEEN_DB", str(tmp_path / "e.db"))
    asyncio.run(_plan(tmp_path / "e.db"))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_export_prc_writes_both_files_in_both_languages_and_is_frozen(cli, tmp_path):
    out = tmp_path / "reports"
    code, said, err = cli("export", "prc", "--administration", "mef", "--semester", "2025-s1", "--lang", "ar",
                          "--out", str(out))
    assert code == 0, err
    assert "issued now, frozen" in said
    pdf, xlsx = out / "etamkeen-prc-mef-2025-S1-ar.pdf", out / "etamkeen-prc-mef-2025-S1-ar.xlsx"
    text = pdf_text(pdf.read_bytes())
    ar = translator("ar")
    assert ar._("Semi-annual report of the competence plan") in text and "وزارة الاقتصاد والمالية" in text
    assert xlsx.read_bytes().startswith(b"PK")
    first = pdf.read_bytes(), xlsx.read_bytes()
    code, said, _ = cli("export", "prc", "--administration", "MEF", "--semester", "2025-S1",
                        "--language", "ar", "--out", str(out))
    assert code == 0 and "frozen since" in said
    assert (pdf.read_bytes(), xlsx.read_bytes()) == first
    code, _, err = cli("export", "prc", "--national", "--semester", "2025-S1", "--lang", "fr",
                       "--out", str(out))
    assert code == 0, err
    text = pdf_text((out / "etamkeen-prc-national-2025-S1-fr.pdf").read_bytes())
    assert translator("fr")._("Semi-annual report of the competence plans: national summary") in text
    assert "Ministère de l'Économie et des Finances" in " ".join(text.split())  # a cell wraps


@pytest.mark.parametrize(("argv", "expected"), [
    (["--administration", "MEF"], "--semester is required"),
    (["--administration", "MEF", "--semester", "2025-S3"], "not a semester"),
    (["--semester", "2025-S1"], "either --administration CODE or --national"),
    (["--national", "--administration", "MEF", "--semester", "2025-S1"], "either --administration"),
    (["--administration", "NOPE", "--semester", "2025-S1"], "unknown administration 'NOPE'"),
    (["--administration", "HCP", "--semester", "2025-S1"], "no validated competence plan"),
])
def test_export_prc_bad_input_is_one_clear_line(cli, tmp_path, argv, expected):
    code, _, err = cli("export", "prc", *argv, "--out", str(tmp_path / "r"))
    assert code == 2 and expected in one_line_error(err)


def test_export_prc_options_elsewhere_and_an_unusable_folder(cli, tmp_path):
    code, _, err = cli("export", "registrations", "--semester", "2025-S1", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "for `export prc` only" in one_line_error(err)
    (tmp_path / "afile").write_text("x")
    code, _, err = cli("export", "prc", "--administration", "MEF", "--semester", "2025-S1",
                       "--out", str(tmp_path / "afile"))
    assert code == 2 and "afile" in one_line_error(err)
