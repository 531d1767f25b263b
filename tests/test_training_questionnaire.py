"""A training's own hot questionnaire (issue 17): uploaded in the chat for training X, it is what
X's participants answer, while a participant of training Y gets the default; answers keep their
question id and version, so the trainer's results show the questions of the version answered even
after a newer version is saved."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from handlers.ui import plain
from tests.conftest import db_row, drain
from tests.test_attendance import trainer_client
from tests.test_evaluations import answers, attended, submit_hot
from tests.test_questionnaire_forms import AGREE, MODES, book, row
from tests.test_questionnaire_upload import XLSX, national

CYBER = ["chaud-cyber", "hot", 1, "Évaluation cyber", "تقييم الأمن السيبراني", "CYB-101", ""]
SURVEY = [row("useful", "scale", fr="Les exercices de phishing étaient utiles.",
              ar="كانت تمارين التصيد الاحتيالي مفيدة.", choices="agree"),
          row("mode", "single", fr="Vous préférez suivre la suite…", ar="تفضّل متابعة البقية…",
              choices="modes"),
          row("hours", "number", fr="Combien d'heures par semaine en ligne ?",
              ar="كم ساعة أسبوعيا على الإنترنت؟", required="non")]


async def upload(app, c, t, survey, settings) -> None:
    await c.send("/questionnaires")
    await c.upload(book(survey=survey, choices=AGREE + MODES, settings=settings), "cyber.xlsx", XLSX)
    await c.click(t._("✅ Apply"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_trainings_own_form_for_its_people_the_default_for_the_others(app, person, clock, lang,
                                                                            request):
    t = request.getfixturevalue(lang)
    coordinator = await national(app, person, lang)
    await upload(app, coordinator, t, SURVEY, CYBER)
    assert tuple(await db_row(app, "SELECT l.form FROM training_questionnaires l JOIN trainings t ON"
                              " t.id = l.training_id WHERE t.code = 'CYB-101' AND l.kind = 'hot'")) \
        == ("chaud-cyber",)

    five = [(7400 + i, lang, f"Agent{chr(65 + i)} Cyber", "F" if i % 2 else "M") for i in range(5)]
    sid, regs, session = await attended(app, person, clock, "T-OWN-X", five)
    amina, reg = regs[7400]
    await amina.click(t._("📝 Answer the questionnaire"))
    first = amina.last_message.text
    assert t.pick("Évaluation cyber", "تقييم الأمن السيبراني") in first and "1/3" in first
    assert t.pick("Les exercices de phishing étaient utiles.", "كانت تمارين التصيد الاحتيالي مفيدة.") in first
    await amina.click(t.pick("4 · Niveau 4", "4 · مستوى 4"))
    await amina.click(t.pick("En salle", "حضوريا"))
    him = Translator(lang, "M")  # AgentA is a man: the prompt addresses him
    assert him.to_person("Type the number.") in amina.last_message.text and "3/3" in amina.last_message.text
    shown = await amina.send("beaucoup")
    assert shown[0].text == t._("Please type a number.")
    await amina.send("١٢")  # Eastern Arabic digits are a number too
    await amina.click(t._("✅ Send my answers"))
    assert amina.last_message.text == t._("✅ Thank you! Your answers have been sent.")
    assert await answers(app, reg) == {"useful": (4, None, None, 0), "mode": (None, "room", None, 0),
                                       "hours": (None, None, "12", 0)}
    assert tuple(await db_row(app, "SELECT q.form, q.version, a.questionnaire_id = q.id FROM answers a JOIN"
                        " responses r ON r.id = a.response_id JOIN questionnaires q ON q.id ="
                        " r.questionnaire_id WHERE r.registration_id = ? AND a.qid = 'useful'",
                        reg)) == ("chaud-cyber", 1, 1)

    # Training Y (IA-102) has no form of its own: its participant gets the default questionnaire.
    other = [(7500, lang, "Omar Autre", "M")]
    sid_y, regs_y, _ = await attended(app, person, clock, "T-OWN-Y", other)
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE sessions SET training_id = (SELECT id FROM trainings WHERE code = 'IA-102') WHERE id = ?",
        (sid_y,)))
    omar, reg_y = regs_y[7500]
    clock.advance(hours=12)  # past the quiet hours, should the session end at night
    await drain(app)
    await omar.click(t._("📝 Answer the questionnaire"))
    assert t.pick("Évaluation à chaud", "التقييم الفوري") in omar.last_message.text
    assert "1/15" in omar.last_message.text
    assert tuple(await db_row(app, "SELECT q.form FROM responses r JOIN questionnaires q ON"
                        " q.id = r.questionnaire_id WHERE r.registration_id = ?", reg_y)) == ("hot",)

    # Version 2 changes the label; the answers given stay with version 1 and the trainer's results
    # show version 1's question.
    for uid, _, _, _ in five[1:]:
        await submit_hot(app, uid, regs[uid][1], 5)
    renamed = [row("useful", "scale", fr="Les cas pratiques étaient utiles.",
                   ar="كانت الحالات التطبيقية مفيدة.", choices="agree"), *SURVEY[1:]]
    await upload(app, coordinator, t, renamed, [*CYBER[:2], 2, *CYBER[3:]])
    assert (await db_row(app, "SELECT MAX(version) FROM questionnaires WHERE form = 'chaud-cyber'"))[0] == 2
    trainer = await trainer_client(app, person, lang=lang)
    await trainer.send("/mysessions")
    await trainer.click(t.pick("Cybersécurité", "الأمن السيبراني"))
    text = "\n".join(m.text for m in await trainer.click(t._("📊 Evaluation results")))
    assert t.pick("Les exercices de phishing étaient utiles.", "كانت تمارين التصيد الاحتيالي مفيدة.") in text
    assert t.pick("Les cas pratiques", "الحالات التطبيقية") not in text
    assert plain(t._("Mean: {mean}/5 ({n} answers)", mean=t.number(4.8), n=t.number(5))) in text


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_version_that_names_no_training_gives_it_back_the_default(app, person, lang, request):
    t = request.getfixturevalue(lang)
    coordinator = await national(app, person, lang)
    await upload(app, coordinator, t, SURVEY, CYBER)
    await coordinator.send("/questionnaires")
    shown = await coordinator.upload(book(survey=SURVEY, choices=AGREE + MODES,
                                          settings=[*CYBER[:2], 2, *CYBER[3:5], "", ""]), "v2.xlsx", XLSX)
    assert t.ngettext("No longer for the training {codes}: it goes back to the default questionnaire.",
                      "No longer for the trainings {codes}: they go back to the default questionnaire.", 1,
                      codes="CYB-101") in shown[-1].text
    assert await db_row(app, "SELECT 1 FROM training_questionnaires WHERE form = 'chaud-cyber'") is not None
    await coordinator.click(t._("✅ Apply"))
    assert await db_row(app, "SELECT 1 FROM training_questionnaires WHERE form = 'chaud-cyber'") is None

    def current(conn):
        from bot.storage.evaluations import current_questionnaire
        training = conn.execute("SELECT id FROM trainings WHERE code = 'CYB-101'").fetchone()[0]
        return current_questionnaire(conn, "hot", training).form

    assert await app.bot_data.db.read(current) == "hot"
