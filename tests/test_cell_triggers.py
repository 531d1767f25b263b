"""The indicator cells' triggers run on every change of a registration's status (joining,
cancelling, an offer): they test a status by comparisons, never by an IN list of constants,
which SQLite turns into a temporary index built anew on every row a trigger fires for (the
registration path's costliest statement, `python -m bench --statements`). An existing database
gets the new triggers from its migration, with the same counts."""

from __future__ import annotations

import re

from bot.storage import migrations, schema_cells
from tests.conftest import db_row, make_session, onboard
from tests.test_indicator_facts import assert_in_step

IN_LIST = re.compile(r"\bIN\s*\(\s*'", re.IGNORECASE)
ANY_OF = re.compile(r"\((\w+)\.status = '\w+'(?: OR \1\.status = '\w+')+\)")


async def cell_triggers(app) -> dict[str, str]:
    return dict(await app.bot_data.db.read(lambda c: c.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN"
        " ('registrations', 'registration_facts')").fetchall()))


async def test_no_trigger_of_a_registration_change_tests_an_in_list(app):
    found = await cell_triggers(app)
    assert {"indicator_cells_change", "indicator_cells_insert", "registration_facts_status"} <= set(found)
    assert not [name for name, sql in found.items() if IN_LIST.search(sql)]


async def test_the_migration_replaces_old_triggers_and_the_counts_stay_right(app):
    # The triggers as the previous release wrote them: the same counters, with IN lists.
    def old_release(conn):
        for statement in schema_cells.TRIGGERS:
            name = re.search(r"TRIGGER (\w+)", statement).group(1)
            conn.execute(f"DROP TRIGGER {name}")
            conn.execute(ANY_OF.sub(lambda m: f"({m.group(1)}.status IN ("
                                    + ", ".join(re.findall(r"'\w+'", m.group(0))) + "))", statement))

    await app.bot_data.db.write(old_release)
    assert any(IN_LIST.search(sql) for sql in (await cell_triggers(app)).values())
    await app.bot_data.db.write(migrations.MIGRATIONS[-1])  # this release's step
    assert not any(IN_LIST.search(sql) for sql in (await cell_triggers(app)).values())
    # Join, queue, cancel (the seat is offered on): the cells equal a recount from the facts.
    sid = await make_session(app, "T-CELLS", capacity=1)
    for uid in (8801, 8802, 8803):
        await onboard(app, uid, "fr", sex="F" if uid % 2 else "M", administration_code="MJ")
        await app.bot_data.registrations.join(uid, sid)
    reg = (await db_row(app, "SELECT id FROM registrations WHERE user_id = 8801"))[0]
    await app.bot_data.registrations.cancel(8801, reg)
    await assert_in_step(app)
    cell = await db_row(app, "SELECT registrations, confirmed, pending, ended FROM indicator_cells"
                             " WHERE session_id = ? AND kind = 'S' AND sex = 'F'", sid)
    assert tuple(cell) == (2, 0, 1, 1)  # 8801 cancelled, 8803 waiting; 8802 (M) holds the offer
