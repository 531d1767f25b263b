"""The terminal chat, scripted through a pipe."""

from __future__ import annotations

import asyncio
import io
import os

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tgsandbox.client import BotClient
from tgsandbox.console import _act, _Screen, run_console
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

Ctx = ContextTypes.DEFAULT_TYPE


async def start(update: Update, context: Ctx) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Catalogue", callback_data="cat"),
                InlineKeyboardButton("Attestation", callback_data="pdf"),
            ],
            [InlineKeyboardButton("Profil", callback_data="me")],
        ]
    )
    await update.message.reply_html("<b>Bienvenue</b>\nChoisissez :", reply_markup=keyboard)


async def pressed(update: Update, context: Ctx) -> None:
    query = update.callback_query
    if query.data == "pdf":
        await query.answer("Génération…")
        await update.effective_chat.send_document(b"%PDF-1.4 attestation", filename="attestation.pdf")
    elif query.data == "me":
        await query.answer("Profil incomplet", show_alert=True)
    else:
        await query.answer()
        await query.edit_message_text("Catalogue : 3 formations")


async def document(update: Update, context: Ctx) -> None:
    await update.message.reply_text(f"reçu {update.message.document.file_name}")


async def later(update: Update, context: Ctx) -> None:
    """Something the bot sends on its own a moment later (as the outbox does)."""
    chat = update.effective_chat

    async def send() -> None:
        await asyncio.sleep(0.3)
        await chat.send_message("rappel : votre session commence demain")

    context.application.create_task(send())
    await update.message.reply_text("noté")


async def echo(update: Update, context: Ctx) -> None:
    await update.message.reply_text(f"écho: {update.message.text}")


@pytest.fixture
def server() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def app(server: FakeTelegram):
    app = (
        ApplicationBuilder()
        .token(server.token)
        .request(SandboxRequest(server))
        .get_updates_request(SandboxRequest(server))
        .updater(None)
        .build()
    )
    app.add_handlers(
        [
            CommandHandler("start", start),
            CommandHandler("later", later),
            CallbackQueryHandler(pressed),
            MessageHandler(filters.Document.ALL, document),
            MessageHandler(filters.TEXT, echo),
        ]
    )
    async with app:
        yield app


async def chat(app, server, script: str, tmp_path) -> str:
    out = io.StringIO()
    await run_console(app, server, stdin=io.StringIO(script), stdout=out, download_dir=tmp_path)
    return out.getvalue()


async def test_a_scripted_session(app, server: FakeTelegram, tmp_path) -> None:
    upload = tmp_path / "liste.xlsx"
    upload.write_bytes(b"PK\x03\x04")
    script = f"/start\n2\n3\n\\2\n!upload {upload}\n9\n1\n/quit\nignored after quit\n"
    output = await chat(app, server, script, tmp_path / "files")
    assert "bot: Bienvenue" in output and "     Choisissez :" in output
    assert "  [1] Catalogue   [2] Attestation" in output and "  [3] Profil" in output
    assert "(notice: Génération…)" in output
    saved = next((tmp_path / "files").glob("*attestation.pdf"))
    assert saved.read_bytes() == b"%PDF-1.4 attestation"
    assert f"bot: [document] attestation.pdf (20 bytes) -> {saved}" in output
    assert "(alert: Profil incomplet)" in output
    assert "bot: écho: 2" in output  # a backslash sends a number as text
    assert "bot: reçu liste.xlsx" in output
    assert "bot: écho: 9" in output  # no 9th button: sent as text
    assert "bot (edited): Catalogue : 3 formations" in output
    assert output.rstrip().endswith("Bye.") and "ignored" not in output


async def test_eof_ends_the_session_and_errors_do_not(app, server: FakeTelegram, tmp_path) -> None:
    output = await chat(app, server, "bonjour\n!upload /nonexistent/file.pdf\n", tmp_path)
    assert "bot: écho: bonjour" in output
    assert "(!)" in output and "No such file" in output
    assert output.rstrip().endswith("Bye.")
    assert f"Files the bot sends are saved in {tmp_path}" in output.splitlines()[3]


async def test_what_the_bot_sends_on_its_own_is_printed_as_it_arrives(app, server, tmp_path) -> None:
    """The person sits at the prompt: the message comes without pressing Enter."""
    read_fd, write_fd = os.pipe()
    stdin, out = os.fdopen(read_fd), io.StringIO()
    session = asyncio.create_task(run_console(app, server, stdin=stdin, stdout=out,
                                              download_dir=tmp_path))
    os.write(write_fd, b"/later\n")
    for _ in range(200):  # at most 10 s
        if "rappel" in out.getvalue():
            break
        await asyncio.sleep(0.05)
    shown = out.getvalue()
    os.close(write_fd)  # end of input: the session ends
    await session
    assert "bot: noté" in shown
    assert "bot: rappel : votre session commence demain" in shown  # no further line was typed
    assert shown.endswith("> \nbot: rappel : votre session commence demain\n> ")  # prompt again


async def test_a_number_with_no_buttons_on_screen_gives_a_hint(app, server, tmp_path) -> None:
    output = await chat(app, server, "1\n\\1\n", tmp_path)
    assert "(no message with buttons on screen: \\1 sends 1 as text)" in output
    assert output.count("bot: écho: 1") == 1  # only \1 was sent
    texts = [m.text for m in server.messages(1001) if not m.from_bot]
    assert texts == ["1"]


