"""The catalogs fail the build when a translation is missing, fuzzy, broken or out of date."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import FEMALE, LANGUAGES, LOCALES_DIR, Translator, resolve_language, translator
from bot.i18n_extract import KEYWORDS
from bot.text import fold

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?([a-z]+)[^>]*>")
METHOD = "bot.i18n_extract:extract"  # what babel.cfg names


def catalog(lang: str):
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def entries(lang: str):
    return [m for m in catalog(lang) if m.id]


def strings(m) -> tuple[str, ...]:
    return m.string if isinstance(m.string, tuple) else (m.string,)


def ids(m) -> tuple[str, ...]:
    return m.id if isinstance(m.id, tuple) else (m.id,)


def same_as_plain(lang: str, m) -> bool:
    """A French "female" entry still empty (`make i18n` fills it with the plain form: French does
    not agree there)."""
    return lang == "fr" and m.context == FEMALE and not any(strings(m))


def in_code() -> set[tuple[str | None, object]]:
    """(context, msgid) of every message the code marks, as `make extract` sees them."""
    found = set()
    for folder in ("bot", "handlers", "conversations"):
        for _, _, msgid, _, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", METHOD)], keywords=KEYWORDS
        ):
            found.add((context, msgid))
    return found


def missing_feminine(ar_catalog, marked) -> list:
    """Messages marked as addressing the person whose Arabic feminine form is absent, empty or
    the same as the masculine one (a form left to do, or a message marked by mistake)."""
    bad = []
    for _, msgid in marked:
        plain, female = ar_catalog.get(msgid), ar_catalog.get(msgid, context=FEMALE)
        if plain is None or female is None or not all(strings(female)) \
                or strings(female) == strings(plain):
            bad.append(msgid)
    return bad


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    bad = [ids(m)[0] for m in entries(lang)
           if m.fuzzy or not (all(strings(m)) or same_as_plain(lang, m))]
    assert not bad, f"{lang}: untranslated or fuzzy: {bad}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_the_msgid_exactly(lang):
    bad = []
    for m in entries(lang):
        want = sorted(set(PLACEHOLDER.findall(" ".join(ids(m)))))
        for s in filter(None, strings(m)):
            if sorted(set(PLACEHOLDER.findall(s))) != want:
                bad.append((ids(m)[0], s))
    assert not bad, bad


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_tags_match_the_msgid(lang):
    bad = []
    for m in entries(lang):
        want = sorted(TAG.findall(ids(m)[0]))
        bad += [(ids(m)[0], s) for s in filter(None, strings(m)) if sorted(TAG.findall(s)) != want]
    assert not bad, bad


@pytest.mark.parametrize("lang", LANGUAGES)
def test_babel_checks_pass(lang):
    problems = [(m.id, errors) for m, errors in catalog(lang).check()]
    assert not problems, problems


def test_plural_forms_header_is_babels():
    for lang in LANGUAGES:
        expected = get_plural(lang)
        assert catalog(lang).num_plurals == expected.num_plurals
        assert catalog(lang).plural_expr.replace(" ", "") == expected.plural_expr.replace(" ", "")


# Babel 2.19 (CLDR 47). Arabic: zero, one, two, few (3-10), many (11-99), other (100-102, 1000...).
# French: 0 and 1 singular; whole millions have a form of their own ("1 000 000 de formations").
@pytest.mark.parametrize("lang, n, form", [
    *(("ar", n, form) for n, form in [(0, 0), (1, 1), (2, 2), (3, 3), (11, 4), (100, 5), (101, 5),
                                      (102, 5), (103, 3), (111, 4), (1000, 5)]),
    *(("fr", n, form) for n, form in [(0, 0), (1, 0), (2, 2), (11, 2), (100, 2), (1_000_000, 1),
                                      (3_000_000, 1), (1_000_001, 2)]),
])
def test_plural_form_chosen_for_n(lang, n, form):
    t = translator(lang)
    m = next(m for m in entries(lang) if m.id == ("{n} training", "{n} trainings"))
    assert t.ngettext("{n} training", "{n} trainings", n) == m.string[form].format(n=t.number(n))


def test_arabic_hundreds_take_the_genitive_and_elevens_the_accusative():
    """The catalog's forms follow Babel's order (many: 11–99, then other: 100–102, 1000...)."""
    t = translator("ar")
    msg = ("Done: {n} person is being told.", "Done: {n} people are being told.")
    assert "شخصًا" in t.ngettext(*msg, 11) and "شخصًا" in t.ngettext(*msg, 99)
    for n in (100, 102, 1000):
        assert "شخص" in t.ngettext(*msg, n) and "شخصًا" not in t.ngettext(*msg, n)


def test_french_million_form_says_de():
    t = translator("fr")
    assert t.ngettext("{n} training", "{n} trainings", 1_000_000) == "1\u202f000\u202f000 de formations"
    assert t.ngettext("{n} registration", "{n} registrations", 2_000_000) == \
        "2\u202f000\u202f000 d'inscriptions"


def test_arabic_messages_start_right_to_left():
    """Telegram sets the direction from the first strong character: Arabic must come first."""
    bad = []
    for m in entries("ar"):
        for s in strings(m):
            if s.startswith("/") or ids(m)[0] == "Français / العربية":
                continue  # a command line of /help, or the language names themselves
            stripped = TAG.sub("", PLACEHOLDER.sub("", s))
            first = next((c for c in stripped if c.isalpha()), "")
            if first and not "\u0600" <= first <= "\u06ff":
                bad.append(s)
    assert not bad, bad


def test_catalogs_are_up_to_date_with_the_code():
    """Every string the code marks is in the catalogs (run `make i18n` after adding one)."""
    marked = in_code()
    for lang in LANGUAGES:
        in_catalog = {(m.context, m.id) for m in entries(lang)}
        missing = {x for x in marked if x not in in_catalog}
        assert not missing, f"{lang} lacks {missing}: run `make i18n` and translate"


def test_every_message_addressing_the_person_has_its_arabic_feminine_form():
    """`t.to_person` / `t.nto_person` messages: Arabic says تريدين، اختاري، أنتِ مسجَّلة to a woman."""
    marked = {(c, m) for c, m in in_code() if c == FEMALE}
    assert len(marked) > 40  # the extractor does see them
    bad = missing_feminine(catalog("ar"), marked)
    assert not bad, f"no Arabic feminine form (msgctxt \"female\") for {bad}"


def test_the_makefile_extracts_with_the_same_keywords_and_extractor():
    makefile = (ROOT / "Makefile").read_text()
    flags = set(re.findall(r"-k (\w+)", makefile))
    assert flags == set(KEYWORDS), flags ^ set(KEYWORDS)
    assert "python_person = " + METHOD in (ROOT / "babel.cfg").read_text()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_check(lang):
    po = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    empty = sum(same_as_plain(lang, m) for m in entries(lang))  # French "female" entries only
    if empty:
        assert f"{empty} untranslated" in result.stderr, result.stderr
    else:
        assert "untranslated" not in result.stderr, result.stderr
    assert "warning" not in result.stderr, result.stderr


@pytest.mark.parametrize("code, expected", [
    ("fr", "fr"), ("fr-FR", "fr"), ("ar", "ar"), ("ar-MA", "ar"), ("AR_ma", "ar"), ("en", "fr"),
    (None, "fr"), ("", "fr"),
])
def test_language_resolution(code, expected):
    assert resolve_language(None, code) == expected
    assert resolve_language("ar", code) == "ar"  # a stored choice wins


def test_dates_and_numbers_follow_the_language():
    from datetime import UTC, datetime

    instant = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    assert Translator("fr").datetime(instant) == "jeudi 3 décembre 2026, 09:30"
    assert Translator("ar").datetime(instant).startswith("الخميس 3 دجنبر 2026")
    assert Translator("fr").number(1234) == "1\u202f234"


def test_fold_ignores_case_accents_and_arabic_diacritics():
    assert fold("Cybersécurité") == fold("CYBERSECURITE")
    assert fold("الأَمْنُ") == fold("الامن")
    assert fold("المعلوميّات") == fold("المعلوميات")
    assert fold("مدرسة") == fold("مدرسه")


def test_bidi_isolation_of_latin_inside_arabic():
    t = Translator("ar")
    assert t.iso("Amina") == "\u2068Amina\u2069"
    assert t.iso("أمينة") == "أمينة"
    assert Translator("fr").iso("Amina") == "Amina"


def test_a_missing_compiled_catalog_fails_fast(tmp_path, monkeypatch):
    import bot.i18n as i18n

    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        with pytest.raises(i18n.CatalogMissing, match="make i18n"):
            i18n.check_catalogs()
    finally:
        monkeypatch.undo()
        i18n._translations.cache_clear()


