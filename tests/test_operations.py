"""Operating the bot: backups while it writes, the README's restore procedure, upgrades from the
first schema, /status for admins, logs an operator can read, and the deployment files."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.backup import BackupError, DatabaseLock, backup, check
from bot.config import ConfigError, Settings
from bot.logs import RECENT, OneLineFormatter, Redactor
from bot.runner import upgrade_database
from bot.storage.db import Database
from bot.storage.migrations import LATEST, DatabaseTooNew, migrate
from tests.conftest import ADMIN_ID, db_row, grant, make_session, onboard, start_app, stop_app
from tests.test_config_cli import ROOT, run_cli

TABLES = ("users", "sessions", "registrations", "outbox", "interests", "roles", "drafts")


def env_for(db: Path, **extra: str) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "ETAMKEEN_DB": str(db), **extra}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


async def test_backup_while_the_bot_writes_is_consistent(app, tmp_path):
    """Each transaction writes a pair of rows; a consistent copy never holds half a pair."""
    db = app.bot_data.db
    now = app.bot_data.clock.now()
    written, running, warm = [0], [True], asyncio.Event()

    async def writer():
        from bot.storage import outbox

        def pair(conn, i):
            outbox.enqueue(conn, 1, "test", {}, f"pair:{i}:a", now)
            outbox.enqueue(conn, 1, "test", {}, f"pair:{i}:b", now)

        while running[0]:
            await db.write(pair, written[0])
            written[0] += 1
            if written[0] == 50:
                warm.set()

    task = asyncio.create_task(writer())
    await asyncio.wait_for(warm.wait(), 30)
    before = written[0]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "backup", str(tmp_path / "backups"), cwd=tmp_path,
        env={**os.environ, **env_for(db.path)}, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    running[0] = False
    await task
    assert process.returncode == 0, err.decode()
    assert written[0] > before  # the bot kept writing during the backup
    copy = Path(out.decode().strip().rsplit(" ", 1)[-1])
    assert copy.parent == tmp_path / "backups" and copy.name.startswith("etamkeen-")
    assert check(copy) == LATEST
    conn = sqlite3.connect(copy)
    keys = [r[0] for r in conn.execute("SELECT dedupe_key FROM outbox WHERE kind = 'test'")]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no -wal
    conn.close()
    halves = {k.rsplit(":", 1)[0] for k in keys}
    assert len(keys) == 2 * len(halves) >= 2 * before  # whole pairs only, and all of the start
    assert not list((tmp_path / "backups").glob("*.part"))


async def test_restore_into_a_fresh_directory_then_the_bot_starts_with_everything(
        app, person, server, clock, tmp_path, fr):
    """The README's procedure: backup -> (bot stopped) restore -> start."""
    sid = await make_session(app, "T-RESTORE", capacity=5)
    await onboard(app, 8101)
    amina = person(8101, "fr")
    await amina.start(f"s_{sid}")
    await amina.click(fr._("✅ Register"))
    made = backup(app.bot_data.db.path, tmp_path / "nightly")
    original = counts(app.bot_data.db.path)

    fresh = tmp_path / "elsewhere" / "etamkeen.db"
    result = run_cli("restore", str(made), env=env_for(fresh), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert counts(fresh) == original
    again = run_cli("restore", str(made), env=env_for(fresh), cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr  # never overwrites by surprise
    with DatabaseLock(fresh):  # as `etamkeen run` holds it
        busy = run_cli("restore", str(made), "--force", env=env_for(fresh), cwd=tmp_path)
    assert busy.returncode == 2 and "another etamkeen process" in busy.stderr
    forced = run_cli("restore", str(made), "--force", env=env_for(fresh), cwd=tmp_path)
    assert forced.returncode == 0 and "kept as" in forced.stdout
    assert list(fresh.parent.glob("etamkeen.db.before-restore-*"))

    restored = await start_app(server, clock, fresh, seed=False)
    try:
        row = await db_row(restored, "SELECT status FROM registrations WHERE user_id = 8101")
        assert tuple(row) == ("confirmed",)
        from tgsandbox.client import BotClient

        shown = await BotClient(restored, server, user_id=8101).send("/mytrainings")
        assert "Cybersécurité" in shown[-1].text
    finally:
        await stop_app(restored)


def test_backup_and_restore_refuse_what_is_not_a_database(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a usable SQLite database"):
        check(junk)
    result = run_cli("backup", str(tmp_path / "b"), env=env_for(tmp_path / "missing.db"), cwd=tmp_path)
    assert result.returncode == 2 and "no database" in result.stderr


def test_backups_in_a_folder_keep_the_newest(tmp_path):
    db = tmp_path / "bot.db"
    sqlite3.connect(db).execute("CREATE TABLE users (id INTEGER)").connection.close()
    made = []
    for i in range(4):
        made.append(backup(db, tmp_path / "daily", keep=2, label=f"{i}-"))
        os.utime(made[-1], (1000 + i, 1000 + i))
    assert sorted(p.name for p in (tmp_path / "daily").iterdir()) == sorted(p.name for p in made[-2:])


V1_DATA = [
    "INSERT INTO users (id, language, full_name, sex, administration_code, level, region_code,"
    " position_code, consent_at, onboarded_at, created_at, updated_at) VALUES (9001, 'fr',"
    " 'Amina El Idrissi', 'F', 'MEF', 'territorial', 'RSK', 'cadre', '2026-01-05 10:00:00',"
    " '2026-01-05 10:05:00', '2026-01-05 10:00:00', '2026-01-05 10:05:00')",
    "INSERT INTO roles (user_id, role, administration_code, granted_at) VALUES (9001, 'focal_point',"
    " 'MEF', '2026-01-06 09:00:00')",
    "INSERT INTO drafts (user_id, flow, step, data, updated_at) VALUES (9002, 'onboarding', 'name',"
    " '{\"language\": \"ar\"}', '2026-01-07 09:00:00')",
    "INSERT INTO trainings (id, code, title_fr, title_ar, theme_code, modality, created_at, updated_at)"
    " VALUES (1, 'OLD-101', 'Gouvernance des données', 'حوكمة البيانات', (SELECT code FROM themes"
    " LIMIT 1), 'presentiel', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO sessions (id, reference, training_id, starts_at, ends_at, capacity, created_at,"
    " updated_at) VALUES (1, 'OLD-101-01', 1, '2027-01-10 09:00:00', '2027-01-10 16:00:00', 20,"
    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO registrations (session_id, user_id, status, created_at, updated_at) VALUES (1, 9001,"
    " 'confirmed', '2026-01-08 09:00:00', '2026-01-08 09:00:00')",
]


def snapshot(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "users": conn.execute("SELECT id, language, full_name, sex, administration_code, level,"
                                  " region_code, position_code, consent_at FROM users").fetchall(),
            "roles": conn.execute("SELECT user_id, role, administration_code FROM roles").fetchall(),
            "drafts": conn.execute("SELECT user_id, flow, step, data FROM drafts").fetchall(),
            "sessions": conn.execute("SELECT id, reference, starts_at, capacity FROM sessions").fetchall(),
            "registrations": conn.execute("SELECT session_id, user_id, status FROM registrations").fetchall(),
        }
    finally:
        conn.close()


async def make_v1_database(path: Path) -> None:
    db = await Database.open(path)
    try:
        assert await migrate(db, target=1) == [1]
        await db.write(lambda c: [c.execute(sql) for sql in V1_DATA])
    finally:
        await db.close()


async def test_a_first_schema_database_is_backed_up_then_migrated_with_data_intact(
        server, clock, tmp_path):
    path = tmp_path / "data" / "etamkeen.db"
    await make_v1_database(path)
    before = snapshot(path)
    settings = Settings(db_path=path)
    applied = await upgrade_database(settings)
    assert applied == list(range(2, LATEST + 1))
    assert snapshot(path) == before
    saved = list((tmp_path / "data" / "backups").glob("etamkeen-v1-before-upgrade-*.db"))
    assert len(saved) == 1 and check(saved[0]) == 1 and snapshot(saved[0]) == before
    assert await upgrade_database(settings) == []  # nothing more to do, and no second backup
    assert len(list((tmp_path / "data" / "backups").iterdir())) == 1

    app = await start_app(server, clock, path, seed=False)
    try:
        from tgsandbox.client import BotClient

        shown = await BotClient(app, server, user_id=9001).send("/mytrainings")
        assert "Gouvernance des données" in shown[-1].text
    finally:
        await stop_app(app)


async def test_a_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "new.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {LATEST + 1}").connection.close()
    with pytest.raises(DatabaseTooNew):
        await upgrade_database(Settings(db_path=path))
    result = run_cli("run", env=env_for(path, ETAMKEEN_SANDBOX_LOG=str(tmp_path / "r.jsonl")),
                     cwd=tmp_path)
    assert result.returncode == 2
    fatal = [line for line in result.stderr.splitlines() if "CRITICAL" in line]
    assert len(fatal) == 1 and "upgrade the bot" in fatal[0]


def test_a_second_run_on_the_same_database_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    with DatabaseLock(path):
        result = run_cli("run", env=env_for(path, ETAMKEEN_SANDBOX_LOG=str(tmp_path / "r.jsonl")),
                         cwd=tmp_path)
    assert result.returncode == 2 and "another etamkeen process" in result.stderr
    assert "Traceback" not in result.stderr


async def test_status_shows_outbox_unreachable_people_errors_and_uptime(app, person, server, clock, fr):
    sid = await make_session(app, "T-STATUS", capacity=5)
    for uid in (8201, 8202):
        await onboard(app, uid)
        await app.bot_data.registrations.join(uid, sid)
    await app.bot_data.people.set_reachable(8202, False)
    clock.advance(minutes=125)
    RECENT.items.clear()
    logging.getLogger("etamkeen.outbox").error("outbox: confirmed#12: Bad Request: chat not found")
    await onboard(app, ADMIN_ID)
    admin = person(ADMIN_ID, "fr")
    text = (await admin.send("/status"))[-1].text
    due = (await db_row(app, "SELECT COUNT(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE "
                             "u.id = 8201"))[0]
    held = (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE user_id = 8202"))[0]
    assert fr.ngettext("Outbox: {n} message waiting to be sent", "Outbox: {n} messages waiting to be "
                       "sent", due) in text
    assert fr.ngettext("The oldest was queued {n} minute ago", "The oldest was queued {n} minutes ago",
                       125) in text
    assert fr.ngettext("{n} message kept until its recipient unblocks the bot", "{n} messages kept "
                       "until their recipients unblock the bot", held) in text
    assert fr.ngettext("{n} person cannot be reached (blocked the bot or left Telegram)", "{n} people "
                       "cannot be reached (blocked the bot or left Telegram)", 1) in text
    assert fr.ngettext("Up for {n} hour", "Up for {n} hours", 2) in text
    assert "confirmed#12: Bad Request: chat not found" in text
    RECENT.items.clear()
    text = (await admin.send("/status"))[-1].text
    assert fr._("No errors since the start.") in text


async def test_status_is_refused_to_everyone_but_the_admins(app, person, fr, ar):
    # A national coordinator is not an operator: the admins' refusal, in their language.
    for uid, t in ((8250, fr), (8251, ar)):
        await onboard(app, uid, t.lang)
        await grant(app, uid, "coordinator")
        shown = await person(uid, t.lang).send("/status")
        assert [m.text for m in shown] == [t._("This command is reserved for the bot's administrators.")]


def test_log_lines_are_one_per_event_and_never_hold_the_token():
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter(Redactor(("webhook-secret-value",))))
    logger = logging.getLogger("etamkeen.test.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getMe failed\nsecond line")
        except RuntimeError:
            logger.exception("send failed user=%s secret=%s", 42, "webhook-secret-value")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert token not in lines[0] and "webhook-secret-value" not in lines[0]
    assert "user=42" in lines[0] and "Traceback" in lines[0] and "<token>" in lines[0]


def test_operations_settings_are_read_and_checked():
    s = Settings.from_env({"ETAMKEEN_RETENTION_YEARS": "5", "ETAMKEEN_WEBHOOK_URL": "https://b.ma/tg",
                           "ETAMKEEN_WEBHOOK_SECRET": "abc_DEF-123", "ETAMKEEN_WEBHOOK_PORT": "8080",
                           "ETAMKEEN_WEBHOOK_LISTEN": "0.0.0.0", "ETAMKEEN_BACKUP_DIR": "/srv/b",
                           "ETAMKEEN_DB": "/srv/data/bot.db"}, dotenv=None)
    assert (s.retention_years, s.webhook_url, s.webhook_secret, s.webhook_port, s.webhook_listen) == \
        (5, "https://b.ma/tg", "abc_DEF-123", 8080, "0.0.0.0")
    assert s.backups == Path("/srv/b")
    assert Settings.from_env({"ETAMKEEN_DB": "/srv/data/bot.db"}, dotenv=None).backups == \
        Path("/srv/data/backups")
    for bad, name in [({"ETAMKEEN_WEBHOOK_URL": "http://b.ma"}, "WEBHOOK_URL"),
                      ({"ETAMKEEN_WEBHOOK_SECRET": "with space"}, "WEBHOOK_SECRET"),
                      ({"ETAMKEEN_WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
                      ({"ETAMKEEN_RETENTION_YEARS": "1.5"}, "RETENTION_YEARS")]:
        with pytest.raises(ConfigError, match=name):
            Settings.from_env(bad, dotenv=None)


def test_webhook_mode_refuses_an_incomplete_configuration(tmp_path):
    result = run_cli("run", "--webhook", cwd=tmp_path, env=env_for(
        tmp_path / "bot.db", TELEGRAM_BOT_TOKEN="1:x", ETAMKEEN_WEBHOOK_URL="https://b.ma/tg"))
    assert result.returncode == 2 and "ETAMKEEN_WEBHOOK_SECRET" in result.stderr


# Settings an operator must find in the README's table and in the example environment file.
# (Features under way add theirs when they land; then this can become "everything config reads".)
def test_settings_are_in_the_example_environment_file_and_the_readme():
    # Every variable config.py reads (a quoted full name) must be documented in both places.
    DOCUMENTED = sorted(set(re.findall(r"\"((?:ETAMKEEN|TELEGRAM)_[A-Z_]+[A-Z])\"",
                                       (ROOT / "bot/config.py").read_text())))
    assert len(DOCUMENTED) >= 20
    example = (ROOT / "deploy/etamkeen.env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert not [v for v in DOCUMENTED if v not in example]
    assert not [v for v in DOCUMENTED if f"`{v}`" not in readme]
    unit = (ROOT / "deploy/etamkeen.service").read_text()
    assert "etamkeen run" in unit and "EnvironmentFile=" in unit and "KillSignal=SIGTERM" in unit


async def test_purge_inactive_from_the_command_line_beside_the_running_bot(app, tmp_path):
    await onboard(app, 8501)
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE users SET created_at = '2019-01-01 00:00:00', updated_at = '2019-01-01 00:00:00'"
        " WHERE id = 8501"))
    env = env_for(app.bot_data.db.path)
    counted = run_cli("purge-inactive", "--dry-run", env=env, cwd=tmp_path)
    assert counted.returncode == 0 and counted.stdout.startswith("1 people"), counted.stderr
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 8501") is not None
    done = run_cli("purge-inactive", env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("1 people")
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 8501") is None
    never = run_cli("purge-inactive", env={**env, "ETAMKEEN_RETENTION_YEARS": "0"}, cwd=tmp_path)
    assert never.returncode == 0 and "nobody" in never.stdout
