"""Keyboards serialise themselves once (handlers.ui.Keyboard): what Telegram receives must be
exactly what PTB would have sent, every time the same keyboard goes out."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.ui import button, keyboard
from tests.conftest import make_session, onboard


def test_a_keyboard_sends_what_ptb_would_and_its_copy_is_its_own():
    rows = [[button("✅ M'inscrire", "reg", "join", 41)],
            [button("◀", "cat", "t", 3, "..", 0), button("1/2", "noop"), button("▶", "cat", "t", 3, "..", 1)]]
    shared = keyboard(rows)
    # What PTB itself makes of the same buttons (as a bare bot builds them).
    expected = InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data)
                                      for b in row] for row in rows]).to_dict()
    first = shared.to_dict()
    assert first == expected
    first["inline_keyboard"] = []  # whatever a caller does to its copy...
    first["extra"] = 1
    assert shared.to_dict() == expected  # ...the next send is unchanged
    assert shared == InlineKeyboardMarkup.de_json(expected, None)  # equal to a parsed one
    assert keyboard(rows) is shared


async def test_a_card_shown_twice_sends_the_same_buttons_each_time(app, person, server, fr, ar):
    sid = await make_session(app, "T-KBD", capacity=5)
    for uid, lang, t in ((4301, "fr", fr), (4302, "ar", ar)):
        await onboard(app, uid, lang)
        c = person(uid, lang)
        for _ in range(2):
            await c.start(f"s_{sid}")
            sent = server.calls[-1]
            assert sent.method == "sendMessage"
            assert sent.params["reply_markup"] == InlineKeyboardMarkup.de_json(
                sent.params["reply_markup"], None).to_dict()
            assert [b for row in c.last_message.buttons for b in row][0] == t._("✅ Register")
        markups = [call.params["reply_markup"] for call in server.calls
                   if call.method == "sendMessage" and call.chat_id == uid][-2:]
        assert markups[0] == markups[1]
