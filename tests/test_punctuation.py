"""Punctuation that belongs to each language: Arabic dates and ranges with the Arabic comma and
"من … إلى …" (never "," or an arrow), French "de" elided before a vowel ("d'Omar")."""

from __future__ import annotations

import pytest

from bot.i18n import elide
from tests.conftest import drain, grant, make_session, onboard
from tests.test_onboarding import is_arabic_first


async def card_of(app, person, user_id, lang, sid):
    await onboard(app, user_id, lang)
    c = person(user_id, lang)
    await c.start(f"s_{sid}")
    return c.last_message.text


async def test_an_arabic_card_says_from_and_to_with_the_arabic_comma(app, person, ar, fr):
    sid = await make_session(app, "T-PUNCT-1", hours=7)
    session = await app.bot_data.catalogue.session(sid)
    text = await card_of(app, person, 7401, "ar", sid)
    when = next(line for line in text.splitlines() if line.startswith("🗓"))
    span = f"من {ar.datetime(session.starts_at)} إلى {ar.time(session.ends_at)}"
    assert when == ar._("🗓 {when}", when=span)
    assert "، " in ar.datetime(session.starts_at) and "," not in when and "–" not in when
    assert is_arabic_first(when)
    # French keeps its own: a comma and a dash.
    text = await card_of(app, person, 7402, "fr", sid)
    assert f"{fr.datetime(session.starts_at)} – {fr.time(session.ends_at)}" in text
    assert ", " in fr.datetime(session.starts_at)


async def test_a_session_over_several_days_has_no_arrow_in_arabic(app, person, ar):
    sid = await make_session(app, "T-PUNCT-2", hours=50)
    session = await app.bot_data.catalogue.session(sid)
    text = await card_of(app, person, 7403, "ar", sid)
    assert "→" not in text
    assert f"من {ar.datetime(session.starts_at)} إلى {ar.datetime(session.ends_at)}" in text


async def test_an_arabic_place_and_region_are_joined_by_the_arabic_comma(app, person, ar):
    sid = await make_session(app, "T-PUNCT-3")
    text = await card_of(app, person, 7404, "ar", sid)
    where = next(line for line in text.splitlines() if line.startswith("📍"))
    assert "، " in where and ", " not in where


@pytest.mark.parametrize(("name", "expected"), [
    ("Omar Benali", "📝 Demande de validation d'Omar Benali"),
    ("Amina El Idrissi", "📝 Demande de validation d'Amina El Idrissi"),
    ("Karim Tazi", "📝 Demande de validation de Karim Tazi"),
    ("Youssef Alami", "📝 Demande de validation de Youssef Alami"),  # y is not a vowel here
    ("Hassan Idrissi", "📝 Demande de validation de Hassan Idrissi"),
])
async def test_a_french_approval_request_elides_de_before_a_vowel(app, person, fr, name, expected):
    sid = await make_session(app, "T-PUNCT-APR", needs_approval=True)
    await onboard(app, 7410, "fr", full_name="Samira Focal")
    await grant(app, 7410, "focal_point", "MEF")
    focal = person(7410, "fr")
    await focal.start()
    await onboard(app, 7411, "fr", full_name=name)
    official = person(7411, "fr")
    await official.start(f"s_{sid}")
    await official.click(fr._("📝 Ask for a place"))
    await drain(app)
    assert focal.last_message.text.startswith(expected + " (")


def test_elision_rules(fr, ar):
    assert elide("Point focal de {admin}", {"admin": "Agadir"}) == "Point focal d'{admin}"
    assert elide("le rôle de <b>{role}</b>", {"role": "administrateur"}) == "le rôle d'<b>{role}</b>"
    assert elide("De {x} à {y}", {"x": "Écoles", "y": "Rabat"}) == "D'{x} à {y}"
    assert elide("moins de {n} réponses", {"n": "11"}) == "moins de {n} réponses"
    assert elide("de {name}", {"name": "\u2068يوسف\u2069"}) == "de {name}"
    assert elide("Demande {x}", {"x": "Omar"}) == "Demande {x}"  # only the word "de"
    assert fr._("Welcome! You are now {role}. Your commands are in the menu (/help).",
                role="administrateur").endswith("le rôle d'administrateur. Vos commandes se "
                                                "trouvent dans le menu (/help).")
    # Arabic is never touched.
    assert "d'" not in ar._("Welcome! You are now {role}. Your commands are in the menu (/help).",
                            role="administrateur")
