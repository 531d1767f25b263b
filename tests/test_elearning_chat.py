"""E-learning in the chat (issue 17): the learner code in /profile; `etamkeen import elearning
FILE.csv` records completions by that code; a person declares a module finished and a trainer
confirms it; a weekly nudge goes through the outbox while the module is unfinished, once a
week, and stops once it is declared — in French and in Arabic."""

from __future__ import annotations

import re
import sqlite3

from bot.i18n import translator
from bot.services import elearning_review
from bot.services.access import Role
from bot.services.demo_paths import PATH_CODE
from handlers.access import refusal
from tests.conftest import db_row, drain, grant, onboard
from tests.test_cli_input import cli  # noqa: F401  (the fixture)

AMINA, YOUSSEF, TRAINER = 9871, 9872, 9873


async def booked(app, user_id: int, lang: str, sex: str) -> None:
    await onboard(app, user_id, lang, full_name="Amina El Idrissi" if lang == "fr" else "يوسف بنعلي",
                  sex=sex)
    cohort = (await db_row(app, "SELECT id FROM cohorts WHERE code = ?", f"{PATH_CODE}-1"))[0]
    assert (await app.bot_data.paths.book_cohort(user_id, cohort)).outcome == "booked"


async def test_profile_shows_the_learner_code(app, person, fr, ar):
    await onboard(app, AMINA, "fr", sex="F")
    amina = person(AMINA, "fr")
    await amina.send("/profile")
    code = (await db_row(app, "SELECT learner_code FROM users WHERE id = ?", AMINA))[0]
    assert fr._("🎓 Learner code for the e-learning platform: <code>{code}</code>", code=code) \
        in amina.last_message.html
    await onboard(app, YOUSSEF, "ar", sex="M")
    youssef = person(YOUSSEF, "ar")
    await youssef.send("/profile")
    code = (await db_row(app, "SELECT learner_code FROM users WHERE id = ?", YOUSSEF))[0]
    assert code and code in youssef.last_message.text
    assert "منصة" in youssef.last_message.text  # the Arabic line


def test_cli_imports_completions_by_learner_code(cli, tmp_path):  # noqa: F811
    conn = sqlite3.connect(tmp_path / "e.db")
    user = conn.execute("SELECT id FROM users ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE users SET learner_code = 'ABC234' WHERE id = ?", (user,))
    conn.commit()
    csv = tmp_path / "platform.csv"
    csv.write_text("learner;module;completed\nabc234;BUR-102;2026-11-30 10:00\n"
                   "ZZZ999;BUR-102;2026-11-30\nABC234;NOPE;2026-11-30\n", encoding="utf-8")
    code, out, _ = cli("import", "elearning", str(csv))
    assert code == 0
    assert "1 completions recorded" in out
    assert "line 3: unknown learner code: 'ZZZ999'" in out and "line 4: unknown module code" in out
    row = conn.execute("SELECT e.source FROM elearning_completion e JOIN trainings t"
                       " ON t.id = e.training_id WHERE e.user_id = ? AND t.code = 'BUR-102'",
                       (user,)).fetchone()
    assert row == ("import",)
    code, _, err = cli("import", "elearning", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in err


async def test_weekly_nudge_then_declared_then_confirmed(app, person, fr, ar, clock):
    await booked(app, AMINA, "fr", "F")
    await booked(app, YOUSSEF, "ar", "M")
    amina, youssef = person(AMINA, "fr"), person(YOUSSEF, "ar")
    for c in (amina, youssef):
        await c.start()
    d = app.bot_data
    nudges = elearning_review.Nudges(d.db, d.clock, d.elearning)  # what housekeeping ticks
    assert await nudges.tick() == 2
    assert await nudges.tick() is None  # the next second: not looked for again
    clock.advance(hours=2)
    assert await nudges.tick() == 0  # looked for, but this week's are queued already
    clock.set(clock.now().replace(hour=10))  # out of quiet hours
    await drain(app)
    nudge = next(m for m in amina.messages if fr.to_person("📚 Your e-learning module is not finished yet:")
                 in m.text)
    assert "https://elearning.example.ma/bur-102" in nudge.text
    he = translator("ar")
    assert any(he.to_person("📚 Your e-learning module is not finished yet:") in m.text
               for m in youssef.messages)
    # Amina says she finished it; the next week's nudge is not sent to her.
    await amina.click(fr.to_person("✅ I have finished this module"), nudge)
    assert amina.last_answer["text"] == fr._("Noted: a trainer will confirm it.")
    clock.advance(days=7)
    before = len(amina.messages)
    assert await elearning_review.queue_nudges(d.db, d.clock, d.elearning) == 1  # Youssef only
    await drain(app)
    assert len(amina.messages) == before
    # A trainer confirms: the module counts in her path's progress.
    await onboard(app, TRAINER, "fr", full_name="Rachid", sex="M")
    await grant(app, TRAINER, "trainer")
    trainer = person(TRAINER, "fr")
    await trainer.send("/elearning")
    assert "Amina El Idrissi" in trainer.last_message.text
    await trainer.click(fr._("✅ Confirm {number}", number="1"))
    assert trainer.last_answer["text"] == fr._("✅ Confirmed.")
    assert fr._("No e-learning completion is waiting for a confirmation.") in trainer.last_message.text
    await amina.send("/mypath")
    assert re.search(r"1/4 ✅", amina.last_message.text)
    # An official cannot confirm.
    await youssef.send("/elearning")
    assert youssef.last_message.text == refusal(he, Role.TRAINER)
    row = await db_row(app, "SELECT source FROM elearning_completion WHERE user_id = ?", AMINA)
    assert row[0] == "confirmed_by_trainer"
