"""Onboarding end to end through the sandbox, in French and in Arabic."""

from __future__ import annotations

import pytest

from tests.conftest import db_row, start_app, stop_app


def is_arabic_first(text: str) -> bool:
    """Telegram takes a message's direction from its first strong character."""
    first = next((c for c in text if c.isalpha()), "")
    return "\u0600" <= first <= "\u06ff"


async def walk_to_summary(c, t, name="Amina El Idrissi", admin_query="finances",
                          admin_label="Ministère de l'Économie et des Finances", region=None):
    await c.start()
    await c.click(("✓ " if t.lang == "fr" else "") + ("Français" if t.lang == "fr" else "العربية"))
    await c.click(t._("✅ I agree"))
    await c.send(name)
    await c.click(t.pgettext("sex", "Woman"))
    await c.send(admin_query)
    await c.click(admin_label)
    if region:
        await c.click(t.pgettext("level", "Territorial (regional or local) services"))
        await c.click(region)
    else:
        await c.click(t.pgettext("level", "Central administration"))
    await c.click("Cadre" if t.lang == "fr" else "إطار")


async def test_french_onboarding_end_to_end(app, person, fr):
    c = person(1001, "fr-FR")
    shown = await c.start()
    assert "Quelle langue préférez-vous" in shown[-1].text
    assert shown[-1].buttons == [["✓ Français", "العربية"]]  # preselected from language_code
    await c.click("✓ Français")
    assert "loi 09-08" in c.last_message.text and "Acceptez-vous" in c.last_message.text
    await c.click("✅ J'accepte")
    assert "nom complet" in c.last_message.text
    # Before the summary is confirmed nothing is in the users table: only the draft.
    assert await db_row(app, "SELECT id FROM users WHERE id = 1001") is None
    await c.send("Amina El Idrissi")
    await c.click("Femme")
    assert "administration" in c.last_message.text
    await c.send("economie")  # accents ignored
    await c.click("Ministère de l'Économie et des Finances")
    await c.click("Services territoriaux (régionaux ou locaux)")
    await c.click("Rabat-Salé-Kénitra")
    await c.click("Cadre")
    summary = c.last_message.text
    assert "Veuillez vérifier vos réponses" in summary
    for expected in ("Amina El Idrissi", "Femme", "Ministère de l'Économie et des Finances",
                     "Rabat-Salé-Kénitra", "Cadre"):
        assert expected in summary
    shown = await c.click("✅ Confirmer")
    assert any("Merci, Amina El Idrissi" in m.text for m in shown)
    assert "Catalogue des formations" in " ".join(b for row in c.last_message.buttons for b in row)
    row = await db_row(app, "SELECT * FROM users WHERE id = 1001")
    assert (row["full_name"], row["sex"], row["administration_code"], row["level"],
            row["region_code"], row["position_code"], row["language"]) == (
        "Amina El Idrissi", "F", "MEF", "territorial", "RSK", "cadre", "fr")
    assert row["consent_at"] and row["onboarded_at"]
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 1001") is None


async def test_arabic_onboarding_end_to_end(app, person, ar):
    c = person(1002, "ar-MA", first_name="Youssef")
    shown = await c.start()
    assert shown[-1].buttons == [["Français", "✓ العربية"]]
    assert is_arabic_first(shown[-1].text)
    await c.click("✓ العربية")
    assert "09.08" in c.last_message.text and is_arabic_first(c.last_message.text)
    await c.click(ar._("✅ I agree"))
    await c.send("يوسف بنعلي")
    await c.click(ar.pgettext("sex", "Man"))
    await c.send("الماليه")  # ta marbuta typed as ha: still found
    await c.click("وزارة الاقتصاد والمالية")
    await c.click(ar.pgettext("level", "Central administration"))
    await c.click("إطار")
    summary = c.last_message
    assert is_arabic_first(summary.text)
    assert "يوسف بنعلي" in summary.text and "وزارة الاقتصاد والمالية" in summary.text
    await c.click(ar._("✅ Confirm"))
    assert is_arabic_first(c.last_message.text)
    row = await db_row(app, "SELECT language, sex, level, region_code FROM users WHERE id = 1002")
    assert tuple(row) == ("ar", "M", "central", None)