async def test_a_number_presses_a_button_of_the_message_on_screen_not_a_newer_one(
        app, server, tmp_path) -> None:
    client = BotClient(app, server, 1001)
    screen = _Screen(io.StringIO(), tmp_path)
    screen.show(await client.send("/start"))
    unseen = InlineKeyboardMarkup([[InlineKeyboardButton("Profil", callback_data="me")]])
    await app.bot.send_message(1001, "pas encore affiché", reply_markup=unseen)
    await _act(client, "1", screen)  # [1] on screen is "Catalogue", not the unseen "Profil"
    assert [m.text for m in client.messages] == ["Catalogue : 3 formations", "pas encore affiché"]
    assert not (client.last_answer or {}).get("show_alert")  # "Profil" would have alerted


# --- `etamkeen console` on the real bot --------------------------------------------------------

def _demo_db(path, language: str = "fr") -> int:
    """A seeded demo database where person 1001 has a profile; an open session's id."""
    from datetime import UTC, datetime

    from bot.services.demo import seed_demo
    from bot.storage.db import Database
    from bot.storage.migrations import migrate
    from bot.storage.users import save_profile

    async def build() -> int:
        db = await Database.open(path)
        try:
            await migrate(db)
            now = datetime.now(UTC)
            await db.write(seed_demo, now)
            profile = {"full_name": "Amina El Idrissi", "sex": "F", "administration_code": "MEF",
                       "level": "territorial", "region_code": "RSK", "position_code": "cadre"}
            await db.write(save_profile, 1001, language, profile, now, now)
            row = await db.read(lambda c: c.execute(
                "SELECT id FROM sessions WHERE status = 'published' AND needs_approval = 0"
                " AND starts_at > datetime('now', '+3 days') ORDER BY starts_at LIMIT 1").fetchone())
            return row[0]
        finally:
            await db.close()

    return asyncio.run(build())


def _console(monkeypatch, capsys, tmp_path, script: str, *args: str) -> tuple[int, str, str]:
    from bot.cli import main

    monkeypatch.setenv("ETAMKEEN_DB", str(tmp_path / "demo.db"))
    monkeypatch.setenv("ETAMKEEN_QUIET_HOURS", "off")
    monkeypatch.setenv("ETAMKEEN_ADMINS", "")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # where the console saves files
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    code = main(["--env-file", str(tmp_path / "none.env"), "console", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_registration_shows_its_confirmation_and_calendar_file_unasked(
        monkeypatch, capsys, tmp_path, language) -> None:
    from bot.i18n import translator

    t = translator(language)
    session = _demo_db(tmp_path / "demo.db", language)
    code, out, _ = _console(monkeypatch, capsys, tmp_path, f"/start s_{session}\n1\n",
                            "--language", language)
    assert code == 0
    ics = next(tmp_path.glob("etamkeen-chat-*/*.ics"))  # sent by the outbox, after "1"
    document = f"bot: [document] {ics.name.split('-', 1)[1]} ({ics.stat().st_size} bytes) -> {ics}"
    assert f"{document}\n     {t._('✅ Your place is confirmed:')}\n" in out
    assert t._("The calendar file adds the session to your calendar.") in out
    assert b"BEGIN:VCALENDAR" in ics.read_bytes()
    assert out.index(t._("✅ Your place is confirmed:")) < out.index("Bye.")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_console_person_is_an_official_unless_asked(monkeypatch, capsys, tmp_path, language):
    from bot.i18n import translator

    manage = translator(language)._("🛠 Manage this session")
    session = _demo_db(tmp_path / "demo.db", language)
    script = f"/start s_{session}\n"
    code, out, _ = _console(monkeypatch, capsys, tmp_path, script, "--language", language)
    assert code == 0 and "You are official #1001." in out and manage not in out
    for role in ("coordinator", "admin", "focal_point"):
        code, out, _ = _console(monkeypatch, capsys, tmp_path, script, "--role", role)
        assert code == 0 and f"You are {role.replace('_', ' ')} #1001." in out
        assert (manage in out) == (role != "focal_point")  # a focal point of another ministry
    code, out, _ = _console(monkeypatch, capsys, tmp_path, script, "--language", language)
    assert manage not in out  # an earlier --role is taken back

    async def roles() -> list:
        from bot.storage.db import Database

        db = await Database.open(tmp_path / "demo.db")
        try:
            return await db.read(lambda c: c.execute(
                "SELECT role FROM roles WHERE user_id = 1001").fetchall())
        finally:
            await db.close()

    assert asyncio.run(roles()) == []


def test_an_unknown_role_or_administration_is_refused(monkeypatch, capsys, tmp_path) -> None:
    _demo_db(tmp_path / "demo.db")
    code, _, err = _console(monkeypatch, capsys, tmp_path, "",
                            "--role", "focal_point", "--administration", "XYZ")
    assert code == 2 and "unknown administration 'XYZ'" in err and "MEF" in err
    with pytest.raises(SystemExit):
        _console(monkeypatch, capsys, tmp_path, "", "--role", "boss")
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def test_a_second_process_on_the_same_database_is_refused(monkeypatch, capsys, tmp_path) -> None:
    from bot.backup import DatabaseLock

    _demo_db(tmp_path / "demo.db")
    with DatabaseLock(tmp_path / "demo.db"):  # another console, or `etamkeen run`
        code, out, err = _console(monkeypatch, capsys, tmp_path, "/start\n")
    assert code == 2 and out == ""
    assert f"console: another etamkeen process (pid {os.getpid()}) is using demo.db" in err
    code, out, _ = _console(monkeypatch, capsys, tmp_path, "/start\n")  # free again
    assert code == 0 and "bot: " in out


def test_help_documents_the_roles(capsys) -> None:
    from bot.cli import main

    with pytest.raises(SystemExit):
        main(["console", "--help"])
    text = capsys.readouterr().out
    assert "--role {official,admin,coordinator,focal_point,trainer}" in text and "official" in text
