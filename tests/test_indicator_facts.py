"""The reporting facts stay equal to what the source tables say, whatever changes them."""

from __future__ import annotations

from bot.storage import schema_indicators
from bot.storage import users as users_repo
from tests.conftest import db_row, make_session, onboard
from tests.reports_data import evaluate, finished_session

_FACTS = "SELECT * FROM registration_facts ORDER BY session_id, registration_id"
_CELLS = ("SELECT * FROM indicator_cells"
          " ORDER BY session_id, kind, administration_code, level, region_code, sex")
_SCORES = "SELECT * FROM score_cells ORDER BY session_id, kind, qid, sex"
_LIVE = """SELECT g.session_id, g.id, g.status, u.sex, u.administration_code, u.level, u.region_code
             FROM registrations g LEFT JOIN users u ON u.id = g.user_id ORDER BY g.session_id, g.id"""


async def facts(app) -> list[tuple]:
    return [tuple(r) for r in await app.bot_data.db.read(lambda c: c.execute(_FACTS).fetchall())]


async def assert_in_step(app) -> None:
    """The facts equal a fresh recomputation, and their dimensions equal the plain join."""
    kept = await facts(app)
    live = [tuple(r) for r in await app.bot_data.db.read(lambda c: c.execute(_LIVE).fetchall())]
    assert [row[:7] for row in kept] == live

    def rebuilt(conn):
        cells = [[tuple(r) for r in conn.execute(sql)] for sql in (_CELLS, _SCORES)]
        conn.execute("SAVEPOINT check_facts")
        schema_indicators.rebuild(conn)  # the facts, then their cells
        rows = [[tuple(r) for r in conn.execute(sql)] for sql in (_FACTS, _CELLS, _SCORES)]
        conn.execute("ROLLBACK TO check_facts")
        conn.execute("RELEASE check_facts")
        return cells, rows

    (cells, scores), (facts_again, cells_again, scores_again) = await app.bot_data.db.write(rebuilt)
    assert facts_again == kept
    assert cells_again == cells and cells
    assert scores_again == scores


async def test_the_demo_and_every_change_keep_the_facts_in_step(app, person, fr):
    await assert_in_step(app)
    # Registering, being waitlisted, cancelling (the seat passes on): only states change.
    sid = await make_session(app, "T-FACTS", capacity=1)
    for uid in (8601, 8602):
        await onboard(app, uid, "fr", sex="F" if uid == 8601 else "M", administration_code="MJ")
        await app.bot_data.registrations.join(uid, sid)
    await assert_in_step(app)
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = 8601 AND session_id = ?", sid))[0]
    await app.bot_data.registrations.cancel(8601, reg)
    statuses = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT status FROM registration_facts WHERE session_id = ? ORDER BY registration_id",
        (sid,)).fetchall())
    assert [r[0] for r in statuses] == ["cancelled", "offered"]
    await assert_in_step(app)
    # A corrected profile corrects the reports.
    await app.bot_data.db.write(users_repo.update_fields, 8602, {"sex": "F", "administration_code": "MEF"},
                                app.bot_data.clock.now())
    await assert_in_step(app)
    row = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT f.sex, f.administration_code FROM registration_facts f JOIN registrations g"
        " ON g.id = f.registration_id WHERE g.user_id = 8602").fetchone())
    assert tuple(row) == ("F", "MEF")


async def test_evaluations_and_erasure_keep_the_facts_in_step(app):
    sid = await finished_session(app, "T-FACTS-EV", [(8700 + i, "F", "HCP", "attended") for i in range(5)])
    await evaluate(app, sid, [5, 4, 3, 2, 1])
    await evaluate(app, sid, [1, 5, 5], kind="cold")
    await assert_in_step(app)
    got = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT SUM(hot), SUM(satisfaction), SUM(cold), SUM(applied) FROM registration_facts"
        " WHERE session_id = ?", (sid,)).fetchone())
    assert tuple(got) == (5, 15, 3, 2)
    scored = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT qid, sex, respondents, total FROM score_cells WHERE session_id = ? AND kind = 'hot'"
        " ORDER BY qid", (sid,)).fetchall())
    assert [tuple(r) for r in scored] == [("objectives", "F", 5, 15), ("satisfaction", "F", 5, 15)]
    # An answer changed after the submission is counted as it is now.
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE answers SET score = 1 WHERE qid = 'objectives' AND score = 5 AND response_id IN"
        " (SELECT r.id FROM responses r JOIN registrations g ON g.id = r.registration_id"
        " WHERE g.session_id = ?)", (sid,)))
    await assert_in_step(app)
    # A response that goes takes its answers with it (cascade), from the cells too.
    await app.bot_data.db.write(lambda c: c.execute(
        "DELETE FROM responses WHERE kind = 'hot' AND registration_id = (SELECT MIN(id) FROM"
        " registrations WHERE session_id = ?)", (sid,)))
    assert (await db_row(app, "SELECT SUM(respondents) FROM score_cells WHERE session_id = ?"
                         " AND qid = 'satisfaction'", sid))[0] == 4
    await assert_in_step(app)
    # An erased person's rows follow their anonymous tombstone and keep counting.
    before = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT COUNT(*), SUM(hot) FROM registration_facts WHERE administration_code = 'HCP'").fetchone())
    await app.bot_data.privacy.erase(8700)
    after = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT COUNT(*), SUM(hot) FROM registration_facts WHERE administration_code = 'HCP'").fetchone())
    assert tuple(after) == tuple(before)
    await assert_in_step(app)
