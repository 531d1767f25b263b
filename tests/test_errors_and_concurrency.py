"""The error handler, and the order of one person's updates under concurrent processing."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import ADMIN_ID, db_row, onboard
from tests.test_onboarding import is_arabic_first


async def test_a_bug_gets_an_apology_and_one_admin_alert_per_cause(app, person, server, monkeypatch, caplog):
    await onboard(app, 3001, "fr")
    await onboard(app, 3002, "ar")

    async def broken(*args, **kwargs):
        raise RuntimeError("search index on fire")

    monkeypatch.setattr(app.bot_data.catalogue, "search", broken)
    amina, youssef = person(3001, "fr"), person(3002, "ar")
    shown = await amina.send("cyber")
    assert "Désolé, un problème est survenu" in shown[-1].text.replace("\xa0", " ")
    assert "Traceback" not in shown[-1].text and "fire" not in shown[-1].text
    shown = await youssef.send("أمن")
    assert is_arabic_first(shown[-1].text)
    for _ in range(10):
        await amina.send("cyber")
    # Twelve times the same cause within the hour: one alert, naming where it came from.
    alerts = [m for m in server.messages(ADMIN_ID) if "RuntimeError" in (m.text or "")]
    assert len(alerts) == 1 and "RuntimeError at handlers/search.py:" in alerts[0].text
    assert "search index on fire" in caplog.text and "user=3001" in caplog.text


@pytest.mark.telegram_errors_expected
async def test_the_apology_failing_too_does_not_loop(app, person, server, monkeypatch):
    await onboard(app, 3003, "fr")

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.bot_data.catalogue, "search", broken)
    c = person(3003, "fr")
    server.fail_next("403_blocked", chat_id=3003, times=5)
    await c.send("cyber")  # the apology is refused: logged, nothing else happens
    assert not [m for m in c.messages if "Désolé" in m.text]


async def test_one_persons_updates_run_in_order_while_others_run_concurrently(app, person):
    """A person double-taps and types fast: their updates never overtake each other."""
    await onboard(app, 3004, "fr")
    c = person(3004, "fr")
    await c.send("/profile")
    gate_open = asyncio.Event()
    order: list[str] = []
    people = app.bot_data.people
    original = people.update_profile

    async def slow_update(user_id, fields):
        order.append(f"start {fields.get('position_code')}")
        await gate_open.wait()
        await original(user_id, fields)
        order.append(f"end {fields.get('position_code')}")

    people.update_profile = slow_update
    await c.click("✏️ Fonction")
    positions = c.last_message
    first = asyncio.create_task(c.click("Cadre", positions))
    await asyncio.sleep(0)
    second = asyncio.create_task(c.click("Responsable (directeur, chef de division / service)",
                                         positions))
    other = person(3005, "ar")
    await other.start()  # someone else is served while 3004 waits
    assert is_arabic_first(other.last_message.text)
    assert order == ["start cadre"]
    gate_open.set()
    await asyncio.gather(first, second)
    assert order[:2] == ["start cadre", "end cadre"]
    assert (await db_row(app, "SELECT position_code FROM users WHERE id = 3004"))[0] == "cadre"


async def test_redelivered_update_does_not_double_anything(app, person):
    await onboard(app, 3006, "fr")
    c = person(3006, "fr")
    await c.send("/profile")
    await c.click("✏️ Fonction")
    await c.click("Technicien / agent")
    before = len(c.messages)
    await c.redeliver()  # Telegram sends the same callback again after a restart
    assert (await db_row(app, "SELECT position_code FROM users WHERE id = 3006"))[0] == "technicien"
    assert len(c.messages) - before <= 1


async def test_nothing_is_kept_per_person_for_a_persistence_the_bot_does_not_use(app, person):
    """PTB notes every chat and user it sees for its persistence, and only a persistence run
    empties those sets: without one they would grow by every official who ever wrote (600,000
    ids, twice, never freed). Ours keeps no such list, and the people are still answered."""
    assert app.persistence is None
    for user_id in range(5001, 5011):
        client = person(user_id, "ar" if user_id % 2 else "fr")
        assert (await client.send("/start"))[-1].text  # answered (the consent screen)
    assert not app._user_ids_to_be_updated_in_persistence
    assert not app._chat_ids_to_be_updated_in_persistence
