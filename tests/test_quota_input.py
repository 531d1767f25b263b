"""The reserved places' typed line, as an attacker or a hurried coordinator types it: markup in
the code is shown as typed (before, Telegram refused the answer and the person saw "a problem
occurred" and a search result), and reservations that together exceed the capacity are refused
(before, they were accepted and then turned every official away, those they were held for too)."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from tests.conftest import coordinator_managing, db_row, grant, make_session, onboard
from tests.test_quotas import join, statuses


async def managing(app, person, lang, sid):
    if lang == "fr":
        c = await coordinator_managing(app, person, 9740, sid)
    else:
        await onboard(app, 9741, "ar")
        await grant(app, 9741, "coordinator")
        c = person(9741, "ar")
        await c.start(f"s_{sid}")
        await c.click(translator("ar", "F")._("🛠 Manage this session"))
    await c.click(translator(lang, "F")._("🎟 Reserved places"))
    return c


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_bad_lines_are_answered_in_words(app, person, lang):
    t = translator(lang, "F")
    sid = await make_session(app, f"T-QIN-{lang}", capacity=2)
    c = await managing(app, person, lang, sid)
    how = t._("Please send the administration's code, the number of places and, if they are to be "
              "open to everyone at a date, that date and time: for example {example}.",
              example="MEF 5 2026-12-01 09:00")
    await c.send("<b>X 1")
    assert c.last_message.text == t._("No administration has the code {code}.", code="<b>X")
    await c.send("<i>MJ</i> 0")
    assert c.last_message.text == t._("No administration has the code {code}.", code="<i>MJ</i>")
    for typed in ("MJ -1", "MJ 99999999999999999999", "MJ", "MJ 1 2026-13-45"):
        await c.send(typed)
        assert c.last_message.text == how, typed
    await c.send("MJ 1 2026-11-01")  # in the past
    assert c.last_message.text == t._("The date when the places are open to everyone must be to "
                                      "come and before the start of the session.")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_reservations_together_fit_the_capacity(app, person, lang, clock):
    t = translator(lang, "F")
    sid = await make_session(app, f"T-QSUM-{lang}", capacity=2)
    c = await managing(app, person, lang, sid)
    await c.send("MEF ٢")
    assert c.last_message.text.startswith(t.ngettext("Done: {n} place reserved for {code}.",
                                                     "Done: {n} places reserved for {code}.", 2,
                                                     code="MEF"))
    await c.click(t._("🎟 Reserved places"))
    await c.send("MJ 1")
    assert c.last_message.text == t.ngettext(
        "With the places reserved for the other administrations, that is more than the session's "
        "{n} place: lower one of them first.",
        "With the places reserved for the other administrations, that is more than the session's "
        "{n} places: lower one of them first.", 2)
    await c.send("MEF 1")  # lowered first: then MJ's fits
    await c.click(t._("🎟 Reserved places"))
    await c.send("MJ 1")
    assert c.last_message.text.startswith(t.ngettext("Done: {n} place reserved for {code}.",
                                                     "Done: {n} places reserved for {code}.", 1,
                                                     code="MJ"))
    held = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT administration_code, places FROM session_quotas WHERE session_id = ?"
        " ORDER BY administration_code", (sid,)).fetchall())
    assert [tuple(r) for r in held] == [("MEF", 1), ("MJ", 1)]
    await join(person, 9751, lang, sid, "MEF", app)
    await join(person, 9752, lang, sid, "MJ", app)
    assert await statuses(app, sid) == {9751: "confirmed", 9752: "confirmed"}


async def test_the_arabic_screen_separates_with_the_arabic_comma(app, person, ar):
    sid = await make_session(app, "T-QCOMMA", capacity=4)
    c = await managing(app, person, "ar", sid)
    await c.send("MJ 2")
    line = next(x for x in c.last_message.text.splitlines() if x.startswith("• "))
    held = ar.ngettext("{n} place reserved, {filled} taken", "{n} places reserved, {filled} taken", 2,
                       filled=ar.number(0))
    assert f"{held}، {ar._('until registration closes')}" in line and ", " not in line


async def test_the_workbook_refuses_reservations_that_together_exceed_the_capacity(app, person, fr, ar):
    """The same rule in the catalogue workbook's sessions sheet (capacity 20 there)."""
    from tests.test_catalogue_import import TRAINING, coordinator, workbook
    from tests.test_catalogue_quotas import XLSX, reservations, with_quotas

    data = workbook(sessions=[with_quotas("MEF 12; MJ 10")], trainings=(TRAINING,))
    for client, t in ((await coordinator(app, person, "ar", 9870), ar),
                      (await coordinator(app, person, "fr", 9871), fr)):
        text = (await client.upload(data, "q.xlsx", XLSX))[-1].text
        assert t._("{value}: more places reserved than the session's {extra}.", value="MEF 12 + MJ 10",
                   extra="20") in text
    fits = workbook(sessions=[with_quotas("MEF 10; MJ 10")], trainings=(TRAINING,))
    c = await coordinator(app, person, "fr", 9872)
    await c.upload(fits, "q.xlsx", XLSX)
    await c.click(fr._("✅ Apply"))
    ref = next(r for r in await app.bot_data.db.read(lambda conn: [x[0] for x in conn.execute(
        "SELECT reference FROM sessions ORDER BY id DESC LIMIT 1")]))
    assert await reservations(app, ref) == [("MEF", 10, None), ("MJ", 10, None)]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_capacity_is_not_lowered_below_the_places_reserved(app, person, lang, clock):
    """MEF 5 + MJ 5 on 10 places: lowering to 6 would leave MEF's officials one seat (MJ's five
    held against them); refused in words until a reservation is lowered."""
    from datetime import timedelta

    from bot.storage.quotas import set_quota

    t = translator(lang, "F")
    sid = await make_session(app, f"T-QCAP-{lang}", capacity=10)
    for code in ("MEF", "MJ"):
        await app.bot_data.db.write(set_quota, sid, code, 5, clock.now() + timedelta(days=2))
    c = await managing(app, person, lang, sid)
    await c.send("/cancel")
    await c.start(f"s_{sid}")
    await c.click(t._("🛠 Manage this session"))
    await c.click(t._("🪑 Change the number of places"))
    await c.send("6")
    assert c.last_message.text == t.to_person(
        "That is fewer than the places reserved for administrations: type a larger number, or lower "
        "a reservation first (🎟 Reserved places).")
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 10
    await c.send("٨")  # still below: 10 reserved
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 10
    await c.send("12")
    assert c.last_message.text == t._("Done: the session now has {n} places.", n=t.number(12))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_screen_after_done_reads_the_next_line_it_asks_for(app, person, lang):
    """After "Done", the screen says again how to reserve: the next line typed is read (before,
    the flow was over and the line went to the search)."""
    t = translator(lang, "F")
    sid = await make_session(app, f"T-QNEXT-{lang}", capacity=6)
    c = await managing(app, person, lang, sid)
    await c.send("MEF 2")
    await c.send("MJ 3")
    assert c.last_message.text.startswith(t.ngettext("Done: {n} place reserved for {code}.",
                                                     "Done: {n} places reserved for {code}.", 3,
                                                     code="MJ"))
    held = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT administration_code, places FROM session_quotas WHERE session_id = ?"
        " ORDER BY administration_code", (sid,)).fetchall())
    assert [tuple(r) for r in held] == [("MEF", 2), ("MJ", 3)]
    await c.send("/cancel")
    assert (await db_row(app, "SELECT COUNT(*) FROM drafts WHERE user_id = ?", c.user_id))[0] == 0


@pytest.mark.telegram_errors_expected
async def test_a_telegram_error_on_the_answer_loses_nothing(app, person, server):
    """Telegram fails (500) the "Done" answer: the reservation is made once, the person is told
    something went wrong, and the next line is still read; sending the same line again changes
    nothing."""
    t = translator("fr", "F")
    sid = await make_session(app, "T-QFAULT", capacity=6)
    c = await managing(app, person, "fr", sid)
    server.fail_next("500", method="sendMessage", chat_id=c.user_id)
    await c.send("MEF 2")
    assert any(call.method == "sendMessage" and not call.ok for call in server.calls)
    await c.send("MEF 2")  # sent again, not having seen the answer
    assert c.last_message.text.startswith(t.ngettext("Done: {n} place reserved for {code}.",
                                                     "Done: {n} places reserved for {code}.", 2,
                                                     code="MEF"))
    await c.send("MJ 1")
    held = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT administration_code, places FROM session_quotas WHERE session_id = ?"
        " ORDER BY administration_code", (sid,)).fetchall())
    assert [tuple(r) for r in held] == [("MEF", 2), ("MJ", 1)]
