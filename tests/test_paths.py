"""Paths and cohorts: a cohort booked whole or not at all under a race, progress on a path, the
path attestation's data, e-learning completion imported by learner code (issue 17)."""

from __future__ import annotations

import asyncio

import pytest

from bot.services.elearning import ALPHABET
from tests.conftest import db_row, make_session, onboard

SESSION_MODULES = ("DAT-201", "EGV-101", "IA-102", "BUR-101")


async def training_id(app, code: str) -> int:
    return (await db_row(app, "SELECT id FROM trainings WHERE code = ?", code))[0]


def services(app):
    return app.bot_data.paths, app.bot_data.elearning


async def test_twenty_racing_for_fifteen_cohort_places(app):
    paths, _ = services(app)
    path = await paths.create_path("P-RACE", "Parcours", "مسار",
                                   [await training_id(app, c) for c in SESSION_MODULES])
    sids = [await make_session(app, f"T-RACE-{n}", training=code, capacity=15,
                               starts_in_hours=24 * (10 + 7 * n))
            for n, code in enumerate(SESSION_MODULES)]
    cohort = await paths.create_cohort(path, "C-RACE", sids)
    people = list(range(9801, 9821))
    for uid in people:
        await onboard(app, uid, "fr")
    results = await asyncio.gather(*(paths.book_cohort(uid, cohort) for uid in people))
    booked = {uid for uid, r in zip(people, results, strict=True) if r.outcome == "booked"}
    assert len(booked) == 15
    assert sorted(r.position for r in results if r.outcome == "waitlisted") == [1, 2, 3, 4, 5]
    for sid in sids:  # no partial booking: every session holds exactly the fifteen, confirmed
        rows = await app.bot_data.db.read(lambda c, s=sid: c.execute(
            "SELECT user_id, status FROM registrations WHERE session_id = ?", (s,)).fetchall())
        assert {(r[0], r[1]) for r in rows} == {(uid, "confirmed") for uid in booked}
    members = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT status, COUNT(*) FROM cohort_members WHERE cohort_id = ? GROUP BY 1", (cohort,)).fetchall())
    assert dict(map(tuple, members)) == {"booked": 15, "waitlisted": 5}
    # Each booked person's four confirmations are queued, as for a single registration.
    confirmations = await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'confirmed'"
                                 f" AND user_id BETWEEN {people[0]} AND {people[-1]}")
    assert confirmations[0] == 15 * 4
    again = await paths.book_cohort(next(iter(booked)), cohort)
    assert again.outcome == "already"


async def test_one_full_session_puts_the_cohort_on_the_waitlist_with_no_seat_taken(app):
    paths, _ = services(app)
    path = await paths.create_path("P-FULL", "Parcours", "مسار",
                                   [await training_id(app, c) for c in SESSION_MODULES[:2]])
    first = await make_session(app, "T-FULL-1", training=SESSION_MODULES[0], capacity=5)
    second = await make_session(app, "T-FULL-2", training=SESSION_MODULES[1], capacity=1,
                                starts_in_hours=24 * 20)
    cohort = await paths.create_cohort(path, "C-FULL", [first, second])
    await onboard(app, 9831, "fr")
    await onboard(app, 9832, "ar")
    await app.bot_data.registrations.join(9831, second)  # the last seat of module 2, on its own
    result = await paths.book_cohort(9832, cohort)
    assert (result.outcome, result.position) == ("waitlisted", 1)
    assert (await db_row(app, "SELECT COUNT(*) FROM registrations WHERE user_id = 9832"))[0] == 0
    # The person who already holds module 2 books the cohort: only module 1 is added.
    result = await paths.book_cohort(9831, cohort)
    assert result.outcome == "booked" and len(result.registrations) == 1


async def test_a_cohort_needs_one_session_per_module(app):
    paths, _ = services(app)
    path = await paths.create_path("P-BAD", "Parcours", "مسار",
                                   [await training_id(app, c) for c in SESSION_MODULES[:2]])
    one = await make_session(app, "T-BAD-1", training=SESSION_MODULES[0])
    other = await make_session(app, "T-BAD-X", training="PRJ-101")
    with pytest.raises(ValueError):
        await paths.create_cohort(path, "C-BAD", [one])
    with pytest.raises(ValueError):
        await paths.create_cohort(path, "C-BAD", [one, other])


async def path_with_elearning(app):
    """Four modules: DAT-201 in a session, CYB-101 on the platform, EGV-101 and IA-102."""
    paths, elearning = services(app)
    cyb = await training_id(app, "CYB-101")
    await elearning.set_module(cyb, "https://elearning.example.ma/cyb-101")
    codes = ("DAT-201", "CYB-101", "EGV-101", "IA-102")
    path = await paths.create_path("P-MIX", "Transformation", "التحول",
                                   [await training_id(app, c) for c in codes])
    sids = {code: await make_session(app, f"T-MIX-{code}", training=code, starts_in_hours=24 * (10 + n))
            for n, code in enumerate(codes) if code != "CYB-101"}
    cohort = await paths.create_cohort(path, "C-MIX", list(sids.values()))
    return paths, elearning, path, cohort, sids


async def attend(app, user_id: int, session_id: int) -> None:
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE registrations SET status = 'attended' WHERE user_id = ? AND session_id = ?",
        (user_id, session_id)))


