"""The knowledge-test figures in the exports (issue 17): each registration's pre- and final-test
scores and its normalised gain (only where both exist) in the registrations export, and the
"Learning gains" export — the mean gain by sex, administration, position and theme, groups under
5 hidden and counted — read back from the workbook's cells, in French and in Arabic, national
and for a focal point (their administration only)."""

from __future__ import annotations

import pytest

from bot.services import vocabulary as vocab
from bot.services.knowledge_tests import KnowledgeTests
from tests.conftest import db_row
from tests.reports_data import staff
from tests.test_exports import columns, read_csv, sheet_of
from tests.test_knowledge_tests import PEOPLE, a_session_with_a_test, values

GAIN_COLUMNS = ("Breakdown", "Group", "People", "Mean normalised gain (%)")


async def with_attempts(app, clock):
    """PEOPLE take both tests (gains 0.5, 2/3, 1, 1, 1 for the five women, -0.25 for the man),
    and 9207, who came late, the final test only (4/4): no gain for her."""
    # Only this test's people (the demo seeded at start-up has its own attempts).
    await app.bot_data.db.write(lambda c: c.executescript(
        "DELETE FROM test_passes; DELETE FROM test_answers; DELETE FROM test_attempts;"))
    sid, regs = await a_session_with_a_test(app, clock)
    from tests.conftest import onboard

    await onboard(app, 9207, full_name="Late Comer")
    assert (await app.bot_data.registrations.join(9207, sid)).outcome == "confirmed"
    regs[9207] = (await db_row(app, "SELECT id FROM registrations WHERE user_id = 9207"))[0]
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE users SET full_name = 'Person ' || id WHERE id BETWEEN 9201 AND 9206"))
    tests = KnowledgeTests(app.bot_data.db, clock)
    for uid, (_, pre, post) in PEOPLE.items():
        assert (await tests.submit(uid, regs[uid], "pre", values(pre))).outcome == "done"
        assert (await tests.submit(uid, regs[uid], "post", values(post))).outcome == "done"
    assert (await tests.submit(9207, regs[9207], "post", values(PEOPLE[9203][2]))).score == 4
    return sid


async def export(client, t, kind_label: str, fmt_label: str):
    await client.send("/export")
    await client.click(kind_label)
    await client.click(fmt_label)
    return client.last_message


def labels(app, t):
    ref = app.bot_data.reference
    theme = (ref.get("themes", "CYBER"))
    return (t.pick(ref.get("administrations", "MEF").name_fr, ref.get("administrations", "MEF").name_ar),
            t.pick(ref.get("positions", "cadre").name_fr, ref.get("positions", "cadre").name_ar),
            t.pick(theme.name_fr, theme.name_ar))


async def test_registrations_carry_scores_and_gain_where_both_exist(app, person, clock, fr):
    await with_attempts(app, clock)
    coord = await staff(app, person, 9000, "fr")
    message = await export(coord, fr, fr._("Registrations"), fr._("Excel (XLSX)"))
    rows = list(sheet_of(message).iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-3:] == columns(fr, "Pre-test score (%)", "Final test score (%)", "Normalised gain (%)")
    name = header.index(fr.pgettext("column", "Name"))
    by_name = {r[name]: r[-3:] for r in rows[1:] if r[0] == "T-QUIZ"}
    assert by_name["Person 9201"] == (0, 50, 50)  # 0/4 → 2/4: half of what was left
    assert by_name["Person 9202"] == (25, 75, pytest.approx(66.7))
    assert by_name["Person 9206"] == (100, 75, -25)  # a perfect pre-test: a quarter lost
    assert by_name["Late Comer"] == (None, 100, None)  # no pre-test: no gain
    others = [r for r in rows[1:] if r[0] != "T-QUIZ"]
    assert others and all(r[-3:] == (None, None, None) for r in others)  # nobody else was tested


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_gains_export_by_group_hides_groups_under_five(app, person, clock, lang):
    from bot.i18n import translator

    t = translator(lang, "F")
    await with_attempts(app, clock)
    coord = await staff(app, person, 9000, lang)
    await coord.send("/export")
    await coord.click(t._("Learning gains"))
    assert t._("The mean normalised gain of the knowledge tests, for the people who took both the "
               "pre-test and the final test, by sex, administration, position and theme; groups of "
               "fewer than {min} people are hidden and counted.", min=t.number(5)) in coord.last_message.text
    await coord.click(t._("Excel (XLSX)"))
    message = coord.last_message
    assert message.caption == t.ngettext("{kind}: {n} row", "{kind}: {n} rows", 5, kind=t._("Learning gains"))
    sheet = sheet_of(message)
    assert bool(sheet.sheet_view.rightToLeft) == (lang == "ar")
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    administration, position, theme = labels(app, t)
    everyone = round((0.5 + 2 / 3 + 3 - 0.25) / 6 * 100, 1)
    assert rows == [
        columns(t, *GAIN_COLUMNS),
        [vocab.dimension(t, "sex"), vocab.sex(t, "F"), 5, round((0.5 + 2 / 3 + 3) / 5 * 100, 1)],
        [vocab.dimension(t, "sex"), t.ngettext("{n} group of fewer than {min} people, not shown",
                                               "{n} groups of fewer than {min} people, not shown", 1,
                                               min=t.number(5)), None, None],  # the one man
        [vocab.dimension(t, "administration"), administration, 6, everyone],
        [vocab.dimension(t, "position"), position, 6, everyone],
        [vocab.dimension(t, "theme"), theme, 6, everyone],
    ]
    assert everyone == 65.3


async def test_a_focal_point_gets_their_administration_only_in_csv(app, person, clock, fr):
    await with_attempts(app, clock)
    other = await staff(app, person, 9010, "fr", role="focal_point", administration="MJ")
    await export(other, fr, fr._("Learning gains"), fr._("CSV (Excel, ;)"))
    assert other.last_message.text == fr._("Nothing to export yet.")  # nobody of the MJ took both
    mine = await staff(app, person, 9011, "fr", role="focal_point", administration="MEF")
    rows = read_csv(await export(mine, fr, fr._("Learning gains"), fr._("CSV (Excel, ;)")))
    assert rows[0] == columns(fr, *GAIN_COLUMNS)
    assert rows[1] == [vocab.dimension(fr, "sex"), vocab.sex(fr, "F"), "5", "83,3"]  # decimal comma
    assert [r[2:] for r in rows[3:]] == [["6", "65,3"]] * 3


async def test_the_command_line_writes_the_same_gains(app, clock, tmp_path, monkeypatch, fr):
    import asyncio

    from openpyxl import load_workbook

    from bot.cli import main

    await with_attempts(app, clock)
    monkeypatch.setenv("ETAMKEEN_DB", str(app.bot_data.settings.db_path))
    out = tmp_path / "gains.xlsx"
    assert await asyncio.to_thread(main, ["--env-file", str(tmp_path / "none.env"), "export", "gains",
                                          "--out", str(out), "--language", "fr"]) == 0
    rows = [list(r) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == columns(fr, *GAIN_COLUMNS)
    assert rows[1] == [vocab.dimension(fr, "sex"), vocab.sex(fr, "F"), 5, 83.3]
