"""/dashboard: indicators for a period, an administration or a training, by breakdown, in French
and Arabic; a focal point's scope; evaluation aggregates hidden under 5 respondents."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.indicators import IndicatorsService
from handlers.dashboard import View, group_line
from handlers.reports_ui import mean, percent
from handlers.ui import MAX_TEXT, plain
from tests.conftest import onboard
from tests.reports_data import click_paged, evaluate, finished_session, live, staff


def by(t, dimension: str) -> str:
    return t._("By {dimension}", dimension=t.pgettext("breakdown", dimension).lower())


async def test_national_dashboard_in_french(app, person, fr):
    coord = await staff(app, person, 8001, "fr")
    shown = await coord.send("/dashboard")
    assert shown[-1].text == plain(fr._("<b>Indicators</b>\nChoose the period:"))
    await coord.click(fr._("All time"))
    total, women, men = (await live(app, "COUNT(*)"), await live(app, "SUM(u.sex = 'F')"),
                         await live(app, "SUM(u.sex = 'M')"))
    text = coord.last_message.text
    assert fr._("📝 Registrations: {n}", n=fr.number(total)) in text
    assert fr._("👩 Women: {registrants} of registrants, {attendees} of attendees",
                registrants=percent(fr, women / (women + men)),
                attendees=percent(fr, await live(app, "SUM(u.sex = 'F')", "g.status = 'attended'")
                                  / await live(app, "COUNT(*)", "g.status = 'attended'"))) in text
    await coord.click(by(fr, "Sex"))
    service = app.bot_data.indicators
    groups = {g.key: g for g in await service.breakdown(service.scope("all"), "sex")}
    assert groups["F"].registrations == women and groups["M"].registrations == men
    assert fr.pgettext("sex", "Woman") in coord.last_message.text
    assert plain(group_line(fr, groups["F"])) in coord.last_message.text
    # 20 administrations in the demo: pages of 8, every page within Telegram's limit.
    await coord.click(fr._("⬅ Summary"))
    await coord.click(by(fr, "Administration"))
    assert "1/3" in coord.last_message.flat_buttons
    await coord.click("▶")
    assert "2/3" in coord.last_message.flat_buttons
    assert len(coord.last_message.text) <= MAX_TEXT
    assert "MEF" not in coord.last_message.text  # names, not codes


async def test_narrowing_to_an_administration_and_a_training(app, person, fr):
    coord = await staff(app, person, 8002, "fr")
    await coord.send("/dashboard")
    await coord.click(fr._("This year"))
    await coord.click(fr._("🏛 One administration"))
    await click_paged(coord, "Ministère de la Justice")
    text = coord.last_message.text
    assert fr._("Administration: {name}", name="Ministère de la Justice") in text
    start, end = app.bot_data.indicators.bounds("year")
    n = await live(app, "COUNT(*)", "u.administration_code = 'MJ' AND s.starts_at >= ? AND s.starts_at < ?",
                   start, end)
    assert fr._("📝 Registrations: {n}", n=fr.number(n)) in text
    assert by(fr, "Administration") not in coord.last_message.flat_buttons
    await coord.click(fr._("📚 One training"))
    await click_paged(coord, "Cybersécurité : les bons réflexes au quotidien")
    assert fr._("Training: {name}", name="Cybersécurité : les bons réflexes au quotidien") in \
        coord.last_message.text
    await coord.click(fr._("✖ All administrations"))
    assert "Ministère de la Justice" not in coord.last_message.text


async def test_focal_point_sees_only_their_administration_in_arabic(app, person, ar):
    await finished_session(app, "T-DASH-MJ", [
        (8101, "F", "MJ", "attended"), (8102, "M", "MJ", "absent"), (8103, "F", "MEF", "attended")])
    focal = await staff(app, person, 8100, "ar", "focal_point", "MJ")
    await focal.send("/dashboard")
    await focal.click(ar._("All time"))
    text = focal.last_message.text
    assert ar._("Administration: {name}", name="وزارة العدل") in text
    mine = await live(app, "COUNT(*)", "u.administration_code = 'MJ'")
    assert ar._("📝 Registrations: {n}", n=ar.number(mine)) in text
    assert by(ar, "Administration") not in focal.last_message.flat_buttons
    assert ar._("🏛 One administration") not in focal.last_message.flat_buttons
    await focal.click(by(ar, "Sex"))
    assert ar.pgettext("sex", "Woman") in focal.last_message.text
    menu = focal.last_message
    # Forged buttons: another administration, the national view, a breakdown they may not have.
    forged = [View("all", "MEF", 0, "total"), View("all", "-", 0, "total"),
              View("all", "MJ", 0, "administration"), View("all", "MJ", 0, "pickadm"),
              View("all", "MJ", 999999, "total"), View("zzz", "MJ", 0, "total"), View("all", "MJ", 0, "zzz"),
              View("all", "NOPE", 0, "total")]
    # ...and data that does not unpack: a negative page, a field missing, the old layout, garbage.
    for data in (*(v.pack() for v in forged), "v1:dash:v:all:MJ:0:sex:-1", "v1:dash:v:all:MJ:0:sex",
                 "v1:dash:all:MJ:0:sex:0", "v1:dash:zzz", "v1:dash:menu:1"):
        await focal.click_data(data, menu)
        assert focal.last_answer["text"] == ar._("This button is no longer valid."), data


async def test_officials_get_no_dashboard(app, person, fr, ar):
    await onboard(app, 8200, "fr")
    await onboard(app, 8201, "ar")
    for uid, t in ((8200, fr), (8201, ar)):
        official = person(uid, t.lang)
        shown = await official.send("/dashboard")
        assert shown[-1].text == t._("This command is reserved for coordinators and focal points.")
        await official.click_data(View("all", "-", 0, "total").pack(), shown[-1])
        assert official.last_answer["text"] == t._("This command is reserved for coordinators and focal "
                                                   "points.")


async def test_evaluation_aggregates_hide_groups_under_five(app, person, fr, ar):
    sid = await finished_session(app, "T-DASH-EV", [(8300 + i, "F" if i % 2 else "M", "HCP", "attended")
                                                    for i in range(8)])
    await evaluate(app, sid, [5, 4, 4, 3])
    coord = await staff(app, person, 8310, "fr")
    await coord.send("/dashboard")
    await coord.click(fr._("All time"))
    attended = await live(app, "COUNT(*)", "g.status = 'attended'")
    hidden = fr._("📋 Hot evaluations: {rate} answered · satisfaction {mean}/5",
                  rate=percent(fr, 4 / attended), mean="—")
    assert hidden in coord.last_message.text
    await evaluate_one_more(app, sid)
    await coord.click(fr._("🗓 Change the period"))
    await coord.click(fr._("All time"))
    shown = fr._("📋 Hot evaluations: {rate} answered · satisfaction {mean}/5",
                 rate=percent(fr, 5 / attended), mean=mean(fr, (5 + 4 + 4 + 3 + 2) / 5))
    assert shown in coord.last_message.text
    # Mean scores per question: overall shown (5 answers), women (2) and men (3) hidden.
    await coord.click(fr._("📝 Mean scores"))
    text = coord.last_message.text
    assert "Dans l'ensemble, je suis :" in text
    assert fr._("{mean} overall · women {women} · men {men} · respondents: {n}",
                mean=mean(fr, 3.6), women="—", men="—", n=fr.number(5)) in text
    # The same in Arabic: the question's Arabic label.
    coord_ar = await staff(app, person, 8311, "ar")
    await coord_ar.click_data(View("all", "-", 0, "scores").pack(), (await coord_ar.send("/dashboard"))[-1])
    assert "بشكل عام، أنا:" in coord_ar.last_message.text


async def evaluate_one_more(app, sid):
    """A fifth respondent (the next attendee) answers 2."""
    from bot.storage import evaluations as ev

    now = app.bot_data.clock.now()

    def tx(conn):
        reg = conn.execute("SELECT g.id FROM registrations g WHERE g.session_id = ? AND g.status = 'attended'"
                           " AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.registration_id = g.id)"
                           " ORDER BY g.seq LIMIT 1", (sid,)).fetchone()[0]
        r = ev.create_response(conn, reg, ev.current_questionnaire(conn, "hot"), now)
        ev.save_answer(conn, r, "satisfaction", ev.Answer(score=2), now)
        ev.save_answer(conn, r, "objectives", ev.Answer(score=2), now)
        ev.submit(conn, r.id, now)

    await app.bot_data.db.write(tx)


async def test_cold_application_rate(app, person, fr):
    sid = await finished_session(app, "T-DASH-COLD", [(8400 + i, "F", "HCP", "attended") for i in range(6)],
                                 hours_ago=24 * 100)
    await evaluate(app, sid, [1, 5, 5, 5, 5], kind="cold")
    coord = await staff(app, person, 8410, "fr")
    await coord.send("/dashboard")
    await coord.click(fr._("All time"))
    assert fr._("🔁 Cold evaluations: {n} answered · skills applied {rate}", n=fr.number(5),
                rate=percent(fr, 0.8)) in coord.last_message.text


async def test_periods_are_moroccan_calendar_months(app):
    from bot.timeutil import FrozenClock

    service = IndicatorsService(app.bot_data.db, FrozenClock(datetime(2026, 11, 25, 9, tzinfo=UTC)))
    assert service.bounds("month") == ("2026-11-01 00:00:00", "2026-12-01 00:00:00")
    # Before 2026-09-20 Morocco was at UTC+1: its 1 September began at 23:00 UTC.
    assert service.bounds("quarter") == ("2026-08-31 23:00:00", "2026-12-01 00:00:00")
    assert service.bounds("year") == ("2025-12-31 23:00:00", "2027-01-01 00:00:00")
    assert service.bounds("all") == (None, None)
    service.clock = FrozenClock(datetime(2027, 1, 10, tzinfo=UTC))
    assert service.bounds("quarter") == ("2026-11-01 00:00:00", "2027-02-01 00:00:00")
    service.clock = FrozenClock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert service.bounds("month") == ("2026-12-01 00:00:00", "2027-01-01 00:00:00")


OUTCOMES = {"confirmed": ("confirmed", "attended", "absent"),
            "pending": ("requested", "waitlisted", "offered"),
            "ended": ("cancelled", "declined", "lapsed", "rejected")}


def outcome_lines(t, confirmed: int, pending: int, waitlisted: int, ended: int) -> list[str]:
    return [t._("<i>Every request to join a session starting in the period, whatever became of it:</i>"),
            t._("✅ Confirmed (a place: present, absent or to come): {n}", n=t.number(confirmed)),
            t._("⏳ Pending (awaiting approval, on the waiting list or offered a place): {n}, of which "
                "waitlist {waitlisted}", n=t.number(pending), waitlisted=t.number(waitlisted)),
            t._("✖ Cancelled (by the person or the session, declined, expired or refused): {n}",
                n=t.number(ended))]


async def test_registrations_are_split_into_confirmed_pending_and_cancelled(app, person, fr):
    statuses = [s for group in OUTCOMES.values() for s in group]
    await finished_session(app, "T-DASH-OUT", [(8300 + i, "F", "MJ", s) for i, s in enumerate(statuses)])
    coord = await staff(app, person, 8001, "fr")
    await coord.send("/dashboard")
    await coord.click(fr._("All time"))
    text = coord.last_message.text

    async def count(states):
        return await live(app, "COUNT(*)", f"g.status IN ({', '.join(repr(s) for s in states)})")

    figures = {k: await count(v) for k, v in OUTCOMES.items()}
    assert figures["ended"] and figures["pending"]  # the demo and the session above have some
    assert sum(figures.values()) == await live(app, "COUNT(*)")  # every registration is one of three
    assert fr._("📝 Registrations: {n}", n=fr.number(await live(app, "COUNT(*)"))) in text
    for line in outcome_lines(fr, figures["confirmed"], figures["pending"],
                              await count(("waitlisted", "offered")), figures["ended"]):
        assert plain(line) in text, line


async def test_a_focal_point_sees_the_split_in_arabic(app, person, ar):
    statuses = ["confirmed", "attended", "requested", "offered", "waitlisted", "cancelled", "lapsed"]
    await finished_session(app, "T-DASH-OUT-AR", [(8400 + i, "M", "MJ", s) for i, s in enumerate(statuses)],
                           training="CYB-101")
    focal = await staff(app, person, 8410, "ar", "focal_point", "MJ")
    await focal.send("/dashboard")
    await focal.click(ar._("All time"))
    mj = "u.administration_code = 'MJ' AND g.status IN "
    confirmed, pending, waitlisted, ended = [
        await live(app, "COUNT(*)", mj + states) for states in (
            "('confirmed', 'attended', 'absent')", "('requested', 'waitlisted', 'offered')",
            "('waitlisted', 'offered')", "('cancelled', 'declined', 'lapsed', 'rejected')")]
    assert pending >= 3 and ended >= 2
    for line in outcome_lines(ar, confirmed, pending, waitlisted, ended):
        assert plain(line) in focal.last_message.text, line


async def test_an_older_database_gets_the_new_counts(app):
    """The migration adds the counters to existing cells and counts what is already there."""
    from bot.storage.migrations import LATEST, MIGRATIONS, _registration_outcomes, current_version, migrate

    step = MIGRATIONS.index(_registration_outcomes) + 1  # later steps may follow it

    await finished_session(app, "T-DASH-MIG", [(8500, "F", "MJ", "requested"), (8501, "M", "MJ", "lapsed")])
    service = app.bot_data.indicators
    before = await service.total(service.scope("all"))

    def downgrade(conn):
        for name in ("insert", "change", "move", "delete"):
            conn.execute(f"DROP TRIGGER indicator_cells_{name}")
        conn.execute("ALTER TABLE indicator_cells DROP COLUMN pending")
        conn.execute("ALTER TABLE indicator_cells DROP COLUMN ended")
        conn.execute(f"PRAGMA user_version = {step - 1}")

    await app.bot_data.db.raw_write(downgrade)
    assert await migrate(app.bot_data.db) == list(range(step, LATEST + 1))
    assert await app.bot_data.db.read(current_version) == LATEST
    after = await service.total(service.scope("all"))
    assert after == before and after.pending and after.ended
    assert after.registrations == after.confirmed + after.pending + after.ended