async def test_unknown_telegram_language_defaults_to_french_then_arabic_choice(app, person, ar):
    c = person(1003, "en")
    shown = await c.start()
    assert shown[-1].buttons == [["✓ Français", "العربية"]]
    await c.click("العربية")
    assert is_arabic_first(c.last_message.text)  # the consent notice is already in Arabic
    assert c.last_message.buttons == [[ar._("✅ I agree"), ar._("I decline")]]


async def test_no_language_code_at_all(app, person):
    c = person(1004, None)
    shown = await c.start()
    assert "Quelle langue" in shown[-1].text


async def test_declining_stores_nothing(app, person):
    c = person(1005, "fr")
    await c.start()
    await c.click("✓ Français")
    shown = await c.click("Je refuse")
    assert "rien n'a été enregistré" in shown[-1].text.lower() or "aucune" in shown[-1].text.lower()
    assert await db_row(app, "SELECT * FROM users WHERE id = 1005") is None
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 1005") is None
    # Coming back starts from the beginning.
    shown = await c.send("bonjour")
    assert "Quelle langue" in shown[-1].text


async def test_restart_half_way_resumes_at_the_same_step(server, clock, tmp_path, fr):
    from tgsandbox.client import BotClient

    db_path = tmp_path / "bot.db"
    app = await start_app(server, clock, db_path)
    c = BotClient(app, server, user_id=1006, language_code="fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Nadia Alaoui")
    await c.click("Femme")
    await stop_app(app)  # the bot goes down while the person is choosing an administration

    app = await start_app(server, clock, db_path, seed=False)
    c = BotClient(app, server, user_id=1006, language_code="fr")
    # A button from before the restart still works: the step is in the database.
    await c.click("▶")
    assert "2/3" in " ".join(b for row in c.last_message.buttons for b in row)
    await c.click("Ministère de la Justice")
    assert "Où travaillez-vous" in c.last_message.text
    await c.click("Administration centrale")
    await c.click("Responsable (directeur, chef de division / service)")
    await c.click("✅ Confirmer")
    row = await db_row(app, "SELECT full_name, sex, administration_code FROM users WHERE id = 1006")
    assert tuple(row) == ("Nadia Alaoui", "F", "MJ")
    await stop_app(app)


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "lettres"),
    ("A" * 10_000, "trop long"),
    ("Amina", "prénom et votre nom"),
    ("12345 678", "lettres"),
    ("😀 😀", "lettres"),
])
async def test_bad_names_are_explained_and_asked_again(app, person, text, expected):
    c = person(1010, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    shown = await c.send(text)
    assert expected in shown[0].text.lower()
    assert "nom complet" in shown[-1].text  # the question again
    draft = await db_row(app, "SELECT step, data FROM drafts WHERE user_id = 1010")
    assert draft["step"] == "name" and "full_name" not in draft["data"]


async def test_bidi_and_zero_width_characters_are_stripped_from_names(app, person):
    c = person(1011, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Sa\u202eïd\u200b  Benali\u2066")
    draft = await db_row(app, "SELECT json_extract(data, '$.full_name') FROM drafts WHERE user_id = 1011")
    assert draft[0] == "Saïd Benali"


async def test_non_text_where_text_or_buttons_expected(app, person):
    c = person(1012, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    for action in (c.send_sticker, c.send_photo, c.send_voice, lambda: c.send_location(34.0, -6.8)):
        shown = await action()
        assert "taper votre nom" in shown[0].text.lower()
    await c.send("Karim Tazi")
    shown = await c.send("une femme")  # text where a button is expected
    assert "boutons" in shown[0].text
    assert shown[-1].buttons == [["Femme", "Homme"]]
    shown = await c.send_sticker()
    assert "boutons" in shown[0].text


async def test_commands_in_the_middle_and_cancel(app, person):
    c = person(1013, "fr")
    await c.start()
    await c.click("✓ Français")
    shown = await c.send("/catalogue")
    assert "terminons d'abord votre inscription" in shown[0].text.lower()
    assert "Acceptez-vous" in shown[-1].text
    shown = await c.send("/nimportequoi")
    assert "Acceptez-vous" in shown[-1].text
    shown = await c.start("s_1")  # /start again in the middle: same step, nothing lost
    assert "Acceptez-vous" in shown[-1].text
    shown = await c.send("/cancel")
    assert "/start" in shown[-1].text
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 1013") is None


async def test_stale_and_forged_buttons(app, person):
    c = person(1014, "fr")
    await c.start()
    first = c.last_message
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    # A button pressed where a name is expected: asked to type it.
    shown = await c.click_data("v1:ob:language:fr", first)
    assert "taper votre nom" in c.last_answer["text"] and "nom complet" in shown[-1].text
    await c.send("Karim Tazi")
    # The language button of the first message (edited since) at a button step.
    shown = await c.click_data("v1:ob:language:fr", first)
    assert "question précédente" in c.last_answer["text"]
    assert shown[-1].buttons == [["Femme", "Homme"]]
    await c.click_data("v1:ob:sex:X", c.last_message)
    await c.click_data("v1:ob:sex", c.last_message)
    await c.click_data("\u0000" * 10, c.last_message)
    draft = await db_row(app, "SELECT step FROM drafts WHERE user_id = 1014")
    assert draft["step"] == "sex"


async def test_edited_message_gets_a_note(app, person):
    c = person(1015, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Karim Tazi")
    shown = await c.edit(c.last_sent, "Karim Tazi-Alami")
    assert "modifiés ne sont pas lus" in shown[0].text
    draft = await db_row(app, "SELECT json_extract(data, '$.full_name') FROM drafts WHERE user_id = 1015")
    assert draft[0] == "Karim Tazi"


async def test_changing_answers_at_the_summary(app, person, fr):
    c = person(1016, "fr")
    await walk_to_summary(c, fr, region="Souss-Massa")
    assert "Souss-Massa" in c.last_message.text
    await c.click("✏️ Nom")
    await c.send("Amina Bennani")
    assert "Amina Bennani" in c.last_message.text and "Veuillez vérifier" in c.last_message.text
    await c.click("✏️ Niveau et région")
    await c.click("Administration centrale")  # territorial → central: the region goes
    assert "Souss-Massa" not in c.last_message.text
    await c.click("✏️ Niveau et région")
    await c.click("Services territoriaux (régionaux ou locaux)")
    await c.click("L'Oriental")  # territorial asks the region, then back to the summary
    assert "L'Oriental" in c.last_message.text and "Veuillez vérifier" in c.last_message.text
    await c.click("✅ Confirmer")
    row = await db_row(app, "SELECT full_name, level, region_code FROM users WHERE id = 1016")
    assert tuple(row) == ("Amina Bennani", "territorial", "ORI")


async def test_administration_pagination_edges(app, person):
    c = person(1017, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Karim Tazi")
    await c.click("Homme")
    page = c.last_message
    flat = [b for row in page.buttons for b in row]
    assert "1/3" in flat and "▶" in flat and "◀" not in flat
    await c.click("▶")
    await c.click("▶")
    flat = [b for row in c.last_message.buttons for b in row]
    assert "3/3" in flat and "▶" not in flat and "◀" in flat
    await c.click("3/3")  # the counter: answered, nothing changes
    await c.click_data("v1:ob:administration:p:99", c.last_message)  # forged page: the last one
    assert "3/3" in [b for row in c.last_message.buttons for b in row]
    shown = await c.send("zzzz")
    assert "Aucune administration ne correspond" in shown[0].text


async def test_session_link_before_onboarding_lands_on_the_session(app, person, fr):
    session_id = (await db_row(app, "SELECT id FROM sessions WHERE reference = 'TRF-102-01'"))[0]
    c = person(1018, "fr")
    await c.start(f"s_{session_id}")
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Karim Tazi")
    await c.click("Homme")
    await c.send("justice")
    await c.click("Ministère de la Justice")
    await c.click("Administration centrale")
    await c.click("Cadre")
    shown = await c.click("✅ Confirmer")
    title = (await db_row(app, "SELECT t.title_fr FROM sessions s JOIN trainings t ON t.id = "
                               "s.training_id WHERE s.id = ?", session_id))[0]
    assert title in shown[-1].text


async def test_group_messages_are_pointed_to_the_private_chat(app, person):
    c = person(1019, "fr")
    shown = await c.send_in_group("/start")
    assert "conversation privée" in shown[0].text
    await c.send_in_group("bonjour tout le monde")
    assert await db_row(app, "SELECT * FROM drafts WHERE user_id = 1019") is None


async def test_help_privacy_and_language_answer_then_the_same_step(app, person, fr, ar):
    c = person(1030, "fr")
    await c.start()
    await c.click("✓ Français")
    await c.click("✅ J'accepte")
    await c.send("Omar Benali")
    shown = await c.send("/help")
    assert "/language" in shown[0].text and "/privacy" in shown[0].text
    assert shown[-1].buttons == [["Femme", "Homme"]]  # the question they were at
    shown = await c.send("/privacy")
    assert "loi 09-08" in shown[0].text
    assert shown[-1].buttons == [["Femme", "Homme"]]
    shown = await c.send("/language")
    assert shown[-1].buttons == [["✓ Français", "العربية"]]
    await c.click("العربية")  # back to the sex question, now in Arabic
    assert is_arabic_first(c.last_message.text)
    assert c.last_message.buttons == [[ar.pgettext("sex", "Woman"), ar.pgettext("sex", "Man")]]
    draft = await db_row(app, "SELECT step, json_extract(data, '$.language') AS lang, "
                              "json_extract(data, '$.full_name') AS name, "
                              "json_extract(data, '$.resume') AS resume "
                              "FROM drafts WHERE user_id = 1030")
    assert tuple(draft) == ("sex", "ar", "Omar Benali", None)
    shown = await c.send("/help")
    assert is_arabic_first(shown[0].text) and "/cancel" in shown[0].text
    await c.click(ar.pgettext("sex", "Man"))
    assert await db_row(app, "SELECT * FROM users WHERE id = 1030") is None  # still a draft


async def test_language_during_the_name_step_comes_back_to_it(app, person, ar):
    c = person(1031, "ar")
    await c.start()
    await c.click("✓ العربية")
    await c.click(ar._("✅ I agree"))
    await c.send("/language")
    shown = await c.click("Français")
    assert "nom complet" in shown[-1].text
    shown = await c.send("/privacy")  # at the consent step the notice is not sent twice
    assert "nom complet" in shown[-1].text and len(shown) == 2


async def test_administration_search_shows_and_counts_every_match(app, person, fr, ar):
    c = person(1032, "fr")
    await walk_to_administration(c, "fr")
    shown = await c.send("ministere")
    assert fr.ngettext("{n} administration matches “{query}”:",
                       "{n} administrations match “{query}”:", 19, query="ministere") \
        in shown[-1].text
    assert "19 administrations" in shown[-1].text
    assert ["1/3", "▶"] in shown[-1].buttons
    await c.click("▶")
    await c.click("▶")
    assert ["◀", "3/3"] in c.last_message.buttons
    await c.click("Ministère du Transport et de la Logistique")  # the 19th match
    assert "Où travaillez-vous" in c.last_message.text
    row = await db_row(app, "SELECT json_extract(data, '$.administration_code') FROM drafts "
                            "WHERE user_id = 1032")
    assert row[0] == "MTL"

    a = person(1033, "ar")
    await walk_to_administration(a, "ar")
    shown = await a.send("وزارة")
    assert shown[-1].text == ar.ngettext("{n} administration matches “{query}”:",
                                         "{n} administrations match “{query}”:", 19,
                                         query="وزارة")
    await a.click("▶")
    assert [b for row in a.last_message.buttons for b in row].count("◀") == 1
    assert any(ar.number(2) in b for row in a.last_message.buttons for b in row)


async def walk_to_administration(c, lang):
    await c.start()
    await c.click("✓ Français" if lang == "fr" else "✓ العربية")
    await c.click("✅ J'accepte" if lang == "fr" else "✅ أوافق")
    await c.send("Omar Benali" if lang == "fr" else "عمر بنعلي")
    await c.click("Homme" if lang == "fr" else "رجل")
