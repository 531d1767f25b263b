"""Registration outcomes and refusal reasons are named once (bot/services/outcomes.py); the
screens that say them are checked against those names, so a typo or a new reason without a
text fails here instead of showing "This button is no longer valid." to someone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.services.outcomes import Outcome, Refusal

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ("handlers/registration.py", "handlers/approvals.py")


def function(path: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                and n.name == name)


def dict_keys(node: ast.AST) -> set[str]:
    return {k.value for d in ast.walk(node) if isinstance(d, ast.Dict)
            for k in d.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def compared_with(path: str, attribute: str) -> set[str]:
    """The strings a screen compares `<x>.<attribute>` with (==, !=, in)."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) \
                and node.left.attr == attribute:
            for right in node.comparators:
                for c in ast.walk(right):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str):
                        found.add(c.value)
    return found


def test_every_refusal_has_a_text_of_its_own_and_every_text_a_refusal():
    texts = (dict_keys(function("handlers/registration.py", "refusal_text"))
             | dict_keys(function("handlers/approvals.py", "refusal_text")))
    # Another person's button gets the one shared answer for stale buttons (handlers/buttons.py),
    # on purpose: it says nothing of whose registration it was.
    assert Refusal.NOT_YOURS.value not in texts
    assert texts | {Refusal.NOT_YOURS.value} == {r.value for r in Refusal}


@pytest.mark.parametrize("path", SCREENS)
def test_screens_compare_outcomes_that_exist(path):
    assert compared_with(path, "outcome") <= {o.value for o in Outcome}
    assert compared_with(path, "refusal") <= {r.value for r in Refusal}


def test_the_approval_screen_says_every_outcome_of_a_decision():
    said = dict_keys(function("handlers/approvals.py", "decide"))
    assert said and said <= {o.value for o in Outcome}


def test_an_unknown_reason_is_refused_loudly():
    from bot.services.registrations import _refused  # the one constructor of a refusal

    assert _refused("too_late").refusal is Refusal.TOO_LATE
    with pytest.raises(ValueError):
        _refused("tooo_late")
