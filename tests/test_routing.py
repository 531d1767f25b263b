"""The main group's index picks exactly the handler PTB's one-by-one scan would pick."""

from __future__ import annotations

import itertools

from telegram import Update

from bot.routing import IndexedGroup, key_of
from tests.conftest import onboard

USER = {"id": 1001, "is_bot": False, "first_name": "Amina"}
CHAT = {"id": 1001, "type": "private"}
_ids = itertools.count(1)


def message(text: str | None = None, *, edited: bool = False, command: int | None = None,
            **extra) -> dict:
    body = {"message_id": next(_ids), "date": 1, "chat": CHAT, "from": USER, **extra}
    if text is not None:
        body["text"] = text
    if command is not None:
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": command}]
    return {"update_id": next(_ids), "edited_message" if edited else "message": body}


def press(data: str | None) -> dict:
    bot_message = {"message_id": next(_ids), "date": 1, "chat": CHAT, "text": "card",
                   "from": {"id": 1, "is_bot": True, "first_name": "bot"}}
    query = {"id": str(next(_ids)), "from": USER, "chat_instance": "1", "message": bot_message}
    if data is not None:
        query["data"] = data
    return {"update_id": next(_ids), "callback_query": query}


def scan(handlers, update):
    """What PTB does without the index: the first handler that accepts."""
    for handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler
    return None


async def test_the_index_agrees_with_the_scan_on_every_kind_of_update(app):
    (group,) = app.handlers[0]
    assert isinstance(group, IndexedGroup) and len(group.handlers) > 40
    username = app.bot.username
    raw = [
        *(message(f"/{c}", command=len(c) + 1) for c in
          ("start", "START", "menu", "mytrainings", "catalogue", "approvals", "export", "roles",
           "deleteme", "evaluations", "cancel", "nosuchcommand")),
        message("/start s_12", command=6),
        message(f"/mytrainings@{username}", command=len(username) + 13),
        message("/mytrainings@someotherbot", command=25),
        message("/start-x", command=6),
        message("hello"), message("/start but not marked as a command"),
        message("/menu", command=5, edited=True),
        message(None, document={"file_id": "f", "file_unique_id": "u", "file_name": "c.xlsx"}),
        message(None, photo=[{"file_id": "p", "file_unique_id": "q", "width": 1, "height": 1}]),
        *(press(d) for d in
          ("v1:cat:s:12:..", "v1:reg:join:5", "v1:my", "v1:my:extra", "v1:noop", "v1:noop:1",
           "v1:pf:show", "v1:pf:edit:name", "v1:pf:other", "v1:menu:home", "v1:apr:ok:3",
           "v1:aprs:1", "v1:imp:go", "v1:q:2", "v1:zz:1", "v1", "v2:cat:s:1", "garbage", "")),
        press(None),
    ]
    for data in raw:
        update = Update.de_json(data, app.bot)
        found = group.check_update(update)
        expected = scan(group.handlers, update)
        assert (found[0] if found else None) is expected, (data, key_of(update), expected)
        assert expected is not None  # the fallbacks take whatever nobody else wanted


async def test_a_command_and_buttons_go_through_the_index(app, person, fr, ar):
    await onboard(app, 4101, "fr")
    c = person(4101, "fr")
    await c.send("/mytrainings")
    assert c.last_message.text == fr._("You have no registration yet. Browse the catalogue to "
                                       "find a training.")
    await c.click_data("v1:zz:1", c.last_message)  # a forged feature: the stale-button answer
    assert c.last_answer["text"] == fr._("This button is no longer valid.")
    await onboard(app, 4102, "ar")
    k = person(4102, "ar")
    await k.send("/catalogue")
    await k.click_data("v1:reg:zz:1", k.last_message)  # a known feature, a forged action
    assert k.last_answer["text"] == ar._("This button is no longer valid.")

