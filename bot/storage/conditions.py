"""Skip conditions of questionnaires (XLSForm's `relevant`, the simple part): a question is asked
only when `${q} = 'code'`, `${q} != 'code'` or `${q} >= n` (=, !=, >, >=, <, <=) holds for an
earlier answer. Parsed by a regular expression, never evaluated as code: a workbook is untrusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_FORM = re.compile(r"^\$\{([a-z][a-z0-9_]*)\}\s*(=|!=|>=|<=|>|<)\s*"
                   r"(?:'([^']*)'|\"([^\"]*)\"|(-?\d+(?:[.,]\d+)?))$")
NUMERIC = (">", ">=", "<", "<=")


@dataclass(frozen=True)
class Condition:
    qid: str
    op: str
    value: str  # a code, or a number written canonically ("3", "2.5")
    numeric: bool  # written as a bare number

    def text(self) -> str:
        """The canonical spelling, as stored and exported."""
        return f"${{{self.qid}}} {self.op} {self.value if self.numeric else repr_quoted(self.value)}"


def repr_quoted(value: str) -> str:
    return f"'{value}'"


def canonical_number(raw: str) -> str | None:
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else str(number)


def parse(text: str) -> Condition | None:
    """The condition, or None when it is not of the supported form."""
    m = _FORM.match(text.strip())
    if m is None:
        return None
    qid, op, single, double, number = m.groups()
    if number is not None:
        value = canonical_number(number)
        return Condition(qid, op, value, True) if value is not None else None
    if op in NUMERIC:
        return None  # '>' compares numbers only
    return Condition(qid, op, single if single is not None else double, False)


def _values(answer: Any) -> set[str]:
    if answer.choice is not None:
        return {c for c in answer.choice.split(",") if c}
    if answer.score is not None:
        return {str(answer.score)}
    return {answer.text} if answer.text is not None else set()


def holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether the condition holds; an unanswered or skipped question satisfies nothing (as in
    XLSForm, where an empty value compares false). `=` on several choices means "among them"."""
    answer = answers.get(condition.qid)
    if answer is None or getattr(answer, "skipped", False):
        return False
    values = _values(answer)
    if condition.op == "=":
        return condition.value in values
    if condition.op == "!=":
        return condition.value not in values
    numbers = [float(n) for n in (canonical_number(v) for v in values) if n is not None]
    if len(numbers) != 1:
        return False
    left, right = numbers[0], float(condition.value)
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[condition.op]
