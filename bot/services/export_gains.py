"""The knowledge-test figures in the exports (issue 17): the registrations export carries each
registration's pre- and final-test scores and its normalised gain (only where both tests
exist), and the "gains" export the mean gain by sex, administration, position and theme —
computed by the same function as the dashboard's *Learning gains*, groups under 5 hidden and
counted. Scores are shares of the test's maximum, so versions of different lengths compare."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from bot.i18n import Translator
from bot.services import knowledge_tests, test_scoring
from bot.services import vocabulary as vocab
from bot.storage import knowledge_tests as tests_repo


def percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def test_columns(t: Translator) -> list[str]:
    return [t.pgettext("column", "Pre-test score (%)"), t.pgettext("column", "Final test score (%)"),
            t.pgettext("column", "Normalised gain (%)")]


def test_cells(r: sqlite3.Row) -> list[float | None]:
    """A registration's scores (None: not taken) and its gain (None unless both were taken)."""
    gain = test_scoring.normalised_gain(r["pre"], r["pre_max"], r["post"], r["post_max"])
    return [None if r["pre"] is None else percent(r["pre"] / r["pre_max"]),
            None if r["post"] is None else percent(r["post"] / r["post_max"]), percent(gain)]


def gains(conn: sqlite3.Connection, t: Translator, names: vocab.Namer, administration: str | None):
    """(header, rows) of the mean normalised gain by group, one block per dimension."""
    header = [t.pgettext("column", "Breakdown"), t.pgettext("column", "Group"),
              t.pgettext("column", "People"), t.pgettext("column", "Mean normalised gain (%)")]
    pairs = tests_repo.pairs(conn, administration)
    k = t.number(test_scoring.MIN_GROUP)

    def rows() -> Iterator[list]:
        for dim in knowledge_tests.DIMENSIONS:
            groups, hidden = knowledge_tests.gains_from(pairs, dim)
            for key, (n, gain) in sorted(groups.items(), key=lambda kv: names(dim, kv[0])):
                yield [vocab.dimension(t, dim), names(dim, key), n, percent(gain)]
            if hidden:
                yield [vocab.dimension(t, dim),
                       t.ngettext("{n} group of fewer than {min} people, not shown",
                                  "{n} groups of fewer than {min} people, not shown", hidden, min=k),
                       None, None]

    return header, rows()
