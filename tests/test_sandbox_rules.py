"""Every Telegram rule the sandbox enforces reaches PTB as Telegram's own exception and text."""

from __future__ import annotations

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
)
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken
from telegram.ext import ApplicationBuilder

from tgsandbox import rules
from tgsandbox.request import SandboxRequest
from tgsandbox.server import FakeTelegram

USER = 1001


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> FakeTelegram:
    server = FakeTelegram(clock=clock)
    server.add_user(USER, "Amina")
    return server


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
    async with app:  # initialize() calls getMe through the sandbox
        yield app


@pytest.fixture
def bot(app):
    return app.bot


def last_error(server: FakeTelegram) -> str | None:
    return server.calls[-1].description


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(list(rows))


async def test_get_me_bad_token_and_unknown_method(server: FakeTelegram, bot) -> None:
    assert bot.username == "etamkeen_bot" and bot.id == 123456
    other = ApplicationBuilder().token("654321:WRONG").request(SandboxRequest(server)).build()
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await other.bot.get_me()
    assert server.calls[-1].error_code == 401
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    assert (server.calls[-1].error_code, last_error(server)) == (404, "Not Found")


async def test_text_limits_count_characters_after_parsing(server: FakeTelegram, bot) -> None:
    assert (await bot.send_message(USER, "x" * 4096)).text == "x" * 4096
    # Tags do not count: 4096 visible characters wrapped in <b> are fine.
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "x" * 4097)
    assert last_error(server) == rules.TEXT_TOO_LONG
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode="HTML")
    assert last_error(server) == "Bad Request: message text is empty"


async def test_html_errors_carry_telegram_text(server: FakeTelegram, bot) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "Bonjour<br>Amina", parse_mode="HTML")
    assert last_error(server) == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 7'
    )
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "<b>Inscription", parse_mode="HTML")
    assert last_error(server) == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    sent = await bot.send_message(USER, "<b>A</b> &lt;&amp;&gt;", parse_mode="HTML")
    assert sent.text == "A <&>" and sent.entities[0].type == "bold"


async def test_caption_limit(server: FakeTelegram, bot) -> None:
    await bot.send_document(USER, b"x", filename="a.txt", caption="c" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, b"x", filename="a.txt", caption="c" * 1025)
    assert last_error(server) == rules.CAPTION_TOO_LONG


async def test_callback_data_is_limited_in_bytes(server: FakeTelegram, bot) -> None:
    await bot.send_message(
        USER, "ok", reply_markup=keyboard([InlineKeyboardButton("a", callback_data="d" * 64)])
    )
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(
            USER, "x", reply_markup=keyboard([InlineKeyboardButton("a", callback_data="d" * 65)])
        )
    assert last_error(server) == "Bad Request: BUTTON_DATA_INVALID"
    # 33 Arabic letters are 66 bytes.
    with pytest.raises(BadRequest):
        await bot.send_message(
            USER, "x", reply_markup=keyboard([InlineKeyboardButton("a", callback_data="ب" * 33)])
        )
    assert last_error(server) == rules.BUTTON_DATA_INVALID


async def test_keyboard_size_and_button_actions(server: FakeTelegram, bot) -> None:
    button = InlineKeyboardButton("b", callback_data="b")
    await bot.send_message(USER, "ok", reply_markup=keyboard(*[[button] * 8] * 12 + [[button] * 4]))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(USER, "x", reply_markup=keyboard(*[[button] * 5] * 20 + [[button]]))
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await bot.send_message(USER, "x", reply_markup=keyboard([button] * 9))
    assert last_error(server) == rules.MARKUP_TOO_LONG
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "x", reply_markup=keyboard([InlineKeyboardButton("plain")]))
    assert last_error(server) == (
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
    )
    with pytest.raises(BadRequest):
        await bot.send_message(
            USER,
            "x",
            reply_markup=keyboard([InlineKeyboardButton("two", url="https://e.ma", callback_data="x")]),
        )
    assert last_error(server) == rules.MANY_ACTIONS


async def test_answer_callback_query_once_within_15_seconds(server: FakeTelegram, bot, clock) -> None:
    message = server.user_message(USER, text="hi")
    query = server.new_callback_query(USER, message, "x")
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query["id"], text="t" * 201)
    assert await bot.answer_callback_query(query["id"], text="t" * 200)
    assert server.query_answer(query["id"]) == {"text": "t" * 200}
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query["id"])  # answered already
    assert last_error(server) == rules.QUERY_INVALID
    late = server.new_callback_query(USER, message, "x")
    clock.now += 15.5
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(late["id"])
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("424242")


async def test_edits_and_deletions(server: FakeTelegram, bot) -> None:
    markup = keyboard([InlineKeyboardButton("a", callback_data="a")])
    sent = await bot.send_message(USER, "<b>Hi</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Hi</b>", USER, sent.message_id, parse_mode="HTML", reply_markup=markup
        )
    assert last_error(server) == rules.NOT_MODIFIED
    # Same words, different formatting: a real change.
    edited = await bot.edit_message_text("Hi", USER, sent.message_id, reply_markup=markup)
    assert edited.text == "Hi" and edited.edit_date is not None
    # Editing the text without reply_markup removes the keyboard, as Telegram does.
    await bot.edit_message_text("Hello", USER, sent.message_id)
    assert server.message(USER, sent.message_id).reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id)
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert last_error(server) == rules.EDIT_NOT_FOUND
    assert await bot.delete_message(USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)
    assert last_error(server) == rules.DELETE_NOT_FOUND
    assert server.messages(USER) == []


