"""Admin alerts grouped by cause, so one noisy fault cannot hide another; and Telegram's refusals
(BadRequest, a NetworkError in PTB) treated as the bugs they are, not as network weather."""

from __future__ import annotations

import logging

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from handlers import errors
from tests.conftest import ADMIN_ID, onboard
from tests.test_onboarding import is_arabic_first

APOLOGY_FR = "Désolé, un problème est survenu"


def test_the_budget_alerts_once_per_cause_and_reports_the_repeats_later():
    now = [0.0]
    budget = errors.AlertBudget(per_hour=3, clock=lambda: now[0])
    assert budget.take("A") == 0
    assert [budget.take("A") for _ in range(5)] == [None] * 5
    assert budget.take("B") == 0  # a new cause after a noisy one still alerts
    assert budget.unreported() == {"A": 5}  # reported with B's alert
    assert budget.take("C") == 0
    assert budget.take("D") is None  # three alerts this hour: D waits, counted
    now[0] = 3601
    assert budget.take("A") == 0  # an hour later: A alerts again (its repeats went out with B)
    assert budget.take("D") == 1  # D's first occurrence, held back, now reported with its alert
    assert budget.take("A") is None


def _raise_here(error: Exception) -> BaseException:
    try:
        raise error
    except Exception as exc:
        return exc


def test_a_cause_is_the_type_and_the_deepest_line_of_our_code():
    from handlers.ui import cb

    first, again = _raise_here(ValueError("x")), _raise_here(ValueError("y"))
    assert errors.cause_of(first) == errors.cause_of(again)
    assert errors.cause_of(first).startswith("ValueError at tests/test_error_alerts.py:")
    assert errors.cause_of(_raise_here(KeyError("x"))) != errors.cause_of(first)
    with pytest.raises(ValueError) as raised:
        cb("x" * 80)  # raised in our code, called from here: our line names the cause
    assert errors.cause_of(raised.value).startswith("ValueError at handlers/ui.py:")


def _alerts(server) -> list[str]:
    return [m.text for m in server.messages(ADMIN_ID) if m.from_bot and "⚠️" in (m.text or "")]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_one_noisy_cause_does_not_hide_another(app, person, server, monkeypatch, lang, fr, ar):
    t = ar if lang == "ar" else fr
    await onboard(app, ADMIN_ID, lang)  # the admin reads alerts in their language
    await onboard(app, 3101, "fr")
    amina = person(3101, "fr")

    async def search_on_fire(*args, **kwargs):
        raise RuntimeError("search index on fire")

    monkeypatch.setattr(app.bot_data.catalogue, "search", search_on_fire)
    for _ in range(8):  # more taps than the hourly budget of alerts
        await amina.send("cyber")
    assert len(_alerts(server)) == 1
    assert "RuntimeError at handlers/search.py:" in _alerts(server)[0]  # the deepest line of ours

    async def search_missing(*args, **kwargs):
        return {}["page"]

    monkeypatch.setattr(app.bot_data.catalogue, "search", search_missing)
    await amina.send("cyber")
    alerts = _alerts(server)
    assert len(alerts) == 2 and "KeyError at handlers/search.py:" in alerts[1]
    assert t._("Other causes repeated since last reported:") in alerts[1]
    assert "RuntimeError at handlers/search.py:" in alerts[1] and f"×{t.number(7)}" in alerts[1]
    if lang == "ar":
        assert is_arabic_first(alerts[1])


@pytest.mark.parametrize("description", [
    'Can\'t parse entities: unsupported start tag "br" at byte offset 12', "Message is too long"])
async def test_a_handler_raised_bad_request_is_a_bug(app, person, server, monkeypatch, caplog, description):
    await onboard(app, 3102, "fr")
    await onboard(app, 3103, "ar")

    async def refused(*args, **kwargs):
        raise BadRequest(description)

    monkeypatch.setattr(app.bot_data.catalogue, "search", refused)
    shown = await person(3102, "fr").send("cyber")
    assert APOLOGY_FR in shown[-1].text.replace("\xa0", " ")
    shown = await person(3103, "ar").send("أمن")
    assert is_arabic_first(shown[-1].text)
    alerts = _alerts(server)
    assert len(alerts) == 1 and "BadRequest" in alerts[0] and description.split(":")[0] in alerts[0]
    assert any(r.levelno == logging.ERROR and r.name == "etamkeen.errors" for r in caplog.records)


@pytest.mark.telegram_errors_expected
async def test_a_bad_request_from_telegram_itself_is_a_bug(app, person, server, monkeypatch):
    await onboard(app, 3104, "fr")
    server.fail_next("400_chat_not_found", method="sendMessage", chat_id=3104)
    shown = await person(3104, "fr").send("/mytrainings")
    assert APOLOGY_FR in shown[-1].text.replace("\xa0", " ")
    assert len(_alerts(server)) == 1 and "BadRequest" in _alerts(server)[0]


@pytest.mark.parametrize("error", [BadRequest("Message is not modified: specified new message content "
                                              "and reply markup are exactly the same"),
                                   TimedOut(), NetworkError("Connection reset")])
async def test_harmless_and_transient_errors_stay_quiet(app, person, server, monkeypatch, error):
    await onboard(app, 3105, "fr")

    async def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(app.bot_data.catalogue, "search", fails)
    shown = await person(3105, "fr").send("cyber")
    assert not any(APOLOGY_FR in (m.text or "").replace("\xa0", " ") for m in shown)
    assert not _alerts(server)
