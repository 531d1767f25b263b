"""Configuration, time zones, and the `etamkeen` command as an operator meets it."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, Settings
from bot.timeutil import check_tzdata, from_local, morocco, to_local

ROOT = Path(__file__).resolve().parent.parent


def test_settings_from_environment_and_dotenv(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_BOT_TOKEN=from-dotenv\nETAMKEEN_DB=/srv/bot.db\n"
                        "ETAMKEEN_ADMINS=11, 22;33\n")
    s = Settings.from_env({"TELEGRAM_BOT_TOKEN": "from-env"}, dotenv=str(env_file))
    assert s.token == "from-env"  # the environment wins over .env
    assert str(s.db_path) == "/srv/bot.db"
    assert s.admins == {11, 22, 33}
    assert s.api_base_url == "https://api.telegram.org/bot"
    assert s.file_url == "https://api.telegram.org/file/bot"


def test_self_hosted_bot_api_urls():
    s = Settings.from_env({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"}, dotenv=None)
    assert s.file_url == "http://127.0.0.1:8081/file/bot"
    s = Settings.from_env({"TELEGRAM_API_BASE_URL": "http://h/bot",
                           "TELEGRAM_API_FILE_URL": "http://files/x"}, dotenv=None)
    assert s.file_url == "http://files/x"


def test_bad_admin_ids_are_a_clear_error():
    for bad in ("12,@amina", "12,²", "-5", "①"):
        with pytest.raises(ConfigError, match="ETAMKEEN_ADMINS"):
            Settings.from_env({"ETAMKEEN_ADMINS": bad}, dotenv=None)


def test_morocco_is_utc_plus_zero_from_the_tzdata_package():
    assert check_tzdata() >= "2026c"
    winter = datetime(2027, 1, 15, 12, tzinfo=UTC)
    assert to_local(winter).utcoffset() == timedelta(0)
    assert from_local(datetime(2027, 1, 15, 9, 0)) == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    # Before 2026-09-20 Morocco was UTC+1: history stays right.
    assert datetime(2026, 6, 15, 12, tzinfo=UTC).astimezone(morocco()).utcoffset() == timedelta(hours=1)


def test_system_tz_database_is_not_what_we_read():
    """Whatever the OS copy says (often still UTC+1), our zone comes from tzdata."""
    try:
        system = ZoneInfo("Africa/Casablanca")
    except Exception:
        pytest.skip("no system copy of the tz database")
    winter = datetime(2027, 1, 15, 12, tzinfo=UTC)
    assert winter.astimezone(morocco()).utcoffset() == timedelta(0)
    if winter.astimezone(system).utcoffset() == timedelta(0):
        pytest.skip("this machine's tz database is already current")


def run_cli(*args, env=None, stdin=None, cwd=None, timeout=60):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ETAMKEEN_"))}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, text=True,
                          capture_output=True, env={**base, **(env or {})}, cwd=cwd or ROOT,
                          timeout=timeout)


def test_run_without_token_says_what_to_do(tmp_path):
    result = run_cli("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "make demo" in result.stderr
    assert "Traceback" not in result.stderr


class _Unauthorized(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self):  # noqa: N802 (http.server's naming)
        type(self).hits += 1
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_refused_token_is_one_fatal_line_not_a_retry_storm(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_cli("run", cwd=tmp_path, env={
            "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "123:wrong",
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{server.server_port}/bot",
            "ETAMKEEN_DB": str(tmp_path / "bot.db"),
        })
    finally:
        server.shutdown()
    assert result.returncode == 2, result.stderr
    fatal = [line for line in result.stderr.splitlines() if "CRITICAL" in line]
    assert len(fatal) == 1 and "token" in fatal[0]
    assert "Traceback" not in result.stderr
    assert "123:wrong" not in result.stderr  # the token never appears in logs
    assert _Unauthorized.hits <= 2


def test_console_works_with_a_pipe(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "ETAMKEEN_DB": str(tmp_path / "demo.db")}
    assert run_cli("seed-demo", env=env, cwd=tmp_path).returncode == 0
    result = run_cli("console", "--language", "ar", env=env, cwd=tmp_path,
                     stdin="/start\n1\n2\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Français" in out and "[2] ✓ العربية" in out
    assert "Vos données personnelles" in out  # pressed 1: French chosen, the notice follows
    assert "Traceback" not in out + result.stderr


def test_seed_demo_is_idempotent_and_separate(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "ETAMKEEN_DB": str(tmp_path / "demo.db")}
    first = run_cli("seed-demo", env=env, cwd=tmp_path)
    second = run_cli("seed-demo", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "42 sessions" in first.stdout and first.stdout.split(":")[1] == second.stdout.split(":")[1]
    assert not (tmp_path / "data").exists()  # nothing written to the default database
