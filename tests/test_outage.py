"""Telegram unreachable for minutes: the outbox pauses as a whole, spends no message's attempts,
probes with backoff, tells the admins once of a long outage, shows it in /status — and every
message still meaningful goes out once the network is back."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from bot.services.broadcasts import Audience
from bot.timeutil import to_db
from handlers.status import duration
from tests.conftest import ADMIN_ID, db_row, drain, onboard
from tests.test_outbox import confirmed, sent_documents

pytestmark = pytest.mark.telegram_errors_expected

PEOPLE = 150
FIRST = 7_000_000


async def broadcast_to_many(app, server) -> tuple[int, set[int]]:
    """150 officials of one administration, all reachable; a broadcast queued for them."""
    now = to_db(app.bot_data.clock.now())
    await app.bot_data.db.write(lambda c: c.executemany(
        "INSERT INTO users (id, language, full_name, sex, administration_code, level, position_code,"
        " consent_at, onboarded_at, created_at, updated_at)"
        " VALUES (?, ?, 'X', 'F', 'DGCT', 'central', 'cadre', ?, ?, ?, ?)",
        [(FIRST + i, "ar" if i % 2 else "fr", now, now, now, now) for i in range(PEOPLE)]))
    bid, count = await app.bot_data.broadcasts.send(1, "coordinator", Audience("administration", "DGCT"),
                                                    "Bonjour à toutes et à tous")
    recipients = set(await app.bot_data.db.read(lambda c: [r[0] for r in c.execute(
        "SELECT user_id FROM outbox WHERE broadcast_id = ?", (bid,))]))
    assert count == len(recipients) >= PEOPLE
    for uid in recipients:
        server.add_user(uid, started=True)
    return bid, recipients


async def wait_out(app, clock, seconds: int) -> None:
    """Time passes during the outage, the dispatcher looking every second (as its loop does)."""
    for _ in range(seconds):
        clock.advance(seconds=1)
        await drain(app)


def announcements(server, recipients) -> Counter:
    return Counter(c.chat_id for c in server.calls_for("sendMessage")
                   if c.ok and c.chat_id in recipients)


def outage_after(server, sends: int, kind: str) -> None:
    """Telegram becomes unreachable in the middle of the broadcast, after `sends` messages."""
    real = server.call
    count = 0

    async def call(token, method, params, files=None):
        nonlocal count
        status, body = await real(token, method, params, files)
        if method == "sendMessage" and status == 200:
            count += 1
            if count == sends:
                server.start_outage(kind)
        return status, body

    server.call = call


@pytest.mark.parametrize("kind", ["network", "502", "timeout"])
async def test_a_broadcast_survives_a_three_minute_outage(app, server, clock, caplog, kind):
    bid, recipients = await broadcast_to_many(app, server)
    outage_after(server, 40, kind)
    caplog.set_level(logging.INFO, logger="etamkeen.outbox")
    stats = await drain(app)
    assert stats.sent == 40 and stats.held == len(recipients) - 40 and stats.failed == 0
    await wait_out(app, clock, 180)
    assert len(announcements(server, recipients)) == 40  # nothing went out meanwhile
    link = app.bot_data.dispatcher.link
    # Probes back off (1, 2, 4 ... 60 s): a handful in three minutes, not one a second.
    assert link.down and 5 <= link.current.probes <= 10

    server.end_outage()
    await wait_out(app, clock, 60)
    received = announcements(server, recipients)
    assert set(received) == recipients and set(received.values()) == {1}  # everyone, once
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT state, attempts, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY 1, 2",
        (bid,)).fetchall())
    assert [tuple(r) for r in rows] == [("sent", 1, len(recipients))]  # no attempt spent, none failed
    assert not link.down and link.last.seconds() >= 180
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "etamkeen.outbox"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    back = [r.getMessage() for r in caplog.records if "reachable again" in r.getMessage()]
    assert len(back) == 1 and "outage of 18" in back[0]  # its duration, in seconds
    assert not app.bot_data.dispatcher.last_errors


async def test_a_confirmation_and_its_calendar_file_go_out_after_the_outage(app, server, clock):
    await confirmed(app, 6101)
    server.add_user(6101, started=True)
    server.start_outage("timeout")
    assert (await drain(app)).held == 1
    await wait_out(app, clock, 180)
    assert not sent_documents(server, 6101)
    assert tuple(await db_row(app, "SELECT state, attempts FROM outbox WHERE user_id = 6101")) == \
        ("pending", 0)
    server.end_outage()
    await wait_out(app, clock, 60)
    (doc,) = sent_documents(server, 6101)
    assert doc.document.filename.endswith(".ics") and b"BEGIN:VCALENDAR" in doc.document.data
    assert tuple(await db_row(app, "SELECT state, attempts FROM outbox WHERE user_id = 6101")) == ("sent", 1)


def bot_texts(server, chat_id: int) -> list[str]:
    return [m.text or m.caption or "" for m in server.messages(chat_id) if m.from_bot]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_admins_hear_once_of_a_long_outage(app, server, clock, lang, fr, ar):
    t = {"fr": fr, "ar": ar}[lang]
    await onboard(app, ADMIN_ID, lang)
    await confirmed(app, 6102)
    server.add_user(6102, started=True)
    server.start_outage("network")
    await drain(app)
    await wait_out(app, clock, 6 * 60)
    assert not bot_texts(server, ADMIN_ID)  # nothing can reach them during the outage
    server.end_outage()
    await wait_out(app, clock, 60)
    await wait_out(app, clock, 5)  # and again: once is once
    last = app.bot_data.dispatcher.link.last
    expected = t._("⚠️ Telegram could not be reached from {start} to {end} ({duration}): the bot sent "
                   "nothing meanwhile and kept every message.", start=t.datetime(last.started_at),
                   end=t.datetime(last.ended_at), duration=duration(t, last.seconds()))
    alerts = [text for text in bot_texts(server, ADMIN_ID) if text.startswith(expected)]
    assert len(alerts) == 1, bot_texts(server, ADMIN_ID)
    assert t.ngettext("{n} message due was waiting when it came back; it is being sent now.",
                      "{n} messages due were waiting when it came back; they are being sent now.",
                      1) in alerts[0]
    assert duration(t, last.seconds()) == t.ngettext("{n} minute", "{n} minutes", 6)
    assert len(sent_documents(server, 6102)) == 1


async def test_a_short_blip_alerts_no_one(app, server, clock):
    await onboard(app, ADMIN_ID, "fr")
    await confirmed(app, 6103)
    server.add_user(6103, started=True)
    server.start_outage("502")
    await drain(app)
    await wait_out(app, clock, 20)
    server.end_outage()
    await wait_out(app, clock, 60)
    assert len(sent_documents(server, 6103)) == 1
    assert app.bot_data.dispatcher.link.last is not None  # it was an outage, a short one
    assert not bot_texts(server, ADMIN_ID)
    assert (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'outage'"))[0] == 0


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_status_shows_the_outage_and_then_the_last_one(app, server, clock, person, lang, fr, ar):
    t = {"fr": fr, "ar": ar}[lang]
    await onboard(app, ADMIN_ID, lang)
    for uid, ref in ((6104, "T-OUT-1"), (6105, "T-OUT-2"), (6106, "T-OUT-3")):
        await confirmed(app, uid, ref)
        server.add_user(uid, started=True)
    server.start_outage("network")
    await drain(app)
    await wait_out(app, clock, 120)
    server.end_outage()  # the network is back; the dispatcher's next probe is not due yet
    admin = person(ADMIN_ID, lang)
    text = (await admin.send("/status"))[-1].text
    link = app.bot_data.dispatcher.link
    started = link.current.started_at
    assert t._("⚠️ Telegram cannot be reached since {when} ({duration}): sending is paused.",
               when=t.datetime(started), duration=duration(t, 120)) in text
    assert t.ngettext("{n} probe made so far", "{n} probes made so far", link.current.probes) in text
    assert t.ngettext("{n} message due is waiting for Telegram", "{n} messages due are waiting for Telegram",
                      3) in text

    await wait_out(app, clock, 60)
    assert not link.down
    text = (await admin.send("/status"))[-1].text
    assert t._("Last Telegram outage: from {when}, for {duration}.", when=t.datetime(started),
               duration=duration(t, link.last.seconds())) in text
    assert t._("⚠️ Telegram cannot be reached since {when} ({duration}): sending is paused.",
               when=t.datetime(started), duration=duration(t, 120)) not in text


async def test_a_bad_request_still_fails_its_own_message_only(app, server, monkeypatch):
    for uid, ref in ((6107, "T-OUT-4"), (6108, "T-OUT-5"), (6109, "T-OUT-6")):
        await confirmed(app, uid, ref)
        server.add_user(uid, started=True)
    real = app.bot_data.dispatcher.render

    async def one_broken(row, t):
        notice = await real(row, t)
        return notice if row.user_id != 6108 else type(notice)("<br>unsupported tag")

    monkeypatch.setattr(app.bot_data.dispatcher, "render", one_broken)
    server.reset_calls()
    stats = await drain(app)
    assert stats.failed == 1 and stats.sent == 2 and stats.held == 0
    assert tuple(await db_row(app, "SELECT state, attempts FROM outbox WHERE user_id = 6108")) == \
        ("failed", 1)
    link = app.bot_data.dispatcher.link
    assert link.current is None and link.last is None
    assert not server.calls_for("getMe")  # a BadRequest is Telegram answering: nothing to probe


async def test_one_message_timing_out_while_telegram_answers_spends_an_attempt(app, server, clock):
    for uid, ref in ((6110, "T-OUT-7"), (6111, "T-OUT-8")):
        await confirmed(app, uid, ref)
        server.add_user(uid, started=True)
    server.fail_next("timeout", method="sendDocument", chat_id=6110)
    stats = await drain(app)
    assert stats.sent == 1 and stats.retried == 1 and stats.held == 0
    assert tuple(await db_row(app, "SELECT state, attempts FROM outbox WHERE user_id = 6110")) == \
        ("pending", 1)
    assert app.bot_data.dispatcher.link.current is None  # the probe was answered: no outage


async def test_every_send_failing_while_getme_answers_is_an_outage_too(app, server, clock):
    """A partial outage (getMe fine, every sendMessage a 502): after a few failures in a row the
    dispatcher pauses instead of burning every message's attempts."""
    bid, recipients = await broadcast_to_many(app, server)
    server.fail_next("502", method="sendMessage", times=10_000)
    await drain(app)
    await wait_out(app, clock, 600)
    rows = dict(await app.bot_data.db.read(lambda c: c.execute(
        "SELECT attempts, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY 1", (bid,)).fetchall()))
    assert (await db_row(app, "SELECT COUNT(*) FROM outbox WHERE state = 'failed'"))[0] == 0
    assert sum(n for attempts, n in rows.items() if attempts > 0) <= 2  # the two that probed
    assert app.bot_data.dispatcher.link.down
    server.clear_faults()
    await wait_out(app, clock, 60)
    received = announcements(server, recipients)
    assert set(received) == recipients and set(received.values()) == {1}


def test_the_sandbox_outage_switch_refuses_unknown_kinds(server):
    with pytest.raises(ValueError, match="outage kind"):
        server.start_outage("403_blocked")


async def test_while_paused_nothing_is_called_until_the_next_probe(app, server, clock):
    """Paused means paused: no send is tried, and probes wait for their backoff."""
    server.start_outage("network")
    await confirmed(app, 6112)
    server.add_user(6112, started=True)
    await drain(app)
    calls = len(server.calls)
    clock.advance(seconds=0.5)
    await drain(app)  # paused, and the next probe is not due: not a single call
    assert len(server.calls) == calls
