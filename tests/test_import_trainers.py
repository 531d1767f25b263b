"""A trainer changed by a catalogue import is told, as one changed from *Manage this session*:
the new trainer that they run the session, the old one that they no longer do."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from tests.conftest import db_row, drain
from tests.test_catalogue_import import coordinator, session_row, workbook
from tests.test_staff_notices import _trainer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REF = "CYB-102-02"


async def code_of(app, uid: int) -> str:
    return f"F{(await db_row(app, 'SELECT id FROM trainer_codes WHERE user_id = ?', uid))[0]:03d}"


async def notices(app, uid: int) -> list[str]:
    return [r[0] for r in await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT kind FROM outbox WHERE user_id = ? ORDER BY id", (uid,)).fetchall())]


@pytest.mark.telegram_errors_expected  # the demo's participants never opened this sandbox's chat
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_an_import_tells_the_old_and_the_new_trainer(app, person, server, lang):
    sid = (await db_row(app, "SELECT id FROM sessions WHERE reference = ?", REF))[0]
    old = await _trainer(app, person, 9860, lang, sid, name="Karim Ancien")
    new = await _trainer(app, person, 9861, lang, name="Nadia Nouvelle")
    await app.bot_data.db.write(lambda conn: conn.execute("UPDATE users SET sex = 'F' WHERE id = 9861"))
    c = await coordinator(app, person, lang)
    t = translator(lang)
    # Moved and handed over at once: the new trainer hears it once, with the new time.
    row = session_row(REF, training="CYB-102", start="2027-01-05 09:00", end="2027-01-05 16:00",
                      formateur=await code_of(app, 9861))
    await c.upload(workbook(trainings=(), sessions=[row]), "hand.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    await drain(app)
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] == 9861
    she, he = translator(lang, "F"), translator(lang, "M")
    assert she._("👤 You are the trainer of this session:") in new.last_message.text
    assert he._("👤 You no longer run this session; another trainer does:") in old.last_message.text
    assert await notices(app, 9861) == ["trainer_assigned"]
    assert await notices(app, 9860) == ["trainer_unassigned"]

    # A new session given to a trainer tells them too; an unchanged trainer hears nothing.
    rows = [session_row(REF, training="CYB-102", start="2027-01-05 09:00", end="2027-01-05 16:00",
                        formateur=await code_of(app, 9861)),
            session_row("CYB-102-77", training="CYB-102", formateur=await code_of(app, 9860))]
    await c.upload(workbook(trainings=(), sessions=rows), "new.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    await drain(app)
    assert await notices(app, 9861) == ["trainer_assigned"]
    assert await notices(app, 9860) == ["trainer_unassigned", "trainer_assigned"]
    assert he._("👤 You are the trainer of this session:") in old.last_message.text

    # "-" in the trainer cell leaves the session without a trainer: the one it had is told so.
    rows = [session_row(REF, training="CYB-102", start="2027-01-05 09:00", end="2027-01-05 16:00",
                        formateur="-")]
    await c.upload(workbook(trainings=(), sessions=rows), "none.xlsx", XLSX)
    await c.click(t._("✅ Apply"))
    await drain(app)
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] is None
    assert await notices(app, 9861) == ["trainer_assigned", "trainer_unassigned"]
    assert she.to_person("👤 You no longer run this session:") in new.last_message.text
    assert she.to_person("👤 You no longer run this session; another trainer does:") \
        not in new.last_message.text
