"""BotClient drives a real PTB Application as a person would, through the update processor."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import Forbidden
from telegram.ext import (
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tgsandbox.client import BotClient
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

Ctx = ContextTypes.DEFAULT_TYPE


class CountingProcessor(BaseUpdateProcessor):
    """Proves updates go through the application's update processor."""

    def __init__(self) -> None:
        super().__init__(max_concurrent_updates=4)
        self.update_ids: list[int] = []

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        self.update_ids.append(update.update_id)  # type: ignore[attr-defined]
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


async def start(update: Update, context: Ctx) -> None:
    if context.args:
        await update.message.reply_text(f"payload={context.args[0]}")
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("📝 Inscription", callback_data="v1:reg"),
                InlineKeyboardButton("Catalogue", callback_data="v1:cat"),
            ],
            [InlineKeyboardButton("Aide", url="https://t.me/etamkeen_bot?start=help")],
            [InlineKeyboardButton("Muet", callback_data="v1:silent")],
        ]
    )
    name = escape(update.effective_user.first_name)
    await update.message.reply_html(f"Bienvenue <b>{name}</b> &amp; bonne formation", reply_markup=keyboard)


async def register(update: Update, context: Ctx) -> None:
    query = update.callback_query
    await query.answer("Inscription enregistrée")
    cancel = InlineKeyboardMarkup([[InlineKeyboardButton("Annuler", callback_data="v1:cancel")]])
    await query.edit_message_text("Inscrit ✅", reply_markup=cancel)


async def catalogue(update: Update, context: Ctx) -> None:
    await update.callback_query.answer()
    rows = [[InlineKeyboardButton(f"Formation {c}", callback_data=f"v1:f:{c}")] for c in "AB"]
    await update.effective_chat.send_message("Catalogue", reply_markup=InlineKeyboardMarkup(rows))


async def silent(update: Update, context: Ctx) -> None:
    await update.effective_chat.send_message("I forgot to answer")


async def stale(update: Update, context: Ctx) -> None:
    query = update.callback_query
    context.chat_data.setdefault("stale", []).append((query.data, query.message.is_accessible))
    await query.answer("Ce bouton a expiré", show_alert=True)


async def document(update: Update, context: Ctx) -> None:
    doc = update.message.document
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    await update.message.reply_text(f"{doc.file_name}: {len(data)} octets ({doc.mime_type})")
    await update.message.reply_document(data.upper(), filename="rapport.csv", caption="Rapport")


async def media(update: Update, context: Ctx) -> None:
    message = update.message
    if message.photo:
        size = message.photo[-1]
        data = await (await size.get_file()).download_as_bytearray()
        await message.reply_text(f"photo {size.width}x{size.height} {len(data)}")
    else:
        kind = "sticker" if message.sticker else "location" if message.location else "voice"
        await message.reply_text(f"{kind}: merci d'écrire du texte")


async def edited(update: Update, context: Ctx) -> None:
    await update.effective_chat.send_message(f"modifié: {update.edited_message.text}")


async def group(update: Update, context: Ctx) -> None:
    await update.message.reply_text(f"groupe: {update.message.text}")
    await context.bot.send_message(update.effective_user.id, "Écrivez-moi en privé")


async def menu(update: Update, context: Ctx) -> None:
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Oui"), KeyboardButton("Non")]])
    await update.message.reply_text("Confirmer ?", reply_markup=keyboard)


async def echo(update: Update, context: Ctx) -> None:
    context.user_data.setdefault("seen", []).append(update.update_id)
    await update.message.reply_html(f"Vous avez dit : <i>{escape(update.message.text)}</i>")


@pytest.fixture
def server() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def processor() -> CountingProcessor:
    return CountingProcessor()


