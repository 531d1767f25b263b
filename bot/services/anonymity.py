"""Which of a respondent's dimensions a file released without names may show.

Answers exported without names are still personal data if they can be joined back to a person:
the registrations export lists every official with their training, sex and administration, so
an answer row carrying a combination that fewer than MIN_GROUP people share points at someone.
The rule here makes every released row share everything it shows with at least MIN_GROUP
*people* (not answers: a person may answer twice) of the same block (a training, an evaluation
kind and a questionnaire version), so a join yields at least MIN_GROUP candidates:

1. an administration is shown if at least MIN_GROUP people of the block belong to it; the
   others are pooled as "other administrations", released only if that pool has MIN_GROUP;
2. within each shown group, sex is shown only if *every* sex present there has MIN_GROUP people
   (hiding just the small one would give it away: it is the one left).

The decision for an administration depends on that administration's people only, so a focal
point's file holds exactly the national file's rows of their administration: comparing the two
tells nothing more than either does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

MIN_GROUP = 5  # as everywhere else a group is shown (DESIGN 5.3)
OTHER = object()  # an administration pooled with the other small ones
HIDDEN = object()  # a sex not shown


def release(people: Sequence[tuple[int, str | None, str | None]],
            k: int = MIN_GROUP) -> list[tuple[object, object] | None]:
    """For each respondent (person, administration, sex) of one block, the administration and
    sex that may be shown (OTHER / HIDDEN when they may not), or None: left out."""
    by_administration: dict[str | None, set[int]] = defaultdict(set)
    for person, administration, _ in people:
        by_administration[administration].add(person)
    group = [a if len(by_administration[a]) >= k else OTHER for _, a, _ in people]
    members: dict[object, set[int]] = defaultdict(set)
    by_sex: dict[object, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (person, _, sex), g in zip(people, group, strict=True):
        members[g].add(person)
        by_sex[g][sex].add(person)
    split = {g: all(len(p) >= k for p in sexes.values()) for g, sexes in by_sex.items()}
    return [None if len(members[g]) < k else (g, sex if split[g] else HIDDEN)
            for (_, _, sex), g in zip(people, group, strict=True)]
