"""Hot and cold evaluations end to end: invitations through the outbox, one question per message,
back, skip, typed scores (Eastern Arabic digits too), bad input, leaving and resuming (days later,
or after a restart), one submission, reminders, closing; then the trainer's results."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.results import EvaluationResults
from tests.conftest import db_row, drain, start_app, stop_app
from tests.test_attendance import AR_TRAINER, PEOPLE, session_with, trainer_client
from tests.test_onboarding import is_arabic_first
from tgsandbox.client import BotClient


async def attended(app, person, clock, reference, people=PEOPLE[:1], absent=()):
    """A session that has just ended, its people marked present (or absent); invitations sent."""
    sid, regs = await session_with(app, person, reference, people)
    clock.advance(hours=2)
    await app.bot_data.attendance.all_present(sid)
    for user_id in absent:
        await app.bot_data.attendance.set(regs[user_id][1], present=False)
    session = await app.bot_data.catalogue.session(sid)
    clock.set(session.ends_at)
    await drain(app)
    return sid, regs, session


async def answers(app, reg_id, kind="hot"):
    rows = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT a.qid, a.score, a.choice, a.text, a.skipped FROM answers a JOIN responses r ON"
        " r.id = a.response_id WHERE r.registration_id = ? AND r.kind = ?", (reg_id, kind)).fetchall())
    return {r[0]: tuple(r[1:]) for r in rows}


def plain(t, msgid, **kw):
    return t._(msgid, **kw).replace("<b>", "").replace("</b>", "")


async def test_hot_evaluation_in_french_with_back_bad_input_and_one_submission(app, person, fr, clock):
    sid, regs, session = await attended(app, person, clock, "T-HOT-FR")
    amina, reg = regs[7001]
    invitation = amina.last_message
    assert "Cybersécurité" in invitation.text
    assert fr._("📝 Answer the questionnaire") in invitation.flat_buttons
    await amina.click(fr._("📝 Answer the questionnaire"))
    q1 = amina.last_message
    assert plain(fr, "📝 <b>{title}</b> · {position}/{total}", title="Évaluation à chaud", position="1",
                 total="15") in q1.text
    assert "Les objectifs de la formation ont été atteints." in q1.text
    assert q1.flat_buttons[:5] == ["1 · Pas du tout d'accord", "2 · Plutôt pas d'accord",
                                   "3 · Moyennement d'accord", "4 · Plutôt d'accord",
                                   "5 · Tout à fait d'accord"]
    q1_data = q1.button_data
    await amina.click("4 · Plutôt d'accord")
    assert amina.messages[-2].text.startswith("✓ Les objectifs") and not amina.messages[-2].buttons
    assert "2/15" in amina.last_message.text
    await amina.send("٥")  # Eastern Arabic digits are a number like any other
    assert "3/15" in amina.last_message.text
    for bad in ("11", "-1", "abc", "4.5"):
        shown = await amina.send(bad)
        assert shown[0].text == fr._("Please answer with a number from 1 to 5, or tap a button.")
        assert "3/15" in shown[-1].text
    shown = await amina.send_sticker()
    assert shown[0].text == fr._("Please answer with the buttons, or type your answer as text.")
    assert (await answers(app, reg)) == {"objectives": (4, None, None, 0), "relevance": (5, None, None, 0)}

    await amina.click(fr._("⬅ Back"))  # back to question 2, its answer marked
    assert "2/15" in amina.last_message.text
    assert "✓ 5 · Tout à fait d'accord" in amina.last_message.flat_buttons
    await amina.click("3 · Moyennement d'accord")
    assert "3/15" in amina.last_message.text and (await answers(app, reg))["relevance"][0] == 3

    # A button of an old message: a double tap is quietly recognised, another value is stale.
    await amina.click_data(q1_data[3][0], q1)
    assert amina.last_answer["text"] == fr._("Already recorded.")
    await amina.click_data(q1_data[1][0], q1)
    assert amina.last_answer["text"] == fr._("That button belongs to an earlier question. Here is the "
                                             "current one.")
    assert "3/15" in amina.last_message.text and (await answers(app, reg))["objectives"][0] == 4

    for label in ("5 · Tout à fait", "4 · Plutôt d'accord", "4 · Plutôt d'accord", "3 · Moyennement",
                  "Adaptée", "2 · Notions", "4 · Avancé", "Oui", "5 · Très satisfait(e)"):
        await amina.click(label)
    await amina.click("Oui")  # would recommend
    assert "13/15" in amina.last_message.text
    await amina.send("Les exercices <b>pratiques</b> & cas réels")
    await amina.click(fr._("Skip ⏭"))
    shown = await amina.send_photo()
    assert shown[0].text == fr._("Please answer with the buttons, or type your answer as text.")
    await amina.send("Protection des données")
    summary = amina.last_message
    assert fr._("(skipped)") in summary.text and "Les exercices <b>pratiques</b> & cas réels" in summary.text
    await amina.send("Envoyer")  # text under the summary
    assert amina.messages[-2].text == fr._("Please answer with the buttons below.")
    await amina.click("✏️ 2")
    await amina.click("4 · Plutôt d'accord")
    summary = amina.last_message  # every question is answered: straight back to the summary
    assert fr._("✅ Send my answers") in summary.flat_buttons
    await amina.click(fr._("✅ Send my answers"))
    assert amina.last_message.text == fr._("✅ Thank you! Your answers have been sent.")
    got = await answers(app, reg)
    assert len(got) == 15 and got["relevance"][0] == 4 and got["to_improve"] == (None, None, None, 1)
    assert got["most_useful"][2] == "Les exercices <b>pratiques</b> & cas réels"
    assert (await db_row(app, "SELECT submitted_at IS NOT NULL FROM responses"))[0] == 1

    # Evaluating twice: the old Send button, the invitation again.
    await amina.click_data(summary.button_data[-1][-1], summary)
    assert amina.last_answer["text"] == fr._("You have already sent this questionnaire. Thank you!")
    await amina.click(fr._("📝 Answer the questionnaire"), invitation)
    assert amina.last_answer["text"] == fr._("You have already sent this questionnaire. Thank you!")
    assert (await db_row(app, "SELECT COUNT(*) FROM responses"))[0] == 1
    clock.advance(days=2, minutes=1)
    assert (await drain(app)).sent == 0  # the reminder is not sent to someone who answered


async def test_arabic_leave_and_resume_days_later_then_closed(app, person, ar, clock):
    people = [(7002, "ar", "يوسف بنعلي", "M"), (7004, "ar", "سعاد العلوي", "F")]
    sid, regs, session = await attended(app, person, clock, "T-HOT-AR", people)
    youssef, reg = regs[7002]
    assert is_arabic_first(youssef.last_message.text.lstrip("📝 ")) or "الأمن" in youssef.last_message.text
    await youssef.click(ar._("📝 Answer the questionnaire"))
    assert "تم تحقيق أهداف التكوين." in youssef.last_message.text
    await youssef.click("4 · موافق")
    await youssef.send("/catalogue")  # a command leaves the questionnaire; the answer stays
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7002 AND flow = 'questionnaire'") is None
    assert (await answers(app, reg))["objectives"][0] == 4

    clock.advance(days=2, minutes=1)
    await drain(app)  # the reminder: resume where it stopped
    assert ar._("📝 Continue the questionnaire") in youssef.last_message.flat_buttons
    await youssef.click(ar._("📝 Continue the questionnaire"))
    assert "2/15" in youssef.last_message.text and "التكوين مفيد لعملي." in youssef.last_message.text
    await youssef.send("/cancel")
    assert youssef.last_message.text == ar._("Stopped for now: your answers are kept. Continue whenever "
                                             "you like with /evaluations.")
    await youssef.send("/evaluations")
    await youssef.press(1)
    assert "2/15" in youssef.last_message.text
    for _ in range(2, 13):  # questions 2 to 12: the first button; then the free texts: skip
        await youssef.press(1)
    for _ in range(13, 16):
        await youssef.click(ar._("Skip ⏭"))
    await youssef.click(ar._("✅ Send my answers"))
    assert youssef.last_message.text == ar._("✅ Thank you! Your answers have been sent.")

    # Souad never answered: after 14 days the questionnaire is closed.
    souad, souad_reg = regs[7004]
    clock.set(session.ends_at + timedelta(days=14))
    await souad.click(ar._("📝 Answer the questionnaire"))
    assert souad.last_answer["text"] == ar._("This questionnaire is closed.")
    assert await answers(app, souad_reg) == {}


async def test_only_attendees_evaluate(app, person, fr, clock):
    people = [(7001, "fr", "Amina El Idrissi", "F"), (7003, "fr", "Karim Tazi", "M")]
    sid, regs = await session_with(app, person, "T-HOT-WHO", people)
    amina, reg = regs[7001]
    karim, karim_reg = regs[7003]
    clock.advance(hours=3)
    await app.bot_data.attendance.set(reg, present=True)  # Amina present, Karim never marked
    await amina.click_data(f"v1:ev:open:{reg}:hot")  # during the session: not yet
    assert amina.last_answer["text"] == fr._("This questionnaire is not open yet.")
    clock.advance(hours=5)
    await karim.click_data(f"v1:ev:open:{karim_reg}:hot")
    assert karim.last_answer["text"] == fr._("This questionnaire is for the people who attended the session.")
    await karim.click_data(f"v1:ev:open:{reg}:hot")  # someone else's
    assert karim.last_answer["text"] == fr._("This button is no longer valid.")
    for forged in ("v1:ev:a:999:1:objectives:3", "v1:ev:ok:x:1", "v1:ev:zz", f"v1:ev:open:{reg}:tepid"):
        await karim.click_data(forged)
        assert karim.last_answer["text"] == fr._("This button is no longer valid."), forged
    # Marked absent after the invitation was scheduled: it is withdrawn, nothing is sent.
    await app.bot_data.attendance.set(reg, present=False)
    assert (await drain(app)).sent == 0
    assert (await db_row(app, "SELECT COUNT(*) FROM responses"))[0] == 0


async def test_cold_evaluation_three_months_later_with_several_choices(app, person, fr, clock):
    sid, regs, session = await attended(app, person, clock, "T-COLD")
    amina, reg = regs[7001]
    clock.set(session.ends_at + timedelta(days=2, minutes=1))
    assert (await drain(app)).sent == 1  # the reminder of the hot questionnaire
    clock.set(session.ends_at + timedelta(days=89))
    assert (await drain(app)).sent == 0
    clock.set(session.ends_at + timedelta(days=90))
    await drain(app)
    assert "Cybersécurité" in amina.last_message.text
    await amina.click(fr._("📝 Answer the questionnaire"))
    assert "Évaluation à froid" in amina.last_message.text and "1/6" in amina.last_message.text
    await amina.click("Parfois")
    await amina.click(fr._("Skip ⏭"))
    assert "Qu'est-ce qui vous a freiné(e)" in amina.last_message.text
    await amina.click("☐ Pas le temps")
    await amina.click("☐ Pas de soutien")
    await amina.click("☑ Pas le temps")  # unticked
    shown = await amina.send("pas le temps")
    assert shown[0].text == fr._("Please answer with the buttons below.")
    assert "☑ Pas de soutien" in amina.last_message.flat_buttons
    await amina.click("☐ Pas les outils nécessaires")
    await amina.click(fr._("✅ Done"))
    assert (await answers(app, reg, "cold"))["obstacles"][1] == "no_tools,no_support"
    await amina.click(fr._("⬅ Back"))
    assert {"☑ Pas les outils nécessaires", "☑ Pas de soutien", "☐ Pas le temps"} <= set(
        amina.last_message.flat_buttons)
    await amina.click(fr._("✅ Done"))
    await amina.click("3 · Moyennement")
    await amina.send("٤")
    await amina.click(fr._("Skip ⏭"))
    await amina.click(fr._("✅ Send my answers"))
    got = await answers(app, reg, "cold")
    assert got["manager_support"][0] == 4 and got["applied"][1] == "sometimes"
    clock.advance(days=3)
    assert (await drain(app)).sent == 0
    reminders = await db_row(app, "SELECT COUNT(*) FROM outbox WHERE kind = 'eval_reminder' AND"
                                  " payload LIKE '%cold%'")
    assert reminders[0] == 1  # one reminder, no more


async def test_restart_half_way_resumes_at_the_same_question(server, clock, tmp_path, fr):
    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)

    def person(user_id, lang):
        return BotClient(app, server, user_id=user_id, language_code=lang)

    sid, regs, session = await attended(app, person, clock, "T-HOT-KILL")
    amina, reg = regs[7001]
    await amina.click(fr._("📝 Answer the questionnaire"))
    for label in ("4 · Plutôt", "4 · Plutôt", "5 · Tout", "5 · Tout", "3 · Moyennement", "4 · Plutôt"):
        await amina.click(label)
    question7 = amina.last_message
    assert "7/15" in question7.text
    await stop_app(app)  # the bot goes down while the person reads question 7

    app = await start_app(server, clock, db_path, seed=False)
    amina = BotClient(app, server, user_id=7001, language_code="fr")
    await amina.click("Trop longue", question7)  # a button from before the restart still works
    assert "8/15" in amina.last_message.text
    assert (await answers(app, reg))["duration"] == (None, "long", None, 0)
    assert len(await answers(app, reg)) == 7
    await stop_app(app)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_new_questionnaire_version_never_mixes_with_the_old(app, person, clock, lang):
    from bot.storage.forms import seed_form
    from bot.storage.questionnaire_data import HOT_V1, as_form

    people = [(7001, lang, "Amina El Idrissi", "F"), (7003, lang, "Karim Tazi", "M")]
    sid, regs, session = await attended(app, person, clock, "T-HOT-V2", people)
    svc = app.bot_data.evaluations
    amina_view = await svc.open(7001, regs[7001][1], "hot")  # started on version 1
    v2 = {**HOT_V1, "version": 2, "questions": [
        ("relevance", "scale", True, "Utile pour mon travail ?", "مفيد لعملي؟", HOT_V1["questions"][0][5]),
        ("online_tools", "choice", True, "Les outils en ligne ?", "الأدوات الرقمية؟",
         [("yes", "Oui", "نعم"), ("no", "Non", "لا")])]}
    await app.bot_data.db.write(lambda c: seed_form(c, as_form(v2), "2026-12-01 00:00:00"))
    karim_view = await svc.open(7003, regs[7003][1], "hot")
    assert karim_view.questionnaire.version == 2 and len(karim_view.questionnaire.questions) == 2
    resumed = await svc.answer(7001, amina_view.response_id, amina_view.questionnaire.id, "objectives",
                               "4", "button")
    assert resumed.outcome == "ok" and resumed.questionnaire.version == 1
    # An answer to a version-2 question on a version-1 response is refused by the schema itself.
    with pytest.raises(Exception, match="FOREIGN KEY"):
        await app.bot_data.db.write(lambda c: c.execute(
            "INSERT INTO answers (response_id, questionnaire_id, qid, choice, answered_at) VALUES"
            " (?, ?, 'online_tools', 'yes', '2026-12-01 00:00:00')",
            (amina_view.response_id, amina_view.questionnaire.id)))
    with pytest.raises(Exception, match="CHECK"):
        await app.bot_data.db.write(lambda c: c.execute(
            "UPDATE answers SET score = 6 WHERE response_id = ?", (amina_view.response_id,)))


async def submit_hot(app, user_id: int, reg_id: int, score: int, comment: str | None = None) -> None:
    """Answer the whole hot questionnaire through the service (results tests need many people)."""
    svc = app.bot_data.evaluations
    view = await svc.open(user_id, reg_id, "hot")
    for q in view.questionnaire.questions:
        if q.type == "scale":
            value, how = str(score), "button"
        elif q.type == "choice":
            value, how = q.options[0][0], "button"
        elif q.qid == "most_useful" and comment:
            value, how = comment, "text"
        else:
            value, how = "", "skip"
        view = await svc.answer(user_id, view.response_id, view.questionnaire.id, q.qid, value, how)
        assert view.outcome == "ok", (q.qid, view.outcome)
    assert (await svc.submit(user_id, view.response_id, view.questionnaire.id)).outcome == "done"


async def test_results_for_the_trainer_hide_small_groups(app, person, fr, ar, clock):
    six = [(7200 + i, "fr", f"Personne{chr(65 + i)} Secrète", "F" if i % 2 else "M") for i in range(6)]
    sid, regs, session = await attended(app, person, clock, "T-RES-6", six)
    four = [(7300 + i, "fr", f"Autre{chr(65 + i)} Participant", "F") for i in range(4)]
    clock.set(session.starts_at - timedelta(hours=2))
    small, small_regs = await session_with(app, person, "T-RES-4", four, trainer=AR_TRAINER)
    clock.advance(hours=2)
    await app.bot_data.attendance.all_present(small)
    clock.set(session.ends_at + timedelta(hours=1))
    comments = ["Très concret", "Les <cas> pratiques", "Bon rythme", "Utile", "Clair", None]
    for (uid, _, _, _), score, comment in zip(six, (5, 4, 4, 3, 5, 4), comments, strict=True):
        await submit_hot(app, uid, regs[uid][1], score, comment)
    for uid, _, _, _ in four:
        await submit_hot(app, uid, small_regs[uid][1], 5, "Parfait")

    trainer = await trainer_client(app, person)
    await trainer.send("/mysessions")
    await trainer.click("Cybersécurité")
    text = "\n".join(m.text for m in await trainer.click(fr._("📊 Evaluation results")))
    assert fr.ngettext("{n} person answered, out of {attendees} who attended.",
                       "{n} people answered, out of {attendees} who attended.", 6, attendees="6") in text
    assert fr._("Mean: {mean}/5 ({n} answers)", mean=fr.number(4.2), n="6") in text  # 25 / 6
    assert "1: 0 · 2: 0 · 3: 1 · 4: 3 · 5: 2" in text
    assert "Trop courte: 6" in text and "Adaptée: 0" in text
    assert "• Les <cas> pratiques" in text and "• Très concret" in text
    assert fr._("🔒 Fewer than {min} answers: hidden.", min="5") in text  # nobody wrote "to improve"
    assert "Personne" not in text and "Secrète" not in text  # never a name
    await trainer.click(fr._("❄️ Cold evaluation"))
    assert fr._("🔒 Results are shown once at least {min} people have answered, so that nobody can be "
                "recognised.", min="5") in trainer.last_message.text

    # Four answers only: everything hidden, in Arabic too.
    ar_trainer = await trainer_client(app, person, AR_TRAINER, "ar", "طارق بنكيران")
    await ar_trainer.send("/mysessions")
    await ar_trainer.click("الأمن السيبراني")
    await ar_trainer.click(ar._("📊 Evaluation results"))
    shown = ar_trainer.last_message.text
    assert plain(ar, "📊 <b>Evaluation results</b> — {title}", title="X").split("X")[0] in shown
    assert ar._("🔒 Results are shown once at least {min} people have answered, so that nobody can be "
                "recognised.", min="5") in shown
    assert "Parfait" not in shown and "/5" not in shown
    # Forged: another trainer's session, data that does not unpack (the old layout too); nothing shown.
    for data in (EvaluationResults(sid, True).pack(), EvaluationResults(sid, False).pack(),
                 f"v1:res:s:{sid}:2", f"v1:res:s:{sid}", f"v1:res:{sid}:hot", "v1:res:s:²:1"):
        await ar_trainer.click_data(data, ar_trainer.last_message)
        assert ar_trainer.last_answer["text"] == ar._("This button is no longer valid."), data
    assert "Très concret" not in "\n".join(m.text or "" for m in ar_trainer.messages)
    await trainer.click_data(f"v1:res:s:{sid}:yes", trainer.last_message)
    assert trainer.last_answer["text"] == fr._("This button is no longer valid.")
    await trainer.click(fr._("🔥 Hot evaluation"))
    assert "• Très concret" in trainer.last_message.text
