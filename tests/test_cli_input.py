"""Bad input on the command line is one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import sqlite3

import pytest

from bot.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ETAMKEEN_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ETAMKEEN_DB", str(tmp_path / "e.db"))
    assert main(["seed-demo"]) == 0
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_invite_accepts_a_lower_case_code_and_lists_the_valid_ones_otherwise(cli, tmp_path):
    code, out, err = cli("invite", "--role", "focal_point", "--administration", "mj")
    assert code == 0 and "start=i_" in out
    conn = sqlite3.connect(tmp_path / "e.db")
    assert conn.execute("SELECT administration_code FROM invites").fetchall() == [("MJ",)]
    code, out, err = cli("invite", "--role", "focal_point", "--administration", "nowhere")
    line = one_line_error(err)
    assert code == 2 and "'nowhere'" in line and "MJ" in line and "HCP" in line
    assert conn.execute("SELECT COUNT(*) FROM invites").fetchone()[0] == 1


@pytest.mark.parametrize("argv", [
    ("invite", "--role", "focal_point"),
    ("invite", "--role", "trainer", "--administration", "MJ"),
    ("invite", "--role", "trainer", "--days", "-3"),
    ("invite", "--role", "trainer", "--days", "nan"),
    ("import-catalogue", "/no/such/catalogue.xlsx"),
    ("audit", "--out", "/no/such/folder/audit.csv"),
    ("audit", "--out", "."),
    ("export", "registrations", "--out", "/proc/no/such.xlsx"),
    ("export", "registrations", "--out", "x.csv", "--format", "csv", "--administration", "zz"),
])
def test_bad_input_is_one_line_and_exit_code_2(cli, argv):
    code, out, err = cli(*argv)
    assert code == 2
    one_line_error(err)


def test_export_accepts_a_lower_case_administration(cli, tmp_path):
    code, out, err = cli("export", "registrations", "--format", "csv", "--out", "r.csv",
                         "--administration", "mj")
    assert code == 0, err
    assert (tmp_path / "r.csv").exists()


def test_a_file_that_is_not_a_database_is_one_line(cli, tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("not a database " * 100)
    monkeypatch.setenv("ETAMKEEN_DB", str(tmp_path / "notes.txt"))
    for argv in (("invite", "--role", "trainer"), ("seed-demo",), ("audit", "--out", "a.csv")):
        code, out, err = cli(*argv)
        assert code == 2 and "notes.txt" in one_line_error(err)
