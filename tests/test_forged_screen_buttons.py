"""A button that unpacks but names what is not, or no longer, the presser's (an unknown kind or
period, a session that does not exist, another administration's view, someone else's
registration) gets the one "no longer valid" answer on every back-office screen: their callbacks
raise StaleButton, as every other, and the screens' own copies (`not_for_you`, `invalid`) are gone."""

from __future__ import annotations

import pytest

from bot.services.indicators import PERIODS
from handlers import announce_access, reports_ui
from handlers.attestation import Attestation
from handlers.broadcast import To
from handlers.charts import ChooseChart, DrawChart
from handlers.dashboard import EVERY, Gains, View
from handlers.exports import ChooseFormat, MakeExport
from handlers.part_attendance import PartMark, PartPerson, PartRoster
from handlers.roster import RosterPage, SessionsPage
from tests.conftest import db_row, grant, onboard

PERIOD = PERIODS[0]
# (role, administration, forged button) — each names something its presser may not reach.
FORGED = [
    ("coordinator", None, ChooseFormat("nothing")),
    ("coordinator", None, MakeExport("registrations", "pdf")),
    ("coordinator", None, ChooseChart("nothing")),
    ("coordinator", None, DrawChart("nothing", PERIOD)),
    ("coordinator", None, View("nope", EVERY, 0, "total")),
    ("focal_point", "MEF", View(PERIOD, "MJ", 0, "total")),  # another administration's figures
    ("focal_point", "MEF", Gains(PERIOD, 0)),  # programme-wide figures
    ("coordinator", None, SessionsPage(99999, 0)),
    ("coordinator", None, RosterPage(99999, "-", 0)),
    ("focal_point", "MEF", RosterPage(1, "-", 0)),  # shown with national scope
    ("trainer", None, PartRoster(99999, 1, 0)),
    ("trainer", None, PartPerson(99999, 1, 1, 0)),
    ("trainer", None, PartMark(99999, 1, 1, 0, "present")),
    ("focal_point", "MEF", To("administration", "MJ")),  # a focal point's audience is their own
    (None, None, Attestation(99999)),
]


def test_the_screens_own_copies_of_the_answer_are_gone():
    assert not hasattr(announce_access, "not_for_you")
    assert not hasattr(reports_ui, "invalid")


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("role,administration,press", FORGED,
                         ids=[type(f[2]).__name__ + ("-" + f[0] if f[0] else "") for f in FORGED])
async def test_a_forged_button_is_no_longer_valid(app, person, fr, ar, lang, role, administration, press):
    t = ar if lang == "ar" else fr
    c = person(9960, lang)
    await onboard(app, 9960, lang)
    if role:
        await grant(app, 9960, role, administration)
    await c.send("/help")
    shown = len(c.messages)
    await c.click_data(press.pack())
    stale = t._("This button is no longer valid.")
    assert (c.last_answer["text"], c.last_answer.get("show_alert")) == (stale, True)
    assert len(c.messages) == shown  # nothing shown, nothing sent
    assert await db_row(app, "SELECT 1 FROM outbox WHERE user_id = ?", 9960) is None
