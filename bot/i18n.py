"""Translators (one per update, never a process-global `_`), locale resolution and bidi helpers.

Message ids are English; French and Arabic catalogs translate every one of them. Placeholders
are named (`{name}`) and filled after translation, so a translator can move them freely.

Grammatical gender of the person addressed: Arabic conjugates "you" by sex (تريد / تريدين,
أنت مسجل / أنتِ مسجلة). A translator is made for a language *and* the person's recorded sex
(`translator(lang, sex)`, users.sex 'F' or 'M'). A message that addresses the person is marked
`t.to_person("…")` / `t.nto_person(s, p, n)` instead of `t._` / `t.ngettext`; the extractor
(bot/i18n_extract.py) puts it in the catalogs twice: plain (the masculine, and the default while
the sex is unknown, i.e. during onboarding before the sex question) and under msgctxt "female".
For a woman every lookup tries the "female" entry first and falls back to the plain one, so
only marked messages carry a second entry. French rarely agrees with "vous": its "female"
entries may stay empty (= same as the plain one); Arabic ones must be filled and differ
(tests/test_i18n.py).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from babel.support import Translations

from bot.timeutil import morocco

LANGUAGES = ("fr", "ar")
DEFAULT_LANGUAGE = "fr"
FEMALE = "female"  # the msgctxt of a message's form addressed to a woman
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
BABEL_LOCALE = {"fr": "fr_MA", "ar": "ar_MA"}

FSI, PDI = "\u2068", "\u2069"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


# French elides "de" before a vowel ("d'Omar", "d'Agadir", "le rôle d'administrateur"): the
# value is known only once filled, so the catalog says "de {name}" and the filling elides.
# Not before y or h: "de Youssef", "de Hassan" (an aspirated or foreign h keeps "de").
_DE = re.compile(r"\b([Dd])e ((?:<[a-z]+>)*)\{(\w+)\}")
_TAG = re.compile(r"<[^>]*>")
_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüæœ")


def elide(text: str, values: dict) -> str:
    """A French template with "de {x}" made "d'{x}" where the value of x begins with a vowel."""

    def one(match: re.Match) -> str:
        value = _TAG.sub("", str(values.get(match.group(3), "")))
        first = next((c for c in value if c.isalpha()), "")
        if not first or first.lower() not in _VOWELS:
            return match.group(0)
        return f"{match.group(1)}'{match.group(2)}{{{match.group(3)}}}"

    return _DE.sub(one, text)


class CatalogMissing(RuntimeError):
    """A compiled catalog is absent: the build did not run `make i18n`."""


@cache
def _translations(lang: str) -> Translations:
    mo = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        raise CatalogMissing(f"{mo} is missing: run `make i18n` (pybabel compile)")
    with mo.open("rb") as f:
        return Translations(f, domain=DOMAIN)


def check_catalogs() -> None:
    """Fail fast at start-up if a catalog is not compiled."""
    for lang in LANGUAGES:
        _translations(lang)


def resolve_language(stored: str | None, telegram_code: str | None) -> str:
    """The user's stored choice, else Telegram's language_code (fr-FR, ar-MA, ...), else French."""
    if stored in LANGUAGES:
        return stored
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


class Translator:
    """Everything language-dependent for one person: messages, plurals, dates, numbers, bidi."""

    def __init__(self, lang: str, sex: str | None = None) -> None:
        if lang not in LANGUAGES:
            lang = DEFAULT_LANGUAGE
        self.lang = lang
        self.female = sex == "F"
        self.locale = Locale.parse(BABEL_LOCALE[lang])
        self._tr = _translations(lang)
        self.rtl = lang == "ar"
        # Babel's formatting costs microseconds a call and the same few numbers and instants
        # come back on every screen; translators are shared and immutable, so memoise.
        self._numbers: dict[float, str] = {}
        self._dates: dict[tuple[str, datetime], str] = {}

    # -- messages ----------------------------------------------------------------------------
    # gettext's public calls, not its catalog dict (`_catalog`, private): measured, reading the
    # dict saved about 0.3 µs a message (1.6 µs for a woman), under 0.5 % of an update's cost.
    def _(self, msgid: str, **kwargs: object) -> str:
        text = self._tr.gettext(msgid)
        if self.female:  # her form (msgctxt "female") when the catalog has one
            feminine = self._tr.pgettext(FEMALE, msgid)
            if feminine != msgid:
                text = feminine
        return self._fill(text, kwargs) if kwargs else text

    def ngettext(self, singular: str, plural: str, n: int, **kwargs: object) -> str:
        text = self._tr.npgettext(FEMALE, singular, plural, n) if self.female else None
        if text is None or text in (singular, plural):  # none (or untranslated: the English)
            text = self._tr.ngettext(singular, plural, n)
        return self._fill(text, {"n": self.number(n), **kwargs})

    # A message that addresses the person (extracted plain and under msgctxt "female"): the
    # lookup is `_`'s, which for a woman already prefers the feminine form.
    to_person = _
    nto_person = ngettext

    def pgettext(self, context: str, msgid: str, **kwargs: object) -> str:
        text = self._tr.pgettext(context, msgid)
        return self._fill(text, kwargs) if kwargs else text

    def _fill(self, text: str, values: dict) -> str:
        if self.lang == "fr" and ("e {" in text or "e <" in text):  # a cheap test: hot path
            text = elide(text, values)
        return text.format(**values)

    # -- punctuation -------------------------------------------------------------------------
    def span(self, start: str, end: str) -> str:
        """A range of dates or times. Arabic says "من … إلى …": an arrow or a dash between two
        right-to-left runs points the wrong way or is reordered by the bidi algorithm."""
        return self.pgettext("range", "{start} – {end}", start=start, end=end)

    def join(self, parts) -> str:
        """Items of a list, with the Arabic comma (،) in Arabic."""
        return ("، " if self.rtl else ", ").join(parts)

    # -- data --------------------------------------------------------------------------------
    def pick(self, fr: str, ar: str) -> str:
        """Choose the bilingual data field in this language (falling back to the other one)."""
        return (ar or fr) if self.rtl else (fr or ar)

    def iso(self, text: str) -> str:
        """Isolate text of the other direction (names, codes, links) inside an Arabic message."""
        if self.rtl and _LATIN.search(text):
            return f"{FSI}{text}{PDI}"
        if not self.rtl and _ARABIC.search(text) and _LATIN.search(text):
            return f"{FSI}{text}{PDI}"
        return text

    def ordinal(self, n: int) -> str:
        """A rank: French 1re, 2e, 3e (of a feminine 'position'); Arabic uses the number."""
        if self.lang == "fr":
            return "1re" if n == 1 else f"{self.number(n)}e"
        return self.number(n)

    def number(self, n: float) -> str:
        text = self._numbers.get(n)
        if text is None:
            text = format_decimal(n, locale=self.locale)
            if len(self._numbers) < 10_000:
                self._numbers[n] = text
        return text

    def _memo(self, kind: str, instant: datetime, render) -> str:
        key = (kind, instant)
        text = self._dates.get(key)
        if text is None:
            text = render()
            if len(self._dates) > 50_000:  # bounded: sessions are finite, but be safe
                self._dates.clear()
            self._dates[key] = text
        return text

    def datetime(self, instant: datetime) -> str:
        pattern = "EEEE d MMMM y، HH:mm" if self.rtl else "EEEE d MMMM y, HH:mm"  # Arabic comma
        return self._memo("dt", instant, lambda: format_datetime(
            instant, pattern, tzinfo=morocco(), locale=self.locale))

    def date(self, instant: datetime) -> str:
        return self._memo("d", instant, lambda: format_date(
            instant.astimezone(morocco()), "d MMMM y", locale=self.locale))

    def short_date(self, instant: datetime) -> str:
        return self._memo("sd", instant, lambda: format_date(
            instant.astimezone(morocco()), "d MMM", locale=self.locale))

    def time(self, instant: datetime) -> str:
        return self._memo("t", instant, lambda: format_time(
            instant, "HH:mm", tzinfo=morocco(), locale=self.locale))

    def month(self, year: int, month: int) -> str:
        return format_date(datetime(year, month, 1), "MMMM y", locale=self.locale)


@cache
def translator(lang: str, sex: str | None = None) -> Translator:
    """Translators are immutable, so one per language and grammatical gender is shared by every
    update; `sex` is the person's recorded one ('F', 'M'), None while unknown (masculine)."""
    return Translator(lang, "F" if sex == "F" else None)
