"""Reserved places in the workbook's sessions sheet (`places_reservees`): read as the chat reads
them, checked, previewed old → new, written with the session; `-` opens them to everyone and the
freed place is offered at once; the export writes them back unchanged."""

from __future__ import annotations

from bot.services.workbook import SESSIONS
from bot.storage.quotas import set_quota
from tests.conftest import db_row, make_session, onboard
from tests.test_catalogue_import import TRAINING, coordinator, session_row, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def with_quotas(text: str, **over) -> list:
    row = session_row(**over)
    row[SESSIONS.index("places_reservees")] = text
    return row


async def reservations(app, reference: str):
    return [tuple(r) for r in await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT q.administration_code, q.places, q.release_at FROM session_quotas q"
        " JOIN sessions s ON s.id = q.session_id WHERE s.reference = ? ORDER BY 1",
        (reference,)).fetchall())]


async def test_reservations_from_the_sessions_sheet(app, person, fr):
    c = await coordinator(app, person)
    data = workbook(sessions=[with_quotas("MJ 5 2027-01-10 09:00; mef 3")])
    preview = (await c.upload(data, "q.xlsx", XLSX))[-1].text
    assert "places_reservees: MEF 3; MJ 5 2027-01-10 09:00" in preview
    await c.click(fr._("✅ Apply"))
    assert await reservations(app, "NEW-101-01") == [("MEF", 3, None), ("MJ", 5, "2027-01-10 09:00:00")]
    # The current catalogue, sent back as it is, changes nothing.
    shown = await c.send("/catalogue_export")
    again = await c.upload(shown[-1].document.data, "export.xlsx", XLSX)
    assert fr._("Nothing to change: the workbook matches the catalogue.") in again[-1].text


async def test_opening_reserved_places_offers_them_at_once(app, person, fr, server):
    sid = await make_session(app, "T-WB-QUOTA", capacity=1)
    await app.bot_data.db.write(set_quota, sid, "MJ", 1, None)
    await onboard(app, 9851, administration_code="MEF")
    assert (await app.bot_data.registrations.join(9851, sid)).reserved
    c = await coordinator(app, person)
    row = ["T-WB-QUOTA"] + [""] * (len(SESSIONS) - 1)
    row[SESSIONS.index("places_reservees")] = "-"
    preview = (await c.upload(workbook(trainings=[], sessions=[row]), "q.xlsx", XLSX))[-1].text
    assert "places_reservees: " + fr.pgettext("change", "{old} → {new}", old="MJ 1",
                                               new=fr._("(empty)")) in preview
    await c.click(fr._("✅ Apply"))
    assert await reservations(app, "T-WB-QUOTA") == []
    assert (await db_row(app, "SELECT status FROM registrations WHERE user_id = 9851"))[0] == "offered"


async def test_reservation_problems_in_both_languages(app, person, fr, ar):
    data = workbook(sessions=[
        with_quotas("XYZ 2"),
        with_quotas("MJ 50", ref="NEW-101-02"),
        with_quotas("MJ 2 2020-01-01", ref="NEW-101-03"),
        with_quotas("MJ deux", ref="NEW-101-04")], trainings=(TRAINING,))
    for client, t in ((await coordinator(app, person, "ar", 9860), ar),
                      (await coordinator(app, person, "fr", 9861), fr)):
        text = (await client.upload(data, "q.xlsx", XLSX))[-1].text

        def where(row, t=t):
            return t.join([t._("sheet {sheet}", sheet="sessions"), t._("row {row}", row=t.number(row)),
                           t._("column {column}", column="places_reservees")])

        for row, reason in [
            (2, t._("Unknown administration “{value}”.", value="XYZ")),
            (3, t._("{value}: more places reserved than the session's {extra}.", value="MJ", extra="20")),
            (4, t._("The date when the places are open to everyone must be to come and before the "
                    "start of the session.")),
            (5, t._("“{value}” is not a reservation like MJ 5 2027-03-01 09:00.", value="MJ deux")),
        ]:
            assert f"• {where(row)}: {reason}" in text, row
    assert await reservations(app, "NEW-101-02") == []


async def test_a_capacity_below_the_places_still_reserved_is_refused(app, person, fr, ar):
    """The row leaves the reservations as they are (no places_reservees): lowering the capacity
    under them is refused as the chat refuses it (sessions.set_capacity's below_reserved)."""
    from datetime import timedelta

    sid = await make_session(app, "T-WB-CAP", capacity=10)
    now = app.bot_data.clock.now()
    for code, places, release in (("MJ", 4, None), ("MEF", 3, None), ("MI", 2, now - timedelta(days=1))):
        await app.bot_data.db.write(set_quota, sid, code, places, release)  # MI's places are open
    row = ["T-WB-CAP"] + [""] * (len(SESSIONS) - 1)
    row[SESSIONS.index("capacite")] = 6
    for client, t in ((await coordinator(app, person, "ar", 9870), ar),
                      (await coordinator(app, person, "fr", 9871), fr)):
        preview = (await client.upload(workbook(trainings=[], sessions=[row]), "q.xlsx", XLSX))[-1]
        text = preview.text
        where = t.join([t._("sheet {sheet}", sheet="sessions"), t._("row {row}", row=t.number(2)),
                        t._("column {column}", column="capacite")])
        reason = t._("Capacity {value} is below the {extra} places still reserved for administrations.",
                     value="6", extra="7")
        assert f"• {where}: {reason}" in text
        assert t._("✅ Apply") not in sum(preview.buttons, [])
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 10
    # Down to exactly the places held (the released ones no longer count): accepted.
    row[SESSIONS.index("capacite")] = 7
    c = await coordinator(app, person, "fr", 9872)
    await c.upload(workbook(trainings=[], sessions=[row]), "q.xlsx", XLSX)
    await c.click(fr._("✅ Apply"))
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 7
