"""Punctuation that belongs to each language: Arabic dates and ranges with the Arabic comma and
"من … إلى …" (never "," or an arrow), French "de" elided before a vowel ("d'Omar")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.i18n import elide, translator
from bot.storage.questionnaire_data import OBSTACLES
from bot.timeutil import from_local, to_db
from tests.conftest import db_row, drain, grant, make_session, onboard
from tests.test_attendance import PEOPLE
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


def local(text: str) -> datetime:
    return from_local(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def _buttons(c) -> list[str]:
    return [b for row in c.last_message.buttons for b in row]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_new_session_summary_and_a_move_show_their_range_in_each_language(
        app, person, fr, ar, lang):
    """/newsession's summary and the summary of a move say "من … إلى …" in Arabic, "–" in
    French, never an arrow; same day: the end's time only, as on the card."""
    t = ar if lang == "ar" else fr
    await onboard(app, 7420, lang)
    await grant(app, 7420, "coordinator")
    c = person(7420, lang)
    title = (await db_row(app, f"SELECT title_{lang} FROM trainings WHERE code = 'PRJ-101'"))[0]
    await c.send("/newsession")
    while title not in _buttons(c):
        await c.click("▶")
    await c.click(title)
    await c.send("2027-02-10 09:00")
    await c.send("2027-02-11 17:00")  # two days
    await c.click(t._("Online"))
    await c.send("https://meet.example.org/x")
    await c.click(t.pgettext("session language", "French"))
    await c.send("12")
    await c.click(t._("No"))
    start, end = local("2027-02-10 09:00"), local("2027-02-11 17:00")
    expected = {"ar": f"من {ar.datetime(start)} إلى {ar.datetime(end)}",
                "fr": f"{fr.datetime(start)} – {fr.datetime(end)}"}[lang]
    summary = c.last_message.text
    assert expected in summary.splitlines() and "→" not in summary
    await c.click(t._("✅ Publish"))
    sid = (await db_row(app, "SELECT id FROM sessions WHERE online_url = 'https://meet.example.org/x'"))[0]
    # Moving it to one day: the end's time only.
    await c.start(f"s_{sid}")
    await c.click(t._("🛠 Manage this session"))
    await c.click(t._("🕒 Change the date, time or place"))
    await c.send("2027-03-01 10:00")
    await c.send("2027-03-01 12:30")
    await c.click(t._("Keep the same link"))
    start, end = local("2027-03-01 10:00"), local("2027-03-01 12:30")
    expected = {"ar": f"من {ar.datetime(start)} إلى {ar.time(end)}",
                "fr": f"{fr.datetime(start)} – {fr.time(end)}"}[lang]
    assert c.last_message.text.startswith(t._("<b>The session will be:</b>").replace("<b>", "").replace(
        "</b>", ""))
    assert expected in c.last_message.text.splitlines() and "→" not in c.last_message.text
    await c.click(t._("✅ Apply and tell everyone"))
    assert tuple(await db_row(app, "SELECT starts_at, ends_at FROM sessions WHERE id = ?", sid)) == (
        to_db(start), to_db(end))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_several_choices_read_back_with_each_languages_comma(app, person, clock, lang):
    """A cold evaluation's "several answers possible" question, read back: "، " in Arabic."""
    from tests.test_evaluations import attended

    t = translator(lang, "M")
    uid = 7002 if lang == "ar" else 7003
    _, regs, session = await attended(app, person, clock, f"T-PUNCT-Q-{lang}",
                                      people=[p for p in PEOPLE if p[0] == uid])
    c = regs[uid][0]
    clock.set(session.ends_at + timedelta(days=90))
    await drain(app)
    await c.click(t._("📝 Answer the questionnaire"))
    pick = {code: (fr_label if lang == "fr" else ar_label) for code, fr_label, ar_label in OBSTACLES}
    await c.click({"fr": "Parfois", "ar": "أحيانا"}[lang])
    await c.click(t._("Skip ⏭"))
    await c.click(f"☐ {pick['no_tools']}")
    await c.click(f"☐ {pick['no_support']}")
    await c.click(t._("✅ Done"))
    sep = "، " if lang == "ar" else ", "
    listed = f"{pick['no_tools']}{sep}{pick['no_support']}"
    assert any(listed in (m.text or "") for m in c.messages[-3:]), [m.text for m in c.messages[-3:]]
    assert not any(f"{pick['no_tools']}, " in (m.text or "") for m in c.messages) or lang == "fr"


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_import_preview_says_old_to_new_and_where_in_each_language(app, person, lang):
    """A changed field in the workbook's preview: "من old إلى new" in Arabic (an arrow between
    right-to-left runs points back to the old value), "old → new" in French; a problem's sheet,
    row and column are listed with the Arabic comma."""
    from tests.test_catalogue_import import coordinator, session_row, workbook

    t = translator(lang, "F")
    c = await coordinator(app, person, lang)
    old = (await db_row(app, "SELECT capacity FROM sessions WHERE reference = 'CYB-102-02'"))[0]
    data = workbook(trainings=(), sessions=[session_row("CYB-102-02", training="CYB-102",
                                                        start="2027-01-05 09:00", end="2027-01-05 16:00",
                                                        capacity=old + 5)])
    shown = await c.upload(data, "move.xlsx", "application/octet-stream")
    line = next(x for x in shown[-1].text.splitlines() if "capacite" in x)
    old_new = {"ar": f"من {t.number(old)} إلى {t.number(old + 5)}",
               "fr": f"{t.number(old)} → {t.number(old + 5)}"}[lang]
    assert line.endswith(old_new), line
    if lang == "ar":
        assert "→" not in shown[-1].text
    shown = await c.upload(workbook(sessions=[session_row(start="demain")]), "bad.xlsx",
                           "application/octet-stream")
    where = t.join([t._("sheet {sheet}", sheet="sessions"), t._("row {row}", row=t.number(2)),
                    t._("column {column}", column="debut")])
    assert where in shown[-1].text
    assert ("، " in where) == (lang == "ar")
    assert (await db_row(app, "SELECT capacity FROM sessions WHERE reference = 'CYB-102-02'"))[0] == old
