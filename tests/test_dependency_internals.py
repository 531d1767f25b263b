"""The dependencies' private attributes the bot still uses, one module each, checked here so
that an upgrade that changes them fails these tests rather than the bot in production.

- aiosqlite: `Connection._execute` and `._conn` (bot/storage/db.py `_ship`): whole
  transactions shipped to aiosqlite's thread, which has no public way to run a callable.
- PTB: `Application._mark_for_persistence_update`, overridden (bot/app.py `BotApplication`).

gettext's `_catalog` (read by bot/i18n.py to spare two calls a message) went: measured, it
saved about 0.3 µs a message (1.6 µs for a woman), under 0.5 % of an update's cost, below the
3 % that would justify a private attribute."""

from __future__ import annotations

import inspect
import re
import sqlite3

import aiosqlite
from telegram.ext import Application

from bot.app import BotApplication
from bot.i18n import translator
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


def test_messages_go_through_gettexts_public_calls_only():
    """No private attribute of gettext or Babel in bot/i18n.py; her forms still come first."""
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "bot" / "i18n.py").read_text()
    assert not re.search(r"\._catalog\b", source)
    ar, her = translator("ar"), translator("ar", "F")
    assert her._("Where do you work?") != ar._("Where do you work?")  # her form, from its msgctxt
    assert her.ngettext("{n} session", "{n} sessions", 3) == ar.ngettext("{n} session", "{n} sessions", 3)


def test_ptb_still_calls_the_persistence_mark_we_override():
    signature = inspect.signature(Application._mark_for_persistence_update)
    assert [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY] == ["update", "job"]
    assert "_mark_for_persistence_update" in inspect.getsource(Application.process_update)
    assert BotApplication._mark_for_persistence_update is not Application._mark_for_persistence_update
