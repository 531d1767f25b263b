"""Input that looks harmless and is not: numbers typed or forged with "²", "①" or other scripts'
digits, names that print blank, and catalogue texts that a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from openpyxl import load_workbook

from tests.conftest import ADMIN_ID, db_row, grant, make_session, onboard
from tests.reports_data import finished_session, staff
from tests.test_evaluations import attended
from tests.test_exports import export
from tests.test_onboarding import is_arabic_first

NOT_NUMBERS = ["²", "①", "५", "12345678901234567890", "-1", "+3", "4.5", "", " ", "٥٫٥"]


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("٤٢", 42), ("۴۲", 42), (" 7 ", 7), ("\u200f٥", 5), ("0", 0), ("0012", 12),
    *((bad, None) for bad in NOT_NUMBERS), (None, None),
])
def test_parse_int_reads_ascii_eastern_arabic_and_persian_digits_only(text, expected):
    from bot.text import parse_int

    assert parse_int(text) == expected


def crashes(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "etamkeen.errors" and r.levelno >= logging.ERROR]


async def _managing(app, person, user_id: int, lang: str, t, session_id: int):
    await onboard(app, user_id, lang)
    await grant(app, user_id, "coordinator")
    c = person(user_id, lang)
    await c.start(f"s_{session_id}")
    await c.click(t._("🛠 Manage this session"))
    return c


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_odd_digits_as_a_number_of_places_are_explained(app, person, server, caplog, lang, fr, ar):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-DIGITS-{lang}", capacity=1)
    c = await _managing(app, person, 9950 if lang == "fr" else 9951, lang, t, sid)
    for typed, places in (("٥", 5), ("۷", 7)):  # Eastern Arabic five, Persian seven
        await c.click(t._("🪑 Change the number of places"))
        for bad in ("²", "①", "12345678901234567890", "-1"):
            shown = await c.send(bad)
            assert [m.text for m in shown] == [t._("Please type a whole number of places, from 1 to 10000.")]
        if lang == "ar":
            assert is_arabic_first(c.last_message.text)
        await c.send(typed)
        assert c.last_message.text == t._("Done: the session now has {n} places.", n=t.number(places))
        assert (await db_row(app, "SELECT capacity FROM sessions WHERE id = ?", sid))[0] == places
    assert not crashes(caplog) and not server.messages(ADMIN_ID)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_odd_digits_as_a_new_sessions_places_are_explained(app, person, lang, fr, ar, caplog):
    t = ar if lang == "ar" else fr
    await onboard(app, 9952, lang)
    await grant(app, 9952, "coordinator")
    c = person(9952, lang)
    await c.send("/newsession")
    await c.press(1)  # the first training
    await c.send("2027-02-10 09:00")
    await c.send("2027-02-10 17:00")
    await c.send("Salle 2")
    await c.press(1)  # the Arabic place: same as in French
    await c.press(1)  # the first region
    await c.press(1)  # the session's language: French
    for bad in ("²", "①", "-1", "12345678901234567890"):
        shown = await c.send(bad)
        assert shown[0].text == t._("Please type a whole number of places, from 1 to 10000.")
    await c.send("۱۲")  # Persian twelve
    assert t._("No") in c.last_message.flat_buttons  # the next question
    draft = await db_row(app, "SELECT json_extract(data, '$.capacity') FROM drafts WHERE user_id = 9952")
    assert draft[0] == 12
    assert not crashes(caplog)


async def test_a_date_in_other_digits_is_refused_not_misread(app, person, fr):
    sid = await make_session(app, "T-DIGITS-DATE")
    c = await _managing(app, person, 9953, "fr", fr, sid)
    await c.click(fr._("🕒 Change the date, time or place"))
    shown = await c.send("२०२७-०२-१० ०९:००")  # Devanagari digits: not ours to read
    assert shown[0].text == fr._("Please write the date and time as YYYY-MM-DD HH:MM, for example "
                                 "2026-12-10 09:30.")
    await c.send("٢٠٢٧-٠٢-١٠ ٠٩:٠٠")  # Eastern Arabic digits are read
    assert c.last_message.text.startswith(fr._("New end, as YYYY-MM-DD HH:MM — or keep the same length."))
    draft = await db_row(app, "SELECT json_extract(data, '$.start') FROM drafts WHERE user_id = 9953")
    assert draft[0].startswith("2027-02-10")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_odd_digits_as_a_questionnaire_score_are_explained(app, person, clock, lang, fr, ar, caplog):
    t = ar if lang == "ar" else fr
    people = [(7001, "fr", "Amina El Idrissi", "F")] if lang == "fr" else [(7002, "ar", "يوسف بنعلي", "M")]
    _, regs, _ = await attended(app, person, clock, f"T-SCORE-{lang}", people)
    client, reg = regs[people[0][0]]
    await client.click(t._("📝 Answer the questionnaire"))
    for bad in ("²", "①", "५", "12345678901234567890", "-1", "0"):
        shown = await client.send(bad)
        assert shown[0].text == t._("Please answer with a number from 1 to 5, or tap a button.")
        assert "1/15" in shown[-1].text
    await client.send("٥")
    await client.send("۳")  # Persian three
    assert "3/15" in client.last_message.text
    scores = await app.bot_data.db.read(lambda c: c.execute(
        "SELECT a.qid, a.score FROM answers a JOIN responses r ON r.id = a.response_id"
        " WHERE r.registration_id = ?", (reg,)).fetchall())
    assert dict(map(tuple, scores)) == {"objectives": 5, "relevance": 3}
    assert not crashes(caplog)


def _buttons_sent(server) -> set[str]:
    """Every callback data the bot has put on a button so far."""
    seen = set()
    for call in server.calls:
        markup = call.params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup or {}
        for row in markup.get("inline_keyboard", []):
            seen.update(b["callback_data"] for b in row if "callback_data" in b)
    return seen


def _forged(data: str) -> set[str]:
    """The data with each number in it, in turn, replaced by "²" and by "①"."""
    parts = data.split(":")
    return {":".join([*parts[:i], odd, *parts[i + 1:]])
            for i, part in enumerate(parts) if part.isdigit() for odd in ("²", "①")}


async def test_forged_buttons_with_odd_digits_are_no_longer_valid(app, person, server, caplog, fr):
    """Every button the bot showed on a tour, with its numbers forged: answered, never a crash."""
    sid = await make_session(app, "T-FORGE")
    past = await finished_session(app, "T-FORGE-PAST", [(9960, "F", "MJ", "attended"),
                                                        (9961, "M", "MJ", "attended")])
    await app.bot_data.db.write(lambda conn: conn.execute(
        "UPDATE sessions SET trainer_id = 9960 WHERE id IN (?, ?)", (sid, past)))
    c = person(9960, "fr")
    await grant(app, 9960, "coordinator")
    await grant(app, 9960, "trainer")
    await c.start(f"s_{sid}")
    await c.click(fr._("🛠 Manage this session"))
    for command in ("/catalogue", "/mytrainings", "/profile", "/dashboard", "/roster", "/approvals",
                    "/export", "/roles", "/attestation", "/evaluations", "/charts", "/demand",
                    "/privacy", "/language", "/menu", "/broadcasts"):
        await c.send(command)
    await c.send("/mysessions")
    await c.press(1)  # a session as its trainer: roster, messages, results
    await c.start(f"s_{sid}")
    await c.click(fr._("✅ Register"))
    await c.send("/broadcast")
    await c.click(fr._("The participants of a session"))
    buttons = _buttons_sent(server)
    forged = set().union(*map(_forged, buttons))
    assert len(forged) > 40, sorted(buttons)
    for data in sorted(forged):
        await c.click_data(data)  # raises unless the query was answered
    assert not crashes(caplog), [r.getMessage() for r in crashes(caplog)]
    assert not server.messages(ADMIN_ID)
    for data in ("v1:reg:join:²", "v1:reg:cancel:①", "v1:cert:get:²", "v1:apr:ok:①"):
        await c.click_data(data)
        assert c.last_answer["text"] == fr._("This button is no longer valid."), data


# --- names ------------------------------------------------------------------------------------

BLANK_NAMES = ["\u3164 \u3164", "\u115f\u1160 \u115f\u1160", "\u2800\u2800 \u2800",
               "\u200b\u200b \u2060\u2060", "\u3164\u200b \u00ad\u3164", "\uffa0\uffa0 \u180e\u3164"]


@pytest.mark.parametrize("raw, shown", [
    ("Amina\u3164El Idrissi", "Amina El Idrissi"), ("Ami\u00adna El\u2800Idrissi", "Amina El Idrissi"),
    ("\u3164\u3164", ""), ("\u2800", ""), ("يوسف\u200b بنعلي", "يوسف بنعلي"),
])
def test_a_name_is_kept_as_it_prints(raw, shown):
    from bot.text import visible_name

    assert visible_name(raw) == shown


async def _at_the_name_question(person, user_id: int, t):
    c = person(user_id, t.lang)
    await c.start()
    await c.click(("✓ " if t.lang == "fr" else "") + ("Français" if t.lang == "fr" else "العربية"))
    await c.click(t._("✅ I agree"))
    return c


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_invisible_names_are_refused_at_onboarding(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    c = await _at_the_name_question(person, 9970 if lang == "fr" else 9971, t)
    blank = t._("This name has no visible letter: please type your first name and your last name in "
                "letters.")
    for name in BLANK_NAMES:
        shown = await c.send(name)
        assert shown[0].text == blank, repr(name)
        assert shown[-1].text == t._("What is your full name (first name and last name)?")
    if lang == "ar":
        assert is_arabic_first(blank)
    # A real name with a filler or a zero-width space inside is kept as it prints.
    await c.send("Amina\u3164El\u200b Idrissi" if lang == "fr" else "يوسف\u3164بنعلي")
    draft = await db_row(app, "SELECT json_extract(data, '$.full_name') FROM drafts WHERE user_id = ?",
                         c.user_id)
    assert draft[0] == ("Amina El Idrissi" if lang == "fr" else "يوسف بنعلي")


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_invisible_names_are_refused_in_the_profile(app, person, lang, fr, ar):
    t = ar if lang == "ar" else fr
    uid = 9972 if lang == "fr" else 9973
    await onboard(app, uid, lang)
    c = person(uid, lang)
    await c.send("/profile")
    await c.click(t._("✏️ Name"))
    for name in BLANK_NAMES:
        shown = await c.send(name)
        assert shown[0].text == t._("This name has no visible letter: please type your first name and "
                                    "your last name in letters.")
    assert (await db_row(app, "SELECT full_name FROM users WHERE id = ?", uid))[0] == "Amina El Idrissi"
    await c.send("Nadia\u3164 Bennani")
    assert (await db_row(app, "SELECT full_name FROM users WHERE id = ?", uid))[0] == "Nadia Bennani"


# --- formulas in catalogue texts --------------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://x","y")'


async def _catalogue_with_formulas(app):
    """A training titled with a formula, and a session whose reference is "+1"."""
    sid = await finished_session(app, "+1", [(9980, "F", "MJ", "attended", "@Nadia Formule")])
    await app.bot_data.db.write(lambda conn: conn.execute(
        "UPDATE trainings SET title_fr = ?, title_ar = ? WHERE id = (SELECT training_id FROM sessions"
        " WHERE id = ?)", (FORMULA_TITLE, "-" + FORMULA_TITLE, sid)))
    return sid


@pytest.mark.parametrize("kind", ["registrations", "attendance"])
async def test_catalogue_texts_are_never_formulas_in_xlsx(app, person, fr, ar, kind):
    await _catalogue_with_formulas(app)
    for lang, t in (("fr", fr), ("ar", ar)):
        coord = await staff(app, person, 9981 if lang == "fr" else 9982, lang)
        sheet = load_workbook(io.BytesIO((await export(coord, t, kind, "xlsx")).document.data)).worksheets[0]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value in ("+1", "'+1"))
        title = FORMULA_TITLE if lang == "fr" else "-" + FORMULA_TITLE
        assert (row[0].data_type, row[0].value) == ("s", "'+1")
        assert (row[1].data_type, row[1].value) == ("s", "'" + title)
        name = next(c for c in row if "Nadia Formule" in str(c.value))
        assert (name.data_type, name.value) == ("s", "'@Nadia Formule")


async def test_catalogue_texts_are_never_formulas_in_csv(app, person, fr):
    await _catalogue_with_formulas(app)
    coord = await staff(app, person, 9983, "fr")
    data = (await export(coord, fr, "registrations", "csv")).document.data
    table = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")  # the Excel flavour
    row = next(r for r in table if r[0].endswith("+1"))
    assert row[:2] == ["'+1", "'" + FORMULA_TITLE]
    assert "'@Nadia Formule" in row
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
