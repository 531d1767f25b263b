"""My digital profile in the chat (issue 17): offered after onboarding, twenty statements one tap
each with their progress, Back, a restart in the middle that resumes, /cancel that records
nothing, the result as a chart and text with three trainings whose Register and Tell me when
work, and a second assessment compared with the first; in French and in Arabic."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.i18n import translator
from tests.conftest import db_row, drain, onboard, start_app, stop_app
from tests.test_onboarding import walk_to_summary
from tgsandbox.client import BotClient

# The level tapped for each area's statements: safety and information are the weakest.
LEVELS = {"info": 2, "communication": 4, "content": 4, "safety": 1, "problem": 5}


def plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


def progress(t, position: int) -> str:
    return plain(t._("Statement {position}/{total}", position=t.number(position), total=t.number(20)))


async def framework(app):
    return await app.bot_data.self_assessment.framework()


def level_label(t, fw, level: int) -> str:
    code, fr, ar = fw.levels[level - 1]
    return t.pick(fr, ar)


async def rate(c, t, fw, first: int, last: int, levels=LEVELS) -> None:
    """Tap the statements first..last (0-based, inclusive) on the open question message."""
    for i in range(first, last + 1):
        statement = fw.statements[i]
        assert plain(t.pick(statement.label_fr, statement.label_ar)) in c.last_message.text
        await c.click(level_label(t, fw, levels[statement.area]), c.last_message)


async def assessments(app, user_id: int) -> list[tuple]:
    return await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT a.id, COUNT(r.qid), SUM(r.rating) FROM assessments a JOIN assessment_ratings r"
        " ON r.assessment_id = a.id WHERE a.user_id = ? GROUP BY a.id ORDER BY a.id", (user_id,)).fetchall())


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_offered_after_onboarding_taken_by_taps_and_the_result(app, person, lang):
    t = translator(lang, "F")
    fw = await framework(app)
    c = person(8101, lang)
    await walk_to_summary(c, t, **({} if lang == "fr" else {"admin_label": "وزارة الاقتصاد والمالية"}))
    await c.click(t._("✅ Confirm"))
    offer = c.messages[-2]  # then the main menu
    assert plain(t.to_person("🧭 <b>My digital profile</b>\nTake 3 minutes to rate yourself on 20 everyday "
                             "digital skills, one tap each: you will see your strengths, what to work on "
                             "and the trainings that fit.")) == offer.text
    assert offer.flat_buttons == [t._("▶️ Start"), t._("Later")]
    await c.click(t._("▶️ Start"), offer)
    question = c.last_message
    assert progress(t, 1) in question.text
    assert question.flat_buttons == [level_label(t, fw, n) for n in range(1, 6)]
    await rate(c, t, fw, 0, 6)
    assert plain(t._("Statement {position}/{total}", position=t.number(8), total=t.number(20))) \
        in c.last_message.text
    assert c.last_message.message_id == question.message_id  # one message, edited in place
    await c.click(t._("⬅ Back"))  # statement 7 again, its answer ticked
    assert plain(t._("Statement {position}/{total}", position=t.number(7), total=t.number(20))) \
        in c.last_message.text
    assert "✅ " + level_label(t, fw, LEVELS[fw.statements[6].area]) in c.last_message.flat_buttons
    draft = await db_row(app, "SELECT step, data FROM drafts WHERE user_id = 8101 AND flow = 'selfassess'")
    assert json.loads(draft["data"])["i"] == 6 and len(json.loads(draft["data"])["r"]) == 7
    await rate(c, t, fw, 6, 19)
    rows = await assessments(app, 8101)
    assert [(n, total) for _, n, total in rows] == [(20, 4 * sum(LEVELS.values()))]
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 8101") is None
    chart, result = c.messages[-2], c.last_message
    assert chart.photo is not None and plain(t._("My digital profile")) in chart.text
    name = dict(fw.areas)
    safety, problem = (t.pick(*name["safety"]), t.pick(*name["problem"]))
    assert t._("{area}: {level}/5", area=safety, level=t.number(1.0)) in result.text
    assert t.to_person("🎯 To work on: {areas}", areas=t.join([safety, t.pick(*name["info"])])) in result.text
    assert problem in result.text.split(plain(t.to_person("💪 Your strengths: {areas}", areas="")))[1]
    profile = (await app.bot_data.self_assessment.history(8101))[-1]
    recommended = await app.bot_data.self_assessment.recommend(8101, profile)
    assert len(recommended) == 3 and recommended[0].area == "safety"
    for r in recommended:
        assert t.pick(r.title_fr, r.title_ar) in result.text
        assert t._("🔔 Tell me when: {code}", code=r.code) in result.flat_buttons
        register = t._("📝 Register: {code}", code=r.code)
        assert (register in result.flat_buttons) == (r.next_session is not None)


async def test_register_and_tell_me_when_under_the_result(app, person, fr):
    await onboard(app, 8102, "fr")
    c = person(8102, "fr")
    fw = await framework(app)
    await c.send("/digitalprofile")
    await c.click(fr._("▶️ Start"))
    await rate(c, fr, fw, 0, 19)
    result = c.last_message
    profile = (await app.bot_data.self_assessment.history(8102))[-1]
    recommended = await app.bot_data.self_assessment.recommend(8102, profile)
    bookable = next(r for r in recommended if r.next_session is not None)
    await c.click(fr._("🔔 Tell me when: {code}", code=bookable.code), result)
    assert c.last_answer["text"] == fr._("🔔 We will tell you when a new session opens.")
    await c.click(fr._("🔔 Tell me when: {code}", code=bookable.code), result)  # never off the list
    assert c.last_answer["text"].startswith("🔔 ")
    assert tuple(await db_row(app, "SELECT COUNT(*) FROM interests WHERE user_id = 8102 AND training_id = ?",
                              bookable.training_id)) == (1,)
    await c.click(fr._("📝 Register: {code}", code=bookable.code), result)  # the card's own button
    row = await db_row(app, "SELECT status FROM registrations WHERE user_id = 8102 AND session_id = ?",
                       bookable.next_session)
    assert row is not None and row["status"] in ("confirmed", "pending", "waitlisted")
    # /digitalprofile again: the result, and a second self-assessment is compared with the first.
    await c.send("/digitalprofile")
    assert c.messages[-2].photo is not None
    await c.click(fr._("🔁 Take the self-assessment again"))
    await rate(c, fr, fw, 0, 19, {**LEVELS, "safety": 4})
    safety = fw.areas["safety"][0]
    assert fr._("{area}: {before} → {after}", area=safety, before="1", after="4") in c.last_message.text
    assert len(await assessments(app, 8102)) == 2


async def test_a_restart_in_the_middle_resumes_and_cancel_records_nothing(server, clock, tmp_path):
    ar = translator("ar", "F")
    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)
    await onboard(app, 8103, "ar")
    c = BotClient(app, server, user_id=8103, language_code="ar")
    fw = await framework(app)
    await c.click(ar._("🧭 My digital profile"), (await c.send("/menu"))[-1])
    await c.click(ar._("▶️ Start"))
    await rate(c, ar, fw, 0, 9)
    question11 = c.last_message
    await stop_app(app)  # the bot goes down while she reads statement 11

    app = await start_app(server, clock, db_path, seed=False)
    c = BotClient(app, server, user_id=8103, language_code="ar")
    await c.send("مرحبا")  # not an answer: said so, and the statement is asked again
    assert c.messages[-2].text == ar.to_person("Please tap one of the answers below.")
    assert plain(ar._("Statement {position}/{total}", position=ar.number(11), total=ar.number(20))) \
        in c.last_message.text
    asked_again = c.last_message
    await c.click(level_label(ar, fw, 3), question11)  # a button from before the restart works
    edited = next(m for m in c.messages if m.message_id == question11.message_id)
    assert plain(ar._("Statement {position}/{total}", position=ar.number(12), total=ar.number(20))) \
        in edited.text
    await c.click(level_label(ar, fw, 3), asked_again)  # statement 11's button again: stale
    assert c.last_answer["text"] == ar.to_person("Please tap one of the answers below.")
    assert plain(ar._("Statement {position}/{total}", position=ar.number(12), total=ar.number(20))) \
        in next(m for m in c.messages if m.message_id == asked_again.message_id).text
    assert json.loads((await db_row(app, "SELECT data FROM drafts WHERE user_id = 8103"))["data"])["i"] == 11
    await c.send("/cancel")
    assert c.last_message.text == ar._("The self-assessment is stopped: nothing was recorded.")
    assert await assessments(app, 8103) == []
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 8103") is None
    await c.click(level_label(ar, fw, 3), asked_again)  # after /cancel: no longer valid
    assert c.last_answer["text"] == ar._("This button is no longer valid.")
    await c.click(ar._("🧭 My digital profile"), (await c.send("/menu"))[-1])
    await c.click(ar._("Later"))
    assert c.last_message.text == ar.to_person("Understood. Whenever you like: /digitalprofile.")
    await stop_app(app)


async def outbox_offers(app, user_id: int) -> list[str]:
    return await app.bot_data.db.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT dedupe_key FROM outbox WHERE user_id = ? AND kind = 'profile_again' ORDER BY id",
        (user_id,))])


def started(app, server, user_id: int, lang: str) -> BotClient:
    """Someone who opened the bot before (the bot may write first)."""
    return BotClient(app, server, user_id=user_id, language_code=lang, started=True)


async def test_offered_again_six_months_later_once_and_not_after_a_new_one(app, server, clock):
    fr, ar = translator("fr", "F"), translator("ar", "M")
    fw = await framework(app)
    ratings = {s.qid: LEVELS[s.area] for s in fw.statements}
    service = app.bot_data.self_assessment
    await app.bot_data.db.write(lambda c: c.execute("DELETE FROM assessments"))  # the demo's profiles
    for uid, lang, sex in ((8201, "fr", "F"), (8202, "ar", "M"), (8203, "fr", "F")):
        await onboard(app, uid, lang, sex=sex)
        await service.record(uid, ratings)
    offers = app.bot_data.profile_offers
    clock.advance(days=181)
    await offers.queue()
    assert await outbox_offers(app, 8201) == []  # not six months yet
    clock.advance(days=2)
    await offers.queue()
    await offers.queue()  # looked at again (hourly, or after a restart): queued once
    assert len(await outbox_offers(app, 8201)) == 1
    await service.record(8203, ratings)  # took it again before the offer went: not sent
    amina, youssef, third = (started(app, server, 8201, "fr"), started(app, server, 8202, "ar"),
                             started(app, server, 8203, "fr"))
    await drain(app)
    text = fr.to_person("🧭 Six months have passed since your last self-assessment. Take 3 minutes to "
                        "rate your digital skills again and see what has changed.")
    assert amina.last_message.text == text
    assert youssef.last_message.text == ar.to_person(
        "🧭 Six months have passed since your last self-assessment. Take 3 minutes to "
        "rate your digital skills again and see what has changed.")
    assert not any(m.text == text for m in third.messages)
    clock.advance(days=1)
    await offers.queue()
    await drain(app)
    assert sum(m.text == text for m in amina.messages) == 1  # once per occasion
    await youssef.click(ar._("▶️ Start"))
    await rate(youssef, ar, fw, 0, 19, {**LEVELS, "safety": 3})
    assert ar._("{area}: {before} → {after}", area=fw.areas["safety"][1], before=ar.number(1),
                after=ar.number(3)) in youssef.last_message.text
    clock.advance(days=100)
    await offers.queue()
    assert len(await outbox_offers(app, 8202)) == 1  # the new assessment's six months run again


async def test_offered_when_a_path_is_completed(app, server, clock, fr):
    from tests.test_paths import attend, path_with_elearning

    paths, elearning, path, cohort, sids = await path_with_elearning(app)
    await onboard(app, 8301, "fr")
    assert (await paths.book_cohort(8301, cohort)).outcome == "booked"
    offers = app.bot_data.profile_offers
    for code in ("DAT-201", "EGV-101"):
        await attend(app, 8301, sids[code])
    await offers.queue()
    assert await outbox_offers(app, 8301) == []  # two of four: not complete
    await attend(app, 8301, sids["IA-102"])
    code = await elearning.learner_code(8301)
    csv = f"learner,module,completed_at\n{code},CYB-101,2026-11-20\n"
    assert (await elearning.import_csv(csv)).recorded == 1
    clock.set((await app.bot_data.catalogue.session(sids["IA-102"])).ends_at + timedelta(days=1))
    await offers.queue()
    await offers.queue()
    assert await outbox_offers(app, 8301) == [f"profile_again:8301:p{path}"]
    c = started(app, server, 8301, "fr")
    await drain(app)
    assert c.last_message.text == plain(fr.to_person(
        "🎓 Congratulations on completing the path <b>{title}</b>! Take 3 minutes to rate your digital "
        "skills again and see what has changed.", title="Transformation"))
    assert c.last_message.flat_buttons == [fr._("▶️ Start"), fr._("Later")]


async def test_the_demo_has_profiles_to_compare(app, server, clock):
    from bot.services.demo import seed_demo

    pairs = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT user_id FROM assessments GROUP BY user_id HAVING COUNT(*) = 2 ORDER BY user_id").fetchall())
    assert len(pairs) == 2
    await app.bot_data.db.write(seed_demo, clock.now())  # seeding again adds nothing
    assert tuple(await db_row(app, "SELECT COUNT(*) FROM assessments WHERE user_id = ?", pairs[0][0])) == (2,)
    c = started(app, server, pairs[0][0], "fr")
    await c.send("/digitalprofile")
    assert c.messages[-2].photo is not None and " → " in c.last_message.text
    await app.bot_data.profile_offers.queue()
    assert await outbox_offers(app, pairs[0][0]) == []  # the newest one is recent


def test_the_chart_is_drawn_in_the_persons_language():
    from bot.services.charts import draw_profile

    ar = translator("ar", "F")
    bars = [("الأمن الرقمي", 1.0, 3.5), ("حل المشكلات", None, 4.0)]
    chart = draw_profile(ar, ar._("My digital profile"), bars)
    assert chart.png.startswith(b"\x89PNG") and chart.title == "ملفي الرقمي"
    assert {"الأمن الرقمي", "حل المشكلات", ar._("Previous self-assessment"),
            ar._("This self-assessment")} <= set(chart.texts)
