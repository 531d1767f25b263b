"""The needs survey's launch when Telegram fails the answer (500): the survey is launched once,
pressing Send again says so instead of sending it twice, and /needs shows it. In French and
Arabic."""

from __future__ import annotations

import pytest

from tests.conftest import db_row, onboard
from tests.test_prc_screens import focal_point


@pytest.mark.telegram_errors_expected
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_failed_answer_to_send_does_not_launch_twice(app, person, server, fr, ar, lang):
    t = fr if lang == "fr" else ar
    focal = await focal_point(app, person, lang)
    await onboard(app, 8940, lang, administration_code="MEF")
    await focal.send("/needs")
    await focal.click(t._("🚀 Launch a needs survey"))
    confirm = focal.last_message
    server.fail_next("500", method="editMessageText", chat_id=focal.user_id)
    await focal.click(t._("✅ Send the survey"))
    assert any(call.method == "editMessageText" and not call.ok for call in server.calls)
    await focal.click_data(confirm.reply_markup["inline_keyboard"][0][0]["callback_data"], confirm)
    assert focal.last_answer["text"] == t._("A survey was just launched: it was not sent twice.")
    assert (await db_row(app, "SELECT COUNT(*) FROM needs_surveys WHERE administration_code = 'MEF'"))[0] == 1
    await focal.send("/needs")
    assert t._("📊 Results") in focal.last_message.flat_buttons
