"""Arabic addresses a woman in the feminine: the person's recorded sex picks the form, on screens
and in the outbox; unknown (onboarding before the sex question) gets the masculine default."""

from __future__ import annotations

import io

from babel.messages.extract import extract

from bot.i18n import FEMALE, translator
from bot.i18n_extract import KEYWORDS
from bot.i18n_extract import extract as extract_person
from tests.conftest import db_row, drain, grant, make_session, onboard
from tests.test_i18n import catalog, missing_feminine

REGISTERED = "✅ You are registered for this session."
CALENDAR_REMOVE = "Open the calendar file to remove the session from your calendar."


async def at_card(app, person, user_id, sid, sex, name):
    await onboard(app, user_id, "ar", sex=sex, full_name=name)
    c = person(user_id, "ar")
    await c.start(f"s_{sid}")
    return c


async def test_a_woman_and_a_man_register_and_cancel_each_addressed_in_their_own_form(app, person, ar):
    sid = await make_session(app, "T-FEM-1", capacity=5)
    salma = await at_card(app, person, 4601, sid, "F", "سلمى العلوي")
    omar = await at_card(app, person, 4602, sid, "M", "عمر الإدريسي")
    for c in (salma, omar):
        await c.click(ar._("✅ Register"))
    # The answer to the tap, and the card.
    assert "ستتوصلين" in salma.last_answer["text"]
    assert "ستتوصل " in omar.last_answer["text"] and "ستتوصلين" not in omar.last_answer["text"]
    assert "✅ أنتِ مسجَّلة في هذه الدورة." in salma.last_message.text
    assert "✅ أنت مسجَّل في هذه الدورة." in omar.last_message.text
    assert translator("ar", "F").to_person(REGISTERED) in salma.last_message.text
    assert translator("ar", "M").to_person(REGISTERED) in omar.last_message.text
    rows = await app.bot_data.db.read(lambda conn: conn.execute(
        "SELECT user_id, status FROM registrations WHERE session_id = ? ORDER BY user_id", (sid,)).fetchall())
    assert [tuple(r) for r in rows] == [(4601, "confirmed"), (4602, "confirmed")]
    await drain(app)
    # Cancelling: the question, then the outbox notice rendered per recipient by the dispatcher.
    for c in (salma, omar):
        await c.click(ar._("❌ Cancel my registration"))
    assert "هل تريدين فعلًا إلغاء مقعدك" in salma.last_message.text
    assert "هل تريد فعلًا إلغاء مقعدك" in omar.last_message.text
    for c in (salma, omar):
        await c.click(ar._("Yes, cancel"))
    assert (await drain(app)).sent == 2
    salma_notice, omar_notice = salma.messages[-1], omar.messages[-1]
    assert salma_notice.document and omar_notice.document
    assert "افتحي ملف التقويم" in salma_notice.caption
    assert "افتح ملف التقويم" in omar_notice.caption
    assert translator("ar", "F")._(CALENDAR_REMOVE) in salma_notice.caption
    assert (await db_row(app, "SELECT status FROM registrations WHERE user_id = 4601"))[0] == "cancelled"


async def test_before_the_sex_question_the_masculine_default_then_her_own_form(app, person, ar):
    c = person(4611, "ar-MA")
    await c.start()
    await c.click("✓ العربية")
    await c.click(ar._("✅ I agree"))
    await c.send("سلمى العلوي")
    await c.send("/catalogue")  # sex not recorded yet: the default (masculine) form
    assert "(أو أرسل /cancel)" in c.messages[-2].text
    await c.click(ar.pgettext("sex", "Woman"))
    assert "في أي إدارة تعملين؟" in c.last_message.text  # the draft's sex already counts
    await c.send("/catalogue")
    assert "(أو أرسلي /cancel)" in c.messages[-2].text
    draft = await db_row(app, "SELECT data FROM drafts WHERE user_id = 4611")
    assert '"sex": "F"' in draft[0]


async def test_a_woman_switching_language_keeps_her_form(app, person, ar):
    await onboard(app, 4621, "fr", sex="F")
    c = person(4621, "fr")
    await c.send("/language")
    await c.click("العربية")
    await c.send("/mytrainings")
    assert "تصفحي دليل التكوينات" in c.last_message.text


def test_french_needs_no_second_form_and_a_man_gets_the_plain_one():
    """French avoids agreeing with "vous" ("Votre inscription … est enregistrée"): its "female"
    entries take the plain translation (`make i18n`: bot/i18n_plain_french.py) and a woman reads
    the plain text."""
    fr_f, fr_m = translator("fr", "F"), translator("fr", "M")
    for msgid in (REGISTERED, CALENDAR_REMOVE, "Where do you work?"):
        assert fr_f.to_person(msgid) == fr_m.to_person(msgid) == translator("fr")._(msgid)
        assert translator("ar", "M").to_person(msgid) == translator("ar")._(msgid)
        assert translator("ar", "F").to_person(msgid) != translator("ar")._(msgid)
    # A plural's French "female" forms are the plain ones.
    forms = ("<b>How long:</b> until you erase it, and at most {n} year after your last activity.",
             "<b>How long:</b> until you erase it, and at most {n} years after your last activity.")
    assert fr_f.nto_person(*forms, 3) == fr_m.nto_person(*forms, 3) == translator("fr").ngettext(*forms, 3)
    assert "3 ans" in fr_f.nto_person(*forms, 3)
    assert "تحذفيها" in translator("ar", "F").nto_person(*forms, 3)


