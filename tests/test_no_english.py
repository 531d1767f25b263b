"""No English reaches a person: the screens each role sees, rendered in French and in Arabic,
hold no common English word. A message built outside the translator (a call inside an f-string
escapes extraction and stays English) fails here."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

from tests.reports_data import staff
from tests.test_attendance import AR_TRAINER, PEOPLE, session_with, trainer_client
from tests.test_evaluations import attended

# Common English words of the bot's vocabulary. In French output the words French spells the
# same way (session, place, date, menu, absent, minutes, an, or, me, change, on) are allowed.
ENGLISH = set("""
    the and of with until from for to by at in is are be was were will has have this that these
    there here your you my our we it its not no all none nothing only more less see view show
    register registered registration registrations session sessions place places seat seats
    training trainings evaluation evaluations attendance attended present absent waitlist waiting
    pending confirmed cancelled cancel confirm back next previous open closed choose tap edit change
    help profile language date menu minutes hours days free full online questionnaire answer
    answers an or me on yes
""".split())
FRENCH_TOO = {"session", "sessions", "place", "places", "date", "menu", "absent", "minutes", "an",
              "or", "me", "change", "on", "questionnaire"}
# What is not the bot's language: commands, links, and code shown as code.
NOT_WORDS = re.compile(r"/[a-z_]+|https?://\S+|<code>.*?</code>|t\.me/\S+", re.S)
WORD = re.compile(r"[^\W\d_]+")  # whole words: "confirmée" is not "confirm"


def as_read(source: str) -> str:
    """A message's words as a person reads them: what Telegram shows as code (a learner code,
    a verification code: random letters, "V4BY4N" is not the English "by") left out."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(code|pre)>.*?</\1>", " ", source, flags=re.S)))


def english_words(text: str, lang: str) -> set[str]:
    words = {w.lower() for w in WORD.findall(NOT_WORDS.sub(" ", text))}
    suspects = ENGLISH - FRENCH_TOO if lang == "fr" else ENGLISH
    return words & suspects


class Seen:
    """Everything a person was shown: texts, captions, buttons and popup answers."""

    def __init__(self) -> None:
        self.screens: list[tuple[str, str]] = []

    async def __call__(self, client, step: str, action) -> None:
        shown = await action
        for m in shown or []:
            self.screens.append((step, "\n".join([as_read(m.html), *m.flat_buttons])))
        if getattr(client, "last_answer", None) and client.last_answer.get("text"):
            self.screens.append((step, client.last_answer["text"]))
            client.last_answer = None


async def walk(t, official, trainer, coordinator) -> Seen:
    seen = Seen()
    await seen(official, "/start", official.send("/start"))
    await seen(official, "/catalogue", official.send("/catalogue"))
    for step in ("theme", "training", "session card"):
        await seen(official, step, official.press(1))
    for command in ("/mytrainings", "/evaluations", "/profile", "/help"):
        await seen(official, command, official.send(command))
    await seen(coordinator, "/dashboard", coordinator.send("/dashboard"))
    await seen(coordinator, "dashboard period", coordinator.click(t._("All time")))
    await seen(coordinator, "/help (coordinator)", coordinator.send("/help"))
    await seen(trainer, "/mysessions", trainer.send("/mysessions"))
    await seen(trainer, "trainer's session", trainer.press(1))
    await seen(trainer, "attendance", trainer.click(t._("📋 Attendance")))
    await seen(trainer, "/help (trainer)", trainer.send("/help"))
    return seen


async def people(app, person, clock):
    """An official in each language who attended a session (a questionnaire waits) and is
    registered for an upcoming one; a trainer and a coordinator in each language."""
    _, regs, _ = await attended(app, person, clock, "T-NOENG-1", PEOPLE[:2])
    await session_with(app, person, "T-NOENG-2", PEOPLE[:2], trainer=AR_TRAINER, starts_in_hours=48)
    return {
        "fr": (regs[7001][0], await trainer_client(app, person),
               await staff(app, person, 8801, "fr")),
        "ar": (regs[7002][0], await trainer_client(app, person, AR_TRAINER, "ar", "طارق بنكيران"),
               await staff(app, person, 8802, "ar")),
    }


async def test_no_english_word_on_any_screen(app, person, clock, fr, ar):
    cast = await people(app, person, clock)
    for t in (fr, ar):
        seen = await walk(t, *cast[t.lang])
        steps = {step for step, _ in seen.screens}
        assert {"/start", "session card", "/evaluations", "/dashboard", "attendance"} <= steps, steps
        found = [(step, sorted(english_words(text, t.lang)), text)
                 for step, text in seen.screens if english_words(text, t.lang)]
        assert not found, found


def test_the_check_sees_an_english_fragment():
    """The very fragment that reached people on /evaluations."""
    assert english_words("• Cybersécurité — until 8 décembre", "fr") == {"until"}
    assert english_words("• الأمن السيبراني — until 8 دجنبر", "ar") == {"until"}
    assert not english_words("Session du 8 décembre, place Hassan II — /mysessions", "fr")
    assert english_words("Session du 8 décembre", "ar") == {"session"}


def test_no_translator_call_inside_an_f_string():
    """Babel does not extract a message inside an f-string: it would reach people in English."""
    root = Path(__file__).resolve().parent.parent
    found = []
    for folder in ("bot", "handlers", "conversations"):
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    found += [f"{path.relative_to(root)}:{call.lineno}" for call in ast.walk(node)
                              if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                              and call.func.attr in ("_", "ngettext", "pgettext")]
    assert not found, found


def test_codes_shown_as_code_are_not_read_as_words():
    """A random learner code ("V4BY4N") once failed this check one run in many: "by"."""
    assert english_words(as_read("Code : <code>V4BY4N</code>"), "fr") == set()
    assert english_words(as_read("<b>Inscrit</b> by Amina"), "fr") == {"by"}