@pytest.fixture
async def app(server: FakeTelegram, processor: CountingProcessor):
    app = (
        ApplicationBuilder()
        .token(server.token)
        .request(SandboxRequest(server))
        .get_updates_request(SandboxRequest(server))
        .updater(None)
        .concurrent_updates(processor)
        .build()
    )
    app.add_handlers(
        [
            MessageHandler(filters.ChatType.GROUPS, group),
            CommandHandler("start", start),
            CommandHandler("menu", menu),
            CallbackQueryHandler(register, pattern="^v1:reg$"),
            CallbackQueryHandler(catalogue, pattern="^v1:cat$"),
            CallbackQueryHandler(silent, pattern="^v1:silent$"),
            CallbackQueryHandler(stale),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited),
            MessageHandler(filters.Document.ALL, document),
            MessageHandler(filters.PHOTO | filters.Sticker.ALL | filters.LOCATION | filters.VOICE, media),
            MessageHandler(filters.TEXT, echo),
        ]
    )
    async with app:
        yield app


@pytest.fixture
def amina(app, server: FakeTelegram) -> BotClient:
    return BotClient(app, server)


async def test_start_shows_text_html_and_buttons(amina: BotClient, processor) -> None:
    [welcome] = await amina.start()
    assert welcome.text == "Bienvenue Amina & bonne formation"
    assert welcome.html == "Bienvenue <b>Amina</b> &amp; bonne formation"
    assert welcome.buttons == [["📝 Inscription", "Catalogue"], ["Aide"], ["Muet"]]
    assert welcome.button_data == [["v1:reg", "v1:cat"], [None], ["v1:silent"]]
    assert amina.messages[-1].message_id == welcome.message_id == amina.last_message.message_id
    assert processor.update_ids, "updates must go through the application's update processor"
    assert (await amina.start("abc-123"))[0].text == "payload=abc-123"
    assert (await amina.start("<b> garbage"))[0].text == "payload=<b>"  # typed: passed as is
    # Through a link, Telegram drops a payload it does not accept: the bot sees a bare /start.
    assert (await amina.open_link("https://t.me/etamkeen_bot?start=s_12"))[0].text == "payload=s_12"
    assert (await amina.open_link("t.me/etamkeen_bot?start=" + "x" * 65))[0].text.startswith("Bienvenue")
    assert (await amina.open_link("https://t.me/etamkeen_bot?start=été"))[0].text.startswith("Bienvenue")
    with pytest.raises(AssertionError, match="not a deep link"):
        await amina.open_link("https://t.me/other_bot?start=x")


async def test_the_bot_cannot_write_first(app, server: FakeTelegram) -> None:
    youssef = BotClient(app, server, user_id=2002, first_name="Youssef")
    with pytest.raises(Forbidden):
        await app.bot.send_message(youssef.chat_id, "Rappel")
    await youssef.send("salut")
    await app.bot.send_message(youssef.chat_id, "Rappel")
    assert [m.text for m in youssef.unread()] == ["Rappel"]


async def test_click_edits_in_place_and_records_the_answer(amina: BotClient) -> None:
    [welcome] = await amina.start()
    [after] = await amina.click("📝 Inscription")
    assert after.message_id == welcome.message_id and after.edited
    assert after.text == "Inscrit ✅" and after.buttons == [["Annuler"]]
    assert amina.last_answer == {"text": "Inscription enregistrée"}
    assert welcome.text.startswith("Bienvenue")  # snapshots keep what was seen then


async def test_click_by_substring_and_helpful_failures(amina: BotClient) -> None:
    await amina.start()
    [listing] = await amina.click("Catal")
    assert listing.text == "Catalogue" and listing.buttons == [["Formation A"], ["Formation B"]]
    with pytest.raises(AssertionError, match="ambiguous"):
        await amina.click("Formation")
    with pytest.raises(AssertionError, match=r"no button 'Nope'; available buttons: \[\['Formation A'\]"):
        await amina.click("Nope")
    # An older message can still be pressed, by text or explicitly.
    [edited] = await amina.click("Inscription")
    assert edited.text == "Inscrit ✅"
    await amina.click("Formation B", message=listing)


