"""The dependencies' private attributes the bot still uses, one module each, checked here so
that an upgrade that changes them fails these tests rather than the bot in production.

- aiosqlite: `Connection._execute` and `._conn` (bot/storage/db.py `_ship`): whole
  transactions shipped to aiosqlite's thread, which has no public way to run a callable.
- gettext (via Babel's Translations): `_catalog` (bot/i18n.py `catalog_messages`).
- PTB: `Application._mark_for_persistence_update`, overridden (bot/app.py `BotApplication`)."""

from __future__ import annotations

import inspect
import sqlite3

import aiosqlite
from telegram.ext import Application

from bot.app import BotApplication
from bot.i18n import catalog_messages, translator
from bot.storage.db import Database


async def test_aiosqlite_still_runs_a_callable_on_its_thread(tmp_path):
    params = list(inspect.signature(aiosqlite.Connection._execute).parameters)
    assert params == ["self", "fn", "args", "kwargs"]
    db = await Database.open(tmp_path / "x.db")
    try:
        # `_ship` hands the callable aiosqlite's own sqlite3 connection, on aiosqlite's thread.
        assert isinstance(db._writer._conn, sqlite3.Connection)
        assert await db.read(lambda conn: conn.execute("SELECT 41 + 1").fetchone()[0]) == 42
    finally:
        await db.close()


def test_gettext_keeps_the_catalog_in_a_dict_keyed_as_the_translator_reads_it():
    for lang in ("fr", "ar"):
        messages = catalog_messages(lang)
        assert isinstance(messages, dict)
        t = translator(lang)
        assert messages["This button is no longer valid."] == t._("This button is no longer valid.")
        # plural forms: (msgid, index)
        assert any(isinstance(k, tuple) and len(k) == 2 and isinstance(k[1], int) for k in messages)


def test_ptb_still_calls_the_persistence_mark_we_override():
    signature = inspect.signature(Application._mark_for_persistence_update)
    assert [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY] == ["update", "job"]
    assert "_mark_for_persistence_update" in inspect.getsource(Application.process_update)
    assert BotApplication._mark_for_persistence_update is not Application._mark_for_persistence_update
