"""The outbox under Telegram's faults: 429, 403, 5xx, timeouts, bad requests, restarts."""

from __future__ import annotations

import pytest

from bot.dispatcher import MAX_ATTEMPTS, Notice
from tests.conftest import db_row, drain, make_session, onboard

pytestmark = pytest.mark.telegram_errors_expected


async def confirmed(app, user_id: int, reference: str = "T-OUT") -> int:
    sid = await make_session(app, reference, capacity=50)
    await onboard(app, user_id)
    result = await app.bot_data.registrations.join(user_id, sid)
    assert result.outcome == "confirmed"
    return result.registration.id


async def outbox_state(app, user_id: int):
    return tuple(await db_row(app, "SELECT state, attempts FROM outbox WHERE user_id = ?", user_id))


def sent_documents(server, user_id):
    return [m for m in server.messages(user_id) if m.from_bot and m.document]


async def test_retry_after_is_respected_and_nothing_is_lost(app, server, clock):
    await confirmed(app, 6001)
    server.add_user(6001, started=True)
    server.fail_next("429", method="sendDocument", retry_after=7)
    start = clock.now()
    stats = await drain(app)
    assert stats.rate_limited == 1 and stats.sent == 0
    assert await outbox_state(app, 6001) == ("pending", 0)  # a 429 is not an attempt
    clock.advance(seconds=7)
    stats = await drain(app)
    assert stats.sent == 1 and len(sent_documents(server, 6001)) == 1
    assert (clock.now() - start).total_seconds() >= 7


async def test_blocked_person_is_marked_unreachable_until_they_come_back(app, server, person):
    await confirmed(app, 6002)
    server.add_user(6002, started=True)
    server.fail_next("403_blocked", chat_id=6002)
    stats = await drain(app)
    assert stats.unreachable == 1
    assert (await db_row(app, "SELECT unreachable_at FROM users WHERE id = 6002"))[0] is not None
    assert (await drain(app)).sent == 0  # no retry storm: their messages wait
    c = person(6002, "fr")
    await c.send("/mytrainings")  # they write again
    assert (await db_row(app, "SELECT unreachable_at FROM users WHERE id = 6002"))[0] is None
    await drain(app)
    assert len(sent_documents(server, 6002)) == 1


async def test_my_chat_member_kicked_and_back(app, server, person):
    await onboard(app, 6003)
    c = person(6003, "fr")
    await c.start()
    await c.feed(server.block(6003))
    assert (await db_row(app, "SELECT unreachable_at FROM users WHERE id = 6003"))[0] is not None
    await c.feed(server.unblock(6003))
    assert (await db_row(app, "SELECT unreachable_at FROM users WHERE id = 6003"))[0] is None


@pytest.mark.parametrize("fault", ["500", "502", "timeout", "network"])
async def test_server_errors_and_timeouts_are_retried_with_backoff(app, server, clock, fault):
    await confirmed(app, 6004)
    server.add_user(6004, started=True)
    server.fail_next(fault, method="sendDocument")
    stats = await drain(app)
    assert stats.retried == 1 and stats.sent == 0
    assert (await drain(app)).sent == 0  # not before the backoff
    clock.advance(seconds=10)
    assert (await drain(app)).sent == 1
    assert len(sent_documents(server, 6004)) == 1


async def test_timeout_after_delivery_may_duplicate_once_by_policy(app, server, clock):
    """At-least-once: a TimedOut after Telegram delivered is retried, so the person may get the
    same message twice — never zero times (documented in the README)."""
    await confirmed(app, 6005)
    server.add_user(6005, started=True)
    server.fail_next("timeout_after_delivery", method="sendDocument")
    await drain(app)
    clock.advance(seconds=10)
    await drain(app)
    assert len(sent_documents(server, 6005)) == 2
    assert await outbox_state(app, 6005) == ("sent", 2)


async def test_giving_up_after_repeated_network_errors(app, server, clock):
    await confirmed(app, 6006)
    server.add_user(6006, started=True)
    server.fail_next("500", method="sendDocument", times=MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        await drain(app)
        clock.advance(seconds=400)
    assert await outbox_state(app, 6006) == ("failed", MAX_ATTEMPTS)
    assert app.bot_data.dispatcher.last_errors


async def test_chat_not_found_marks_unreachable(app, server):
    await confirmed(app, 6007)
    server.add_user(6007, started=True)
    server.fail_next("400_chat_not_found", chat_id=6007)
    assert (await drain(app)).unreachable == 1


async def test_a_bad_request_is_recorded_and_not_looped(app, server, monkeypatch):
    await confirmed(app, 6008)
    server.add_user(6008, started=True)

    async def broken(row, t):
        return Notice("<br>unsupported tag")

    monkeypatch.setattr(app.bot_data.dispatcher, "render", broken)
    stats = await drain(app)
    assert stats.failed == 1
    assert await outbox_state(app, 6008) == ("failed", 1)
    assert "can't parse entities" in app.bot_data.dispatcher.last_errors[-1].lower()
    assert (await drain(app)).failed == 0


async def test_a_renderer_crash_fails_one_message_not_the_others(app, server, monkeypatch):
    await confirmed(app, 6009, "T-OUT-A")
    await confirmed(app, 6010, "T-OUT-B")
    for uid in (6009, 6010):
        server.add_user(uid, started=True)
    real = app.bot_data.dispatcher.render

    async def flaky(row, t):
        if row.user_id == 6009:
            raise KeyError("bug")
        return await real(row, t)

    monkeypatch.setattr(app.bot_data.dispatcher, "render", flaky)
    stats = await drain(app)
    assert stats.failed == 1 and stats.sent == 1


async def test_stale_news_is_skipped(app, server):
    reg_id = await confirmed(app, 6011)
    server.add_user(6011, started=True)
    await app.bot_data.registrations.cancel(6011, reg_id)  # cancelled before the send
    stats = await drain(app)
    # The confirmation is stale and skipped; the cancellation (with its CANCEL file) goes out.
    assert stats.skipped == 1 and stats.sent == 1
    assert b"METHOD:CANCEL" in sent_documents(server, 6011)[0].document.data


async def test_unstarted_chat_is_unreachable_not_an_error_loop(app, server):
    await confirmed(app, 6012)  # onboarded in the database, but never opened the chat here
    stats = await drain(app)
    assert stats.unreachable == 1


async def test_restart_resends_in_flight_messages_once(app, server):
    from bot.storage import outbox

    await confirmed(app, 6013)
    server.add_user(6013, started=True)
    await app.bot_data.db.write(outbox.claim, app.bot_data.clock.now(), 10)  # in flight at a kill
    assert (await drain(app)).sent == 0  # still marked in flight
    assert await app.bot_data.dispatcher.recover() == 1
    assert (await drain(app)).sent == 1
    assert (await drain(app)).sent == 0


async def test_a_failed_batch_preparation_still_sends_the_batch(app, server, monkeypatch, caplog):
    """The rows are claimed before the caches look for other writers: if that look fails, the
    messages go out anyway (with caches at most 50 ms stale) instead of waiting for a restart."""
    await confirmed(app, 6030, "T-OUT-PREP")
    server.add_user(6030, started=True)

    async def broken() -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.bot_data.dispatcher, "prepare", broken)
    stats = await drain(app)
    assert stats.sent == 1 and stats.failed == 0
    assert sent_documents(server, 6030)
    assert "preparing a batch" in caplog.text