def test_to_person_is_extracted_plain_and_under_the_female_context():
    source = b'say(t.to_person("Choose:"))\nt.nto_person("{n} day", "{n} days", n)\nt._("Plain")\n'
    found = {(ctx, msgid) for _, msgid, _, ctx in extract(extract_person, io.BytesIO(source), KEYWORDS)}
    assert found == {(None, "Choose:"), (FEMALE, "Choose:"), (None, ("{n} day", "{n} days")),
                     (FEMALE, ("{n} day", "{n} days")), (None, "Plain")}


def test_the_catalog_check_fails_when_a_feminine_form_is_missing_empty_or_masculine():
    marked = [(FEMALE, "Where do you work?"), (FEMALE, REGISTERED), (FEMALE, "Choose:")]
    ar = catalog("ar")
    assert missing_feminine(ar, marked) == []
    ar.delete("Where do you work?", context=FEMALE)  # never translated
    ar.get(REGISTERED, context=FEMALE).string = ""  # left empty
    ar.get("Choose:", context=FEMALE).string = ar.get("Choose:").string  # copied, not made feminine
    assert missing_feminine(ar, marked) == ["Where do you work?", REGISTERED, "Choose:"]


async def coordinator(app, person, user_id, sex, name):
    await onboard(app, user_id, "ar", sex=sex, full_name=name)
    await grant(app, user_id, "coordinator")
    return person(user_id, "ar")


async def test_staff_screens_address_a_woman_coordinator_in_the_feminine_and_a_man_in_the_masculine(
        app, person, ar):
    """/invite, /newsession's place question and the revoke confirmation: a coordinator reads
    them in her or his own form, and the revocation she confirms is done."""
    salma = await coordinator(app, person, 4631, "F", "سلمى العلوي")
    omar = await coordinator(app, person, 4632, "M", "عمر الإدريسي")
    await onboard(app, 4633, "ar", sex="M", full_name="Karim Formateur")
    await grant(app, 4633, "trainer")
    await person(4633, "ar").send("/help")  # a chat with the bot: his command menu is updated
    title = (await db_row(app, "SELECT title_ar FROM trainings WHERE code = 'PRJ-101'"))[0]
    for c in (salma, omar):
        await c.send("/invite")
        await c.send("/newsession")
        while title not in [b for row in c.last_message.buttons for b in row]:
            await c.click("▶")
        await c.click(title)
        await c.send("2027-02-10 09:00")
        await c.send("2027-02-10 17:00")
    assert "من تريدين دعوته؟" in salma.messages[-5].text
    assert "من تريد دعوته؟" in omar.messages[-5].text
    assert salma.last_message.text == "المكان بالفرنسية (اكتبيه)، أو اضغطي على «عن بُعد»."
    assert omar.last_message.text == "المكان بالفرنسية (اكتبه)، أو اضغط على «عن بُعد»."
    for c in (salma, omar):
        await c.send("/cancel")
        await c.send("/roles")
        line = next(x for x in c.last_message.text.splitlines() if "Karim Formateur" in x)
        await c.click(ar._("Revoke {number}", number=line.split(".")[0]))
    assert "هل تريدين سحب دور" in salma.last_message.text
    assert "هل تريد سحب دور" in omar.last_message.text
    assert translator("ar", "M").to_person("Revoke the role {role} of {name}?", role="x", name="y") \
        == "هل تريد سحب دور x من y؟"
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 4633") is not None
    await salma.click(ar._("✅ Yes, revoke"))
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 4633") is None


def test_make_i18n_fills_only_the_empty_french_female_entries(tmp_path):
    from bot.i18n_plain_french import fill

    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Where do you work?"\nmsgstr "Où travaillez-vous ?"\n\n'
                  'msgctxt "female"\nmsgid "Where do you work?"\nmsgstr ""\n\n'
                  'msgid "You are registered."\nmsgstr "Vous êtes inscrit."\n\n'
                  'msgctxt "female"\nmsgid "You are registered."\nmsgstr "Vous êtes inscrite."\n',
                  encoding="utf-8")
    assert fill(po) == 1
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "female"\nmsgid "Where do you work?"\nmsgstr "Où travaillez-vous ?"' in text
    assert "Vous êtes inscrite." in text  # a translator's own feminine form stays
    assert fill(po) == 0