async def test_caption_edits_and_wrong_kind_of_edit(server: FakeTelegram, bot) -> None:
    doc = await bot.send_document(USER, b"x", filename="a.txt", caption="v1")
    edited = await bot.edit_message_caption(USER, doc.message_id, caption="<i>v2</i>", parse_mode="HTML")
    assert edited.caption == "v2"
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", USER, doc.message_id)
    text = await bot.send_message(USER, "t")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(USER, text.message_id, caption="c")
    mine = server.user_message(USER, text="from the person")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", USER, mine.message_id)


async def test_bot_commands(server: FakeTelegram, bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Commencer")], language_code="fr")
    await bot.set_my_commands([BotCommand("stats", "Stats")], scope=BotCommandScopeChat(USER))
    assert server.commands == {
        ("default", "fr"): [{"command": "start", "description": "Commencer"}],
        (f"chat:{USER}", ""): [{"command": "stats", "description": "Stats"}],
    }
    assert [c.command for c in await bot.get_my_commands(language_code="fr")] == ["start"]
    assert await bot.get_my_commands() == ()
    await bot.delete_my_commands(language_code="fr")
    assert ("default", "fr") not in server.commands
    cases = [
        ([BotCommand("Bad-Command", "x")], "Bad Request: BOT_COMMAND_INVALID"),
        ([BotCommand("inscription_é", "x")], "Bad Request: BOT_COMMAND_INVALID"),
        ([BotCommand("a" * 33, "x")], "Bad Request: command length must not exceed 32"),
        ([BotCommand("ok", " ")], "Bad Request: command description must be non-empty"),
        (
            [BotCommand("ok", "d" * 257)],
            "Bad Request: command description length must not exceed 256",
        ),
        ([BotCommand(f"c{i}", "x") for i in range(101)], "Bad Request: BOT_COMMANDS_TOO_MUCH"),
    ]
    for commands, description in cases:
        with pytest.raises(BadRequest):
            await bot.set_my_commands(commands)
        assert last_error(server) == description
    with pytest.raises(BadRequest, match="Invalid language code specified"):
        await bot.set_my_commands([BotCommand("ok", "x")], language_code="fra")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([BotCommand("ok", "x")], scope=BotCommandScopeChat(777))


async def test_descriptions_name_and_menu_button(server: FakeTelegram, bot) -> None:
    await bot.set_my_description("d" * 512, language_code="ar")
    await bot.set_my_short_description("s" * 120)
    await bot.set_my_name("n" * 64)
    assert (await bot.get_my_description(language_code="ar")).description == "d" * 512
    assert server.short_descriptions == {"": "s" * 120} and server.names == {"": "n" * 64}
    for call, text in [
        (bot.set_my_description("d" * 513), rules.DESCRIPTION_TOO_LONG),
        (bot.set_my_short_description("s" * 121), rules.SHORT_DESCRIPTION_TOO_LONG),
        (bot.set_my_name("n" * 65), rules.NAME_TOO_LONG),
    ]:
        with pytest.raises(BadRequest):
            await call
        assert last_error(server) == text
    await bot.set_chat_menu_button(USER, MenuButtonCommands())
    assert server.menu_buttons[USER] == {"type": "commands"}
    assert (await bot.get_chat_menu_button(USER)).type == "commands"


async def test_file_size_limits_and_download(server: FakeTelegram, bot) -> None:
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.send_photo(USER, b"\0" * (10_000_000 + 1))
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.send_document(USER, b"\0" * (50_000_000 + 1), filename="big.bin")
    assert last_error(server) == rules.FILE_TOO_BIG
    big = server.store_file(b"\0" * (20_000_000 + 1), "big.xlsx", None)
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big.file_id)
    small = server.store_file(b"PK\x03\x04 workbook", "catalogue.xlsx", None)
    file = await bot.get_file(small.file_id)
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04 workbook"
    # A file the bot sent can be sent again by file_id.
    sent = await bot.send_document(USER, b"abc", filename="a.csv")
    again = await bot.send_document(USER, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(USER, "https://example.org/x.pdf")


async def test_people_who_cannot_be_reached(server: FakeTelegram, bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "x")
    assert server.calls[-1].error_code == 400 and last_error(server) == rules.CHAT_NOT_FOUND
    server.add_user(2002, "Youssef", started=False)
    with pytest.raises(Forbidden, match="Forbidden: bot can't initiate conversation with a user"):
        await bot.send_message(2002, "x")
    assert (server.calls[-1].error_code, last_error(server)) == (403, rules.NOT_STARTED)
    server.user_message(2002, text="/start")  # writing to the bot counts as starting it
    await bot.send_message(2002, "Bienvenue")

    update = server.block(USER)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert server.pending_updates[-1] == update
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(USER, "x")
    assert last_error(server) == "Forbidden: bot was blocked by the user"
    assert server.unblock(USER)["my_chat_member"]["new_chat_member"]["status"] == "member"
    await bot.send_message(USER, "x")
    server.deactivate(USER)
    with pytest.raises(Forbidden, match="Forbidden: user is deactivated"):
        await bot.send_chat_action(USER, "typing")
    assert last_error(server) == "Forbidden: user is deactivated"


async def test_calls_are_recorded_decoded(server: FakeTelegram, bot) -> None:
    server.reset_calls()
    await bot.send_message(
        USER, "hi", reply_markup=keyboard([InlineKeyboardButton("a", callback_data="v1:a")])
    )
    call = server.calls_for("sendMessage")[0]
    assert call.chat_id == USER and call.ok and call.outcome == "ok"
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "a", "callback_data": "v1:a"}]]}
    assert call.result["message_id"] == server.last_message(USER).message_id
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "")
    assert server.calls[-1].outcome == "error 400: Bad Request: message text is empty"
