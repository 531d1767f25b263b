"""Who holds a seat once check-in opens: people marked present or absent before the start still
occupy their places, for newcomers, cancellations, offers, capacity changes and cards alike."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import coordinator_managing, db_row, drain, grant, make_session, onboard
from tests.test_attendance import open_roster, trainer_client

TRAINER = 9301
AMINA, YOUSSEF, KARIM = 9311, 9312, 9313  # the participants the trainer marks


async def statuses(app, session_id: int) -> dict[int, str]:
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT user_id, status FROM registrations WHERE session_id = ?", (session_id,)).fetchall())
    return {r[0]: r[1] for r in rows}


async def session_in_checkin(app, person, clock, reference: str, capacity: int, seated, waiting=()):
    """A session starting in two hours with `seated` (id, lang, name) registered and `waiting`
    queued; then the clock moves into the check-in window (20 minutes before the start)."""
    sid = await make_session(app, reference, capacity=capacity, starts_in_hours=2)
    await app.bot_data.db.write(lambda c: c.execute("UPDATE sessions SET trainer_id = ? WHERE id = ?",
                                                    (TRAINER, sid)))
    clients = {}
    for uid, lang, name in (*seated, *waiting):
        await onboard(app, uid, lang, full_name=name)
        clients[uid] = person(uid, lang)
        await clients[uid].start()
        await app.bot_data.registrations.join(uid, sid)
    await drain(app)
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(minutes=20))
    assert session.starts_at - clock.now() < timedelta(minutes=app.bot_data.settings.checkin_opens_minutes)
    return sid, clients


async def mark(trainer, t, *names) -> None:
    """The trainer taps names on the roster: once present, twice absent."""
    await open_roster(trainer, t)
    for name in names:
        await trainer.click(name)


def seats_line(t, n: int, capacity: int) -> str:
    if n == 0:
        return t._("🪑 Full ({capacity} seats)", capacity=t.number(capacity))
    return t.ngettext("🪑 {n} seat left out of {capacity}", "🪑 {n} seats left out of {capacity}", n,
                      capacity=t.number(capacity))


async def test_people_marked_before_the_start_keep_their_seats(app, person, fr, ar, clock):
    """Capacity 2, both places marked (present and absent) in the check-in window: a newcomer is
    queued, whether from a card seen before the marks or from a fresh one, in French and Arabic."""
    seated = [(AMINA, "fr", "Amina El Idrissi"), (YOUSSEF, "ar", "Youssef Benali")]
    sid, _ = await session_in_checkin(app, person, clock, "T-SEAT-MARK", 2, seated)
    await onboard(app, 9320, "fr", full_name="Nadia Late")
    late = person(9320, "fr")
    await late.start(f"s_{sid}")  # seen before the marks: full, so the waitlist is offered
    old_card = late.last_message
    trainer = await trainer_client(app, person, TRAINER)
    # Amina present; Youssef present, then absent (tapped twice).
    await mark(trainer, fr, "▫️ Amina El Idrissi", "▫️ Youssef Benali", "✅ Youssef Benali")
    assert await statuses(app, sid) == {AMINA: "attended", YOUSSEF: "absent"}

    await late.start(f"s_{sid}")
    assert seats_line(fr, 0, 2) in late.last_message.text
    assert fr._("⏳ Join the waitlist") in late.last_message.flat_buttons
    assert fr._("✅ Register") not in late.last_message.flat_buttons
    await late.click(fr._("⏳ Join the waitlist"), old_card)
    assert late.last_answer["text"] == fr._("⏳ You are in position {ordinal} on the waitlist.",
                                            ordinal=fr.ordinal(1))
    await onboard(app, 9321, "ar", full_name="سناء العلوي")
    newcomer = person(9321, "ar")
    await newcomer.start(f"s_{sid}")
    assert seats_line(ar, 0, 2) in newcomer.last_message.text
    await newcomer.click(ar._("⏳ Join the waitlist"))
    assert newcomer.last_answer["text"] == ar._("⏳ You are in position {ordinal} on the waitlist.",
                                                ordinal=ar.ordinal(2))
    assert await statuses(app, sid) == {AMINA: "attended", YOUSSEF: "absent", 9320: "waitlisted",
                                        9321: "waitlisted"}
    await drain(app)
    assert not [d for c in (late, newcomer) for d in c.messages if d.document]  # no confirmation


async def test_a_cancellation_offers_only_the_seat_it_frees(app, person, fr, ar, clock):
    """Capacity 3: two marked, the third cancels in the check-in window. One place is free: the
    first in line is offered it, the next two keep waiting (and see so, in their languages)."""
    seated = [(AMINA, "fr", "Amina El Idrissi"), (YOUSSEF, "ar", "Youssef Benali"),
              (KARIM, "fr", "Karim Tazi")]
    waiting = [(9331, "fr", "Salma Premier"), (9332, "ar", "Omar Second"), (9333, "fr", "Hind Third")]
    sid, people = await session_in_checkin(app, person, clock, "T-SEAT-CANCEL", 3, seated, waiting)
    trainer = await trainer_client(app, person, TRAINER)
    await mark(trainer, fr, "▫️ Amina El Idrissi", "▫️ Youssef Benali", "✅ Youssef Benali")
    karim = people[KARIM]
    await karim.start(f"s_{sid}")
    await karim.click(fr._("❌ Cancel my registration"))
    await karim.click(fr._("Yes, cancel"))
    assert await statuses(app, sid) == {AMINA: "attended", YOUSSEF: "absent", KARIM: "cancelled",
                                        9331: "offered", 9332: "waitlisted", 9333: "waitlisted"}
    await drain(app)
    assert fr._("🎟 A place has freed up for you:") in people[9331].last_message.text
    for uid, t, rank in ((9332, ar, 1), (9333, fr, 2)):
        assert not any(t._("🎟 A place has freed up for you:") in (m.text or "")
                       for m in people[uid].messages), uid
        await people[uid].start(f"s_{sid}")
        assert t._("⏳ You are in position {ordinal} on the waitlist.", ordinal=t.ordinal(rank)) \
            in people[uid].last_message.text
        assert seats_line(t, 0, 3) in people[uid].last_message.text  # the offer holds the seat
    await people[9331].click(fr._("✅ Accept the place"))
    seats = await db_row(app, "SELECT COUNT(*) FROM registrations WHERE session_id = ? AND status IN"
                              " ('confirmed', 'offered', 'attended', 'absent')", sid)
    assert seats[0] == 3


async def test_capacity_changes_count_the_marked_people(app, person, fr, ar, clock):
    """Capacity 2, both marked: lowering to 1 is refused; raising to 3 offers exactly one place."""
    seated = [(AMINA, "fr", "Amina El Idrissi"), (YOUSSEF, "ar", "Youssef Benali")]
    waiting = [(9341, "ar", "Omar Premier"), (9342, "fr", "Salma Second")]
    sid, people = await session_in_checkin(app, person, clock, "T-SEAT-CAP", 2, seated, waiting)
    trainer = await trainer_client(app, person, TRAINER)
    await mark(trainer, fr, "▫️ Amina El Idrissi", "▫️ Youssef Benali", "✅ Youssef Benali")

    c = await coordinator_managing(app, person, 9340, sid)
    await c.click(fr._("🪑 Change the number of places"))
    assert fr._("How many places? Now {capacity}, of which {taken} taken. (/cancel to stop)",
                capacity="2", taken="2") == c.last_message.text
    await c.send("1")
    assert c.last_message.text == fr._("That is fewer than the places already taken: type a larger "
                                       "number.")
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == 2
    await c.send("3")
    assert c.last_message.text == fr._("Done: the session now has {n} places.", n="3")
    assert await statuses(app, sid) == {AMINA: "attended", YOUSSEF: "absent", 9341: "offered",
                                        9342: "waitlisted"}
    await drain(app)
    assert ar._("🎟 A place has freed up for you:") in people[9341].last_message.text
    await people[9342].start(f"s_{sid}")
    assert fr._("⏳ You are in position {ordinal} on the waitlist.", ordinal=fr.ordinal(1)) \
        in people[9342].last_message.text
    # An Arabic-speaking coordinator sees the same count and the same refusal, in Arabic.
    await onboard(app, 9343, "ar")
    await grant(app, 9343, "coordinator")
    coordinator = person(9343, "ar")
    await coordinator.start(f"s_{sid}")
    await coordinator.click(ar._("🛠 Manage this session"))
    await coordinator.click(ar._("🪑 Change the number of places"))
    assert ar._("How many places? Now {capacity}, of which {taken} taken. (/cancel to stop)",
                capacity=ar.number(3), taken=ar.number(3)) == coordinator.last_message.text
    await coordinator.send("2")
    assert coordinator.last_message.text == ar._(
        "That is fewer than the places already taken: type a larger number.")
