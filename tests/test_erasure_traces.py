"""An erased name leaves no readable copy in the database files: not in the main file (freed
cells and pages are zeroed: secure_delete), not in the write-ahead log (checkpointed and
truncated after the erasure), not in the shared-memory index. Read as `strings` would: the raw
bytes of every file, after a real onboarding (whose drafts copy the name step by step), a
profile change and a registration (which rewrite the row), then /deleteme or retention."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage import db as db_module
from handlers.privacy import privacy_service
from tests.conftest import db_row, make_session
from tests.test_onboarding import walk_to_summary

NAMES = {"fr": ("Zénobie Quarkwhistle", "Zénobie Quarkwhistle-Bennani"),
         "ar": ("ثريا الزبيدي القرقوري", "ثريا الزبيدي الفاسي")}


def traces(db_path: Path, *texts: str) -> dict[str, list[str]]:
    """Which of the database's files still hold which text (UTF-8 bytes)."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            data = path.read_bytes()
            hits = [text for text in texts if text.encode("utf-8") in data]
            if hits:
                found[path.name] = hits
    return found


async def a_life_in_the_bot(app, c, t, user_id: int) -> tuple[str, str]:
    """Onboard through the bot, change the name in /profile, register for a session."""
    first, second = NAMES[t.lang]
    if t.lang == "ar":
        await walk_to_summary(c, t, name=first, admin_query="الماليه", admin_label="وزارة الاقتصاد والمالية")
    else:
        await walk_to_summary(c, t, name=first)
    await c.click(t._("✅ Confirm"))
    await c.send("/profile")
    await c.click(t._("✏️ Name"))
    await c.send(second)
    assert (await db_row(app, "SELECT full_name FROM users WHERE id = ?", user_id))[0] == second
    session = await make_session(app, f"T-TRACE-{user_id}", capacity=3)
    assert (await app.bot_data.registrations.join(user_id, session)).outcome == "confirmed"
    return first, second


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_deleteme_leaves_no_readable_copy_of_the_name(app, person, lang, fr, ar):
    t = fr if lang == "fr" else ar
    uid = 7400 + (lang == "ar")
    c = person(uid, lang)
    names = await a_life_in_the_bot(app, c, t, uid)
    db_path = app.bot_data.settings.db_path
    assert traces(db_path, *names)  # the test can see a name where there is one

    await c.send("/deleteme")
    await c.click(t._("Continue"))
    await c.click(t._("🗑 Yes, erase my data"))
    assert c.last_message.text == t._("Your data has been erased. Thank you for taking part in "
                                      "e-TAMKEEN. If you want to come back one day, send /start.")
    assert await db_row(app, "SELECT 1 FROM users WHERE id = ?", uid) is None
    assert traces(db_path, *names) == {}
    # The bot goes on working on the same files.
    await c.start()
    assert await db_row(app, "SELECT COUNT(*) FROM users WHERE id > 0") is not None


async def test_retention_erasure_leaves_no_readable_copy_either(app, person, clock, fr):
    c = person(7410, "fr")
    names = await a_life_in_the_bot(app, c, fr, 7410)
    await app.bot_data.db.write(lambda conn: conn.execute(
        "UPDATE registrations SET status = 'cancelled' WHERE user_id = 7410"))
    clock.advance(days=4 * 365)
    service = privacy_service(app.bot_data)
    assert 7410 in await service.due_for_retention()
    assert await service.purge_inactive() >= 1
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 7410") is None
    assert traces(app.bot_data.settings.db_path, *names) == {}


async def test_a_busy_reader_only_delays_the_truncation(app, person, fr, monkeypatch):
    """A long read (an export on the reader thread) holds an old snapshot, so the log cannot be
    emptied at once: the erasure still succeeds, and the next periodic checkpoint does it."""
    c = person(7420, "fr")
    names = await a_life_in_the_bot(app, c, fr, 7420)
    db = app.bot_data.db
    reader = db._quick
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM users").fetchone()  # holds its snapshot
    try:
        assert await privacy_service(app.bot_data).erase(7420) is not None
        assert await db_row(app, "SELECT 1 FROM users WHERE id = 7420") is None
        assert db.scrub_pending
    finally:
        reader.execute("COMMIT")
    monkeypatch.setattr(db_module, "CHECKPOINT_EVERY", 1)
    await c.send("/help")
    await app.bot_data.activity.flush()  # a commit: the periodic checkpoint comes due
    await db._checkpoint
    assert not db.scrub_pending
    assert traces(app.bot_data.settings.db_path, *names) == {}


def test_every_connection_zeroes_what_it_deletes(tmp_path):
    """Whatever the SQLite build's default (Debian's is on, python.org's is off)."""
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("PRAGMA secure_delete=OFF")
    db_module._configure(conn)
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    conn.close()

