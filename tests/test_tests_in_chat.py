"""Knowledge tests in the chat (issue 17): the pre-test offered with the confirmation and again a
day before, one tap per answer, a typed number, a restart half way; the post-test ahead of the
hot evaluation with the score before and after, the corrections and the pass; in French and in
Arabic, with what the database keeps."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.i18n import translator
from bot.services.questionnaire_forms import QuestionnaireForms
from tests.conftest import db_row, drain, start_app, stop_app
from tests.test_attendance import session_with
from tests.test_knowledge_tests import QUIZ, SETTINGS
from tests.test_questionnaire_forms import MODES, book
from tgsandbox.client import BotClient

AMINA = (7001, "fr", "Amina El Idrissi", "F")
YOUSSEF = (7002, "ar", "يوسف بنعلي", "M")


def plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


async def with_quiz(app, clock):
    assert (await QuestionnaireForms(app.bot_data.db, clock).apply(book(QUIZ, MODES, SETTINGS), None)).ok


async def attempt(app, reg, phase):
    row = await db_row(app, "SELECT score, max_score FROM test_attempts WHERE registration_id = ?"
                            " AND phase = ?", reg, phase)
    return tuple(row) if row else None


async def test_pre_test_from_the_confirmation_resumes_after_a_restart(server, clock, tmp_path):
    fr = translator("fr", "F")
    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)
    await with_quiz(app, clock)
    sid, regs = await session_with(app, lambda u, lang: BotClient(app, server, user_id=u, language_code=lang),
                                   "T-KT-1", [AMINA], starts_in_hours=72)
    amina, reg = regs[7001]
    confirmation = next(m for m in amina.messages if fr._("✅ Your place is confirmed:") in m.text)
    assert confirmation.flat_buttons[0] == fr._("🧠 Take the pre-test")
    await amina.click(fr._("🧠 Take the pre-test"), confirmation)
    q1 = amina.last_message
    assert plain(fr._("Question {position}/{total}", position="1", total="3")) in q1.text
    assert "Le mode ?" in q1.text and q1.flat_buttons == ["En ligne", "En salle"]
    await amina.click("En salle")  # wrong
    assert "Sûr ?" in amina.last_message.text  # the same message, edited to the next question
    assert amina.last_message.message_id == q1.message_id
    draft = await db_row(app, "SELECT step, data FROM drafts WHERE user_id = 7001 AND flow = 'ktest'")
    assert draft[0] == "q2" and json.loads(draft[1])["a"] == {"q1": "room"}
    question2 = amina.last_message
    await stop_app(app)  # the bot goes down while she reads question 2

    app = await start_app(server, clock, db_path, seed=False)
    amina = BotClient(app, server, user_id=7001, language_code="fr")
    await amina.click("Non", question2)  # a button from before the restart still works
    assert "Combien ?" in amina.last_message.text
    assert fr.to_person("Type the number.") in amina.last_message.text
    await amina.send("beaucoup")
    assert amina.messages[-2].text == fr._("Please type a number.") and "Combien ?" in amina.last_message.text
    await amina.send("٧")  # Eastern Arabic digits
    done = plain(amina.last_message.text)
    assert fr._("✅ Your answers are recorded. Your score: {score}.", score="2/4") in done
    assert "❌ 1. Le mode ?" in done and "✅ 2. Sûr ?" in done and "✅ 3. Combien ?" in done
    assert fr._("Your answer: {answer} · the right one: {right}", answer="En salle", right="En ligne") in done
    assert fr._("🎉 Pass mark reached: well done!") not in done  # a pre-test certifies nothing
    assert await attempt(app, reg, "pre") == (2, 4)
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7001") is None
    await amina.click(fr._("🧠 Take the pre-test"), confirmation)  # once only
    assert amina.last_answer["text"] == fr._("You have already taken this test: {score}.", score="2/4")

    # The day before: nothing more for her (taken); the session over, the final test first.
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(hours=23))
    before = len(amina.messages)
    await drain(app)
    assert not any("🧠" in m.text for m in amina.messages[before:])
    clock.set(session.starts_at)
    await app.bot_data.attendance.all_present(sid)
    clock.set(session.ends_at)
    await drain(app)
    invite = amina.last_message
    assert invite.flat_buttons[:2] == [fr._("🧠 Take the final test"), fr._("📝 Answer the questionnaire")]
    await amina.click(fr._("🧠 Take the final test"))
    await amina.click("En ligne")
    await amina.click("Non")
    await amina.send("7")
    done = plain(amina.last_message.text)
    assert fr._("Before the training {before} → after {after}", before="2/4", after="4/4") in done
    assert fr._("🎉 Pass mark reached: well done!") in done and "❌" not in done
    assert amina.last_message.flat_buttons == [fr._("🏅 My attestation de réussite"),
                                               fr._("📝 Answer the questionnaire")]
    assert await attempt(app, reg, "post") == (4, 4)
    assert tuple(await db_row(app, "SELECT score FROM test_passes WHERE registration_id = ?", reg)) == (4,)
    await amina.click(fr._("📝 Answer the questionnaire"))
    assert "1/15" in amina.last_message.text  # then the hot evaluation
    await stop_app(app)


async def test_in_arabic_the_day_before_and_the_final_test(app, person, clock):
    ar = translator("ar", "M")
    await with_quiz(app, clock)
    sid, regs = await session_with(app, person, "T-KT-AR", [YOUSSEF], starts_in_hours=72)
    youssef, reg = regs[7002]
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.starts_at - timedelta(hours=23))
    await drain(app)
    reminder = youssef.last_message
    assert plain(ar.ngettext(
        "🧠 Your training <b>{title}</b> starts tomorrow. Before it, a short test of {n} question "
        "tells you where you start; after it, the same kind of test shows what you learnt.",
        "🧠 Your training <b>{title}</b> starts tomorrow. Before it, a short test of {n} questions "
        "tells you where you start; after it, the same kind of test shows what you learnt.",
        3, title="الأمن السيبراني: الممارسات السليمة في العمل اليومي")) == plain(reminder.text)
    assert reminder.flat_buttons == [ar._("🧠 Take the pre-test")]
    sent = await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'test_pre' AND state = 'sent'")
    assert sent[0] == 1
    await youssef.click(ar._("🧠 Take the pre-test"))
    assert "النمط؟" in youssef.last_message.text and youssef.last_message.flat_buttons == ["عن بعد", "حضوريا"]
    await youssef.send("٣")  # typed text under a question with buttons
    assert youssef.messages[-2].text == ar._("Please answer with the buttons below.")
    # He leaves it there: the session starts, the pre-test is closed.
    clock.set(session.starts_at)
    await youssef.click("عن بعد", youssef.messages[-3])
    assert youssef.last_answer["text"] == ar._("The pre-test closed when the session started.")
    await youssef.send("الأمن")  # typed words are a search again, no longer held by the test
    assert ar._("The pre-test closed when the session started.") not in youssef.last_message.text
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7002 AND flow = 'ktest'") is None
    await app.bot_data.attendance.all_present(sid)
    clock.set(session.ends_at)
    await drain(app)
    await youssef.click(ar._("🧠 Take the final test"))
    await youssef.click("حضوريا")
    await youssef.click("نعم")
    await youssef.send("7")
    done = plain(youssef.last_message.text)
    score = ar._("{score}/{max}", score=ar.number(1), max=ar.number(4))
    assert ar._("✅ Your answers are recorded. Your score: {score}.", score=score) in done
    assert ar._("Before the training {before} → after {after}", before="", after="") not in done  # no pre
    assert "→" not in done
    assert await attempt(app, reg, "pre") is None and await attempt(app, reg, "post") == (1, 4)
    assert await db_row(app, "SELECT 1 FROM test_passes WHERE registration_id = ?", reg) is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_trainer_sees_distributions_and_the_most_missed_from_five(app, person, clock, lang):
    from bot.services.knowledge_tests import KnowledgeTests
    from tests.test_attendance import TRAINER, trainer_client
    from tests.test_knowledge_tests import PEOPLE, a_session_with_a_test, values

    t = translator(lang, "M")
    sid, regs = await a_session_with_a_test(app, clock)
    await app.bot_data.db.write(lambda c: c.execute("UPDATE sessions SET trainer_id = ? WHERE id = ?",
                                                    (TRAINER, sid)))
    tests = KnowledgeTests(app.bot_data.db, clock)
    people = list(PEOPLE.items())
    for uid, (_, pre, post) in people[:4]:
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    trainer = await trainer_client(app, person, lang=lang)
    await trainer.send("/mysessions")
    await trainer.click("Cybersécurité" if lang == "fr" else "الأمن السيبراني")
    await trainer.click(t._("🧠 Test results"))
    four = trainer.last_message.text
    assert four.count(t._("🔒 Fewer than {min} answers: hidden.", min=t.number(5))) == 3
    assert "Combien" not in four and "كم" not in four
    for uid, (_, pre, post) in people[4:]:
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    await trainer.click(t._("⬅ Back"))
    await trainer.click(t._("🧠 Test results"))
    six = trainer.last_message.text
    # Pre marks out of 10: 0, 3, 5, 5, 5, 10; post: 5, 8, 8, 10, 10, 10 (test_knowledge_tests).
    assert t.ngettext("{mark}/10: {n} person", "{mark}/10: {n} people", 3, mark=t.number(5)) in six
    assert t.ngettext("{mark}/10: {n} person", "{mark}/10: {n} people", 3, mark=t.number(10)) in six
    question = "Combien ?" if lang == "fr" else "كم؟"
    assert t._("• {question} — {percent}% wrong", question=question, percent=t.number(50)) in six
    assert "Amina" not in six  # never a name


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_coordinators_see_the_mean_gain_by_group_in_the_dashboard(app, person, clock, lang):
    from bot.services.knowledge_tests import KnowledgeTests
    from tests.conftest import grant, onboard
    from tests.test_knowledge_tests import PEOPLE, a_session_with_a_test, values

    t = translator(lang, "M")
    # Only this test's people (the demo seeded at start-up has its own attempts).
    await app.bot_data.db.write(lambda c: c.executescript(
        "DELETE FROM test_passes; DELETE FROM test_answers; DELETE FROM test_attempts;"))
    sid, regs = await a_session_with_a_test(app, clock)
    tests = KnowledgeTests(app.bot_data.db, clock)
    for uid, (_, pre, post) in PEOPLE.items():
        await tests.submit(uid, regs[uid], "pre", values(pre))
        await tests.submit(uid, regs[uid], "post", values(post))
    await onboard(app, 9300, lang, sex="M")
    await grant(app, 9300, "coordinator")
    coord = person(9300, lang)
    await coord.send("/dashboard")
    await coord.click(t._("All time"))
    await coord.click(t._("🧠 Learning gains"))
    text = coord.last_message.text
    # Gains 0.5, 2/3, 1, 1, 1 for the five women (83 %), -0.25 for the one man (hidden); all six
    # are cadres of the MEF in the CYBER theme.
    every = round((0.5 + 2 / 3 + 3 - 0.25) / 6 * 100)
    assert t.ngettext("• {group}: {gain} % ({n} person)", "• {group}: {gain} % ({n} people)", 5,
                      group=t.pgettext("sex", "Woman"), gain=t.number(83)) in text
    assert t.ngettext("🔒 {n} group of fewer than {min} people hidden.",
                      "🔒 {n} groups of fewer than {min} people hidden.", 1, min=t.number(5)) in text
    everyone = t.ngettext("• {group}: {gain} % ({n} person)", "• {group}: {gain} % ({n} people)", 6,
                          group="@", gain=t.number(every)).split("@")[1]
    assert text.count(everyone) == 3  # administration, position and theme: the same six
    await coord.click(t._("⬅ Summary"))
    assert t._("📝 Mean scores") in coord.last_message.flat_buttons


async def test_the_demo_seeds_a_test_with_attempts_and_digital_profiles(app, clock):
    from bot.services.demo import seed_demo

    db = app.bot_data.db

    async def counts():
        return tuple([(await db_row(app, sql))[0] for sql in (
            "SELECT COUNT(*) FROM test_attempts WHERE phase = 'pre'",
            "SELECT COUNT(*) FROM test_attempts WHERE phase = 'post'",
            "SELECT COUNT(*) FROM test_passes", "SELECT COUNT(DISTINCT user_id) FROM assessments",
            "SELECT COUNT(*) FROM questionnaires WHERE form = 'demo-quiz-cyber'")])

    await db.write(seed_demo, clock.now())
    first = await counts()
    pre, post, passes, profiles, versions = first
    assert pre == post > 0 and 0 < passes < post and profiles == 6 and versions == 1
    linked = await db_row(app, "SELECT t.code FROM training_questionnaires l JOIN trainings t"
                               " ON t.id = l.training_id WHERE l.kind = 'test'")
    assert linked[0] == "CYB-102"
    await db.write(seed_demo, clock.now())
    assert await counts() == first  # seeding twice changes nothing