async def test_progress_two_of_four_then_the_path_attestation(app):
    paths, elearning, path, cohort, sids = await path_with_elearning(app)
    await onboard(app, 9841, "fr", full_name="Amina El Idrissi")
    assert (await paths.book_cohort(9841, cohort)).outcome == "booked"
    unfinished = await elearning.unfinished()
    assert [(u.user_id, u.url) for u in unfinished] == [(9841, "https://elearning.example.ma/cyb-101")]
    await attend(app, 9841, sids["DAT-201"])
    code = await elearning.learner_code(9841)
    report = await elearning.import_csv(f"learner,module,completed_at\n{code},CYB-101,2026-11-20\n")
    assert report.recorded == 1
    progress = await paths.progress(9841, path)
    assert (progress.done, progress.total) == (2, 4)
    assert [s.done for s in progress.steps] == [True, True, False, False]
    assert progress.next.module.code == "EGV-101" and progress.next.session_id == sids["EGV-101"]
    assert await paths.attestation(9841, path) is None
    assert await elearning.unfinished() == []
    for code in ("EGV-101", "IA-102"):
        await attend(app, 9841, sids[code])
    done = await paths.attestation(9841, path)
    assert done.full_name == "Amina El Idrissi"
    # The declared durations: DAT-201 21 h, CYB-101 6 h (estimated), EGV-101 14 h, IA-102 7 h.
    assert [(s.module.code, s.hours) for s in done.steps] == [
        ("DAT-201", 21), ("CYB-101", 6), ("EGV-101", 14), ("IA-102", 7)]
    assert done.hours == 48
    session = await app.bot_data.catalogue.session(sids["IA-102"])
    assert (done.steps[3].starts_at, done.steps[3].ends_at) == (session.starts_at, session.ends_at)


async def test_partial_attendance_counts_its_hours_and_not_the_module(app):
    paths, elearning, path, cohort, sids = await path_with_elearning(app)
    await onboard(app, 9842, "fr")
    await paths.book_cohort(9842, cohort)
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE registrations SET status = 'absent', hours_attended = 14 WHERE user_id = 9842"
        " AND session_id = ?", (sids["DAT-201"],)))
    progress = await paths.progress(9842, path)
    assert (progress.done, progress.steps[0].done, progress.steps[0].hours) == (0, False, 14)


async def test_csv_import_by_learner_code_reports_what_it_cannot_match(app):
    _, elearning = services(app)
    cyb = await training_id(app, "CYB-101")
    await onboard(app, 9851, "fr")
    await onboard(app, 9852, "ar")
    one, two = await elearning.learner_code(9851), await elearning.learner_code(9852)
    assert one != two and len(one) == 6 and set(one + two) <= set(ALPHABET)
    assert await elearning.learner_code(9851) == one  # made once
    await elearning.declare(9852, cyb)  # said by the person: the import confirms it
    text = ("code;module;date\n"
            f"{one.lower()};cyb-101;2026-11-20 14:30\n"
            f"{two};CYB-101;20/11/2026\n"
            "ZZZZZZ;CYB-101;2026-11-20\n"
            f"{one};NOPE-1;2026-11-20\n"
            f"{two};CYB-101;tomorrow\n"
            "\n"
            f"{one};CYB-101;2026-11-21\n")
    report = await elearning.import_csv(text)
    assert (report.recorded, report.already) == (2, 1)
    assert report.unknown_learners == [(4, "ZZZZZZ")]
    assert report.unknown_modules == [(5, "NOPE-1")]
    assert report.bad_dates == [(6, "tomorrow")]
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT user_id, completed_at, source FROM elearning_completion ORDER BY user_id").fetchall())
    # Morocco is UTC+0: the wall-clock times are the stored ones; the first completion is kept.
    assert [tuple(r) for r in rows] == [(9851, "2026-11-20 14:30:00", "import"),
                                        (9852, "2026-11-20 00:00:00", "import")]


async def test_a_declaration_counts_once_a_trainer_confirms_it(app):
    paths, elearning, path, cohort, _ = await path_with_elearning(app)
    await onboard(app, 9861, "fr")
    await paths.book_cohort(9861, cohort)
    cyb = await training_id(app, "CYB-101")
    assert await elearning.declare(9861, cyb) == "recorded"
    assert (await paths.progress(9861, path)).done == 0
    assert await elearning.unfinished() == []  # awaiting confirmation: no nudge
    assert await elearning.confirm(9861, cyb)
    assert (await paths.progress(9861, path)).done == 1


async def test_mydata_and_erasure_cover_cohorts_and_elearning(app):
    from handlers.privacy import privacy_service

    paths, elearning, path, cohort, _ = await path_with_elearning(app)
    await onboard(app, 9871, "fr")
    await paths.book_cohort(9871, cohort)
    code = await elearning.learner_code(9871)
    await elearning.import_csv(f"{code},CYB-101,2026-11-20 10:15\n")
    data = await privacy_service(app.bot_data).export(9871, "fr")
    assert [c["cohort"] for c in data["cohorts"]] == ["C-MIX"]
    assert data["elearning"][0] == {"learner_code": code}
    assert data["elearning"][1]["training_code"] == "CYB-101"
    await privacy_service(app.bot_data).erase(9871)
    assert (await db_row(app, "SELECT COUNT(*) FROM cohort_members WHERE user_id = 9871"))[0] == 0
    # The completion still counts, on the tombstone, to the day.
    row = await db_row(app, "SELECT user_id, completed_at FROM elearning_completion")
    assert row[0] < 0 and row[1] == "2026-11-20 00:00:00"
