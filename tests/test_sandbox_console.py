"""The terminal chat, scripted through a pipe."""

from __future__ import annotations

import io

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

from bot.sandbox.console import run_console
from bot.sandbox.request import SandboxRequest
from bot.sandbox.server import FakeTelegram

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