async def test_unanswered_callback_query_fails_the_test(amina: BotClient) -> None:
    await amina.start()
    with pytest.raises(AssertionError, match="did not answer the callback query"):
        await amina.click("Muet")


async def test_forged_stale_and_inaccessible_presses(amina: BotClient, app) -> None:
    [welcome] = await amina.start()
    await amina.click_data("v1:reg:999999", welcome)
    assert amina.last_answer == {"text": "Ce bouton a expiré", "show_alert": True}
    await amina.click_data("old", inaccessible=True)
    assert app.chat_data[amina.chat_id]["stale"] == [("v1:reg:999999", True), ("old", False)]


async def test_deep_link_and_reply_keyboard_buttons(amina: BotClient) -> None:
    await amina.start()
    [reply] = await amina.click("Aide")
    assert reply.text == "payload=help"
    [question] = await amina.send("/menu")
    assert question.buttons == [["Oui", "Non"]] and question.button_data == [[None, None]]
    [answer] = await amina.click("Oui")
    assert answer.text == "Vous avez dit : Oui"


async def test_upload_then_the_bot_downloads_and_sends_a_document(amina: BotClient, tmp_path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b"nom;prenom\nel idrissi;amina\n")
    summary, report = await amina.upload(path)
    assert summary.text == "liste.csv: 28 octets (text/csv)"
    assert report.document.filename == "rapport.csv"
    assert report.document.data == b"NOM;PRENOM\nEL IDRISSI;AMINA\n"
    assert report.text == report.caption == "Rapport"
    [summary, _] = await amina.upload(b"\x00\x01", "data.bin")
    assert summary.text == "data.bin: 2 octets (application/octet-stream)"


async def test_other_kinds_of_messages(amina: BotClient) -> None:
    assert (await amina.send_photo())[0].text == "photo 1x1 68"
    assert (await amina.send_sticker())[0].text == "sticker: merci d'écrire du texte"
    assert (await amina.send_location(34.02, -6.83))[0].text.startswith("location")
    assert (await amina.send_voice())[0].text.startswith("voice")


async def test_text_is_escaped_and_edits_arrive_as_edited_message(amina: BotClient) -> None:
    [reply] = await amina.send("<script> & ‮ 10 000 caractères")
    assert reply.text == "Vous avez dit : <script> & \u202e 10 000 caractères"
    assert "&lt;script&gt; &amp;" in reply.html
    [reply] = await amina.edit(None, "corrigé")
    assert reply.text == "modifié: corrigé"


async def test_group_messages(amina: BotClient, server: FakeTelegram) -> None:
    await amina.start()  # otherwise the private reply is refused: she never started the bot
    replies = await amina.send_in_group("bonjour", chat_id=-1005)
    assert [(m.chat_id, m.text) for m in replies] == [
        (-1005, "groupe: bonjour"),
        (1001, "Écrivez-moi en privé"),
    ]
    assert server.chats[-1005].title == "Test group"


async def test_redelivery_processes_the_same_update_again(amina: BotClient, app) -> None:
    await amina.send("une fois")
    await amina.redeliver()
    seen = app.user_data[amina.user_id]["seen"]
    assert len(seen) == 2 and seen[0] == seen[1]
    raw = {"message": amina.last_sent.to_json()}
    first = await amina.feed(dict(raw, update_id=777))
    again = await amina.feed(dict(raw, update_id=777))
    assert first[0].text == again[0].text and app.user_data[amina.user_id]["seen"][-2:] == [777, 777]


async def test_deleted_messages_disappear(amina: BotClient, app) -> None:
    [welcome] = await amina.start()
    await app.bot.delete_message(amina.chat_id, welcome.message_id)
    assert amina.messages == [] and amina.last_message is None
    with pytest.raises(AssertionError, match="no longer in the chat"):
        await amina.click("Catalogue", message=welcome)
