"""Babel's Python extractor, plus the messages that address the person (bot/i18n.py).

`t.to_person("…")` is extracted as `_("…")` and as `pgettext("female", "…")`;
`t.nto_person(s, p, n)` as `ngettext(s, p, n)` and `npgettext("female", s, p, n)`. So the
catalogs hold a "female" entry exactly for the marked messages, and a marked message whose
Arabic feminine form is missing fails the catalog tests. babel.cfg names this extractor; the
Makefile's keywords and tests/test_i18n.py use KEYWORDS.
"""

from __future__ import annotations

from babel.messages.extract import extract_python

from bot.i18n import FEMALE

KEYWORDS = {
    "_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3),
    "to_person": None, "nto_person": (1, 2),
}
_PLAIN = {"to_person": "_", "nto_person": "ngettext"}
_FEMININE = {"to_person": "pgettext", "nto_person": "npgettext"}


def extract(fileobj, keywords, comment_tags, options):
    for lineno, funcname, messages, comments in extract_python(fileobj, keywords, comment_tags,
                                                               options):
        if funcname not in _PLAIN:
            yield lineno, funcname, messages, comments
            continue
        messages = tuple(messages) if isinstance(messages, list | tuple) else (messages,)
        yield lineno, _PLAIN[funcname], messages, comments
        yield lineno, _FEMININE[funcname], (FEMALE, *messages), comments
