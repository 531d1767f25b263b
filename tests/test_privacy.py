"""Personal data rights (law 09-08): the notice, /mydata, /deleteme, retention — in French and
Arabic, with the programme's totals unchanged by an erasure."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.compose import build_services
from bot.storage import privacy as privacy_repo
from handlers.privacy import privacy_notice, privacy_service
from handlers.ui import plain
from tests.conftest import db_row, drain, make_session, onboard
from tests.test_onboarding import is_arabic_first


def arabic_first_once_translated(text: str, t, msgid: str) -> bool:
    """Arabic messages start with Arabic — once the string is translated (before the catalogs are
    updated, gettext falls back to the English msgid)."""
    return is_arabic_first(text) or t._(msgid) == msgid


async def rows(app, sql, *params):
    return await app.bot_data.db.read(lambda c: [tuple(r) for r in c.execute(sql, params)])


async def history(app, user_id, lang="fr", **profile):
    """A person with a past attended session, an upcoming place, an interest, a queued message."""
    await onboard(app, user_id, lang, **profile)
    past = await make_session(app, f"T-PAST-{user_id}", starts_in_hours=-24 * 60, capacity=5)
    now = app.bot_data.clock.now()
    await app.bot_data.db.write(lambda c: c.execute(
        "INSERT INTO registrations (session_id, user_id, status, seq, created_at, updated_at)"
        " VALUES (?, ?, 'attended', 1, ?, ?)", (past, user_id, str(now)[:19], str(now)[:19])))
    upcoming = await make_session(app, f"T-NEXT-{user_id}", capacity=1, training="DAT-201")
    assert (await app.bot_data.registrations.join(user_id, upcoming)).outcome == "confirmed"
    training = (await db_row(app, "SELECT id FROM trainings WHERE code = 'CYB-101'"))[0]
    await app.bot_data.registrations.toggle_interest(user_id, training)
    return past, upcoming


# Indicators of DESIGN 5.5 by sex × administration × level × region, over every registration.
AGGREGATES = """SELECT u.sex, u.administration_code, u.level, u.region_code, r.status, COUNT(*),
                       COUNT(DISTINCT r.user_id)
                  FROM registrations r JOIN users u ON u.id = r.user_id
                 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"""


def decoded(client):
    document = [m for m in client.messages if m.document][-1]
    return document, json.loads(document.document.data.decode("utf-8"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_the_privacy_notice_says_what_is_kept_and_the_rights(app, person, lang, fr, ar):
    t = fr if lang == "fr" else ar
    await onboard(app, 7000, lang)
    c = person(7000, lang)
    await c.send("/privacy")
    text = c.last_message.text
    assert text == plain(privacy_notice(t, 3))
    assert "/mydata" in text and "/deleteme" in text
    assert "09-08" in text or "09.08" in text  # Arabic writes the law's number 09.08
    assert plain(t.ngettext("<b>How long:</b> until you erase it, and at most {n} year after your "
                            "last activity.", "<b>How long:</b> until you erase it, and at most "
                            "{n} years after your last activity.", 3)) in text
    if lang == "ar":
        assert arabic_first_once_translated(text, t, "<b>Your personal data</b>")


async def test_mydata_sends_everything_stored_in_french(app, person, fr):
    past, upcoming = await history(app, 7001)
    c = person(7001, "fr")
    await c.send("/mydata")
    document, data = decoded(c)
    assert document.document.filename == "e-tamkeen-my-data.json"
    assert document.caption == plain(fr._("🔒 Here is a copy of everything e-TAMKEEN stores about you "
                                          "(a JSON file; times are in UTC). To erase it: /deleteme."))
    profile = data["profile"]
    assert profile["telegram_user_id"] == 7001 and profile["full_name"] == "Amina El Idrissi"
    assert profile["sex"] == "F" and profile["administration_code"] == "MEF"
    assert profile["administration"] == "Ministère de l'Économie et des Finances"
    assert profile["position_code"] == "cadre" and profile["consent_at"]
    by_session = {r["session"]: r for r in data["registrations"]}
    assert by_session["T-PAST-7001"]["status"] == "attended"
    assert by_session["T-NEXT-7001"]["status"] == "confirmed"
    assert by_session["T-PAST-7001"]["training"] == "Cybersécurité : les bons réflexes au quotidien"
    assert [i["training_code"] for i in data["interests"]] == ["CYB-101"]
    assert "confirmed" in [m["kind"] for m in data["messages"]]  # queued, not sent yet
    assert data["roles"] == [] and data["drafts"] == []
    assert data["telegram_user_id"] == 7001 and data["times"] == "UTC"


async def test_mydata_in_arabic_keeps_arabic_letters_and_names(app, person, ar):
    await history(app, 7002, "ar", full_name="يوسف بنعلي", sex="M")
    c = person(7002, "ar")
    await c.send("/mydata")
    document, data = decoded(c)
    assert arabic_first_once_translated(document.caption, ar, "🔒 Here is a copy of everything "
                                        "e-TAMKEEN stores about you (a JSON file; times are in "
                                        "UTC). To erase it: /deleteme.")
    assert document.caption == plain(ar._("🔒 Here is a copy of everything e-TAMKEEN stores about you "
                                          "(a JSON file; times are in UTC). To erase it: /deleteme."))
    assert "يوسف بنعلي".encode() in document.document.data  # readable, not \\u escapes
    title_ar = (await db_row(app, "SELECT title_ar FROM trainings WHERE code = 'CYB-101'"))[0]
    assert {r["training"] for r in data["registrations"]} >= {title_ar}
    admin_ar = (await db_row(app, "SELECT name_ar FROM administrations WHERE code = 'MEF'"))[0]
    assert data["profile"]["administration"] == admin_ar


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_deleteme_erases_after_two_confirmations_and_totals_stay(app, person, server, lang, fr, ar):
    t = fr if lang == "fr" else ar
    uid = 7010 if lang == "fr" else 7011
    past, upcoming = await history(app, uid, lang)
    waiting = 7020 + (lang == "ar")  # next in line for the place that will be freed
    await onboard(app, waiting, lang, sex="M", full_name="Karim Tazi", administration_code="MSPS")
    server.add_user(waiting, started=True)
    assert (await app.bot_data.registrations.join(waiting, upcoming)).outcome == "waitlisted"
    before = await rows(app, AGGREGATES)
    c = person(uid, lang)

    await c.send("/deleteme")
    assert plain(t._("<b>Erase my data</b>")) in c.last_message.text
    await c.click(t._("No, keep my data"))
    assert c.last_message.text == t._("Nothing was erased. Your data stays as it was.")
    await c.send("/deleteme")
    await c.click(t._("Continue"))
    warning = c.last_message.text
    assert plain(t._("⚠️ <b>Last confirmation</b>")) in warning
    assert t.ngettext("{n} registration in an upcoming session will be cancelled.",
                      "{n} registrations in upcoming sessions will be cancelled.", 1) in warning
    assert await db_row(app, "SELECT id FROM users WHERE id = ?", uid) is not None  # not yet
    await c.click(t._("🗑 Yes, erase my data"))
    assert c.last_message.text == t._("Your data has been erased. Thank you for taking part in "
                                      "e-TAMKEEN. If you want to come back one day, send /start.")
    if lang == "ar":
        assert arabic_first_once_translated(c.last_message.text, t, "Your data has been erased. "
                                            "Thank you for taking part in e-TAMKEEN. If you want "
                                            "to come back one day, send /start.")

    # Nothing identifies the person any more.
    for table, column in [("users", "id"), ("registrations", "user_id"), ("interests", "user_id"),
                          ("outbox", "user_id"), ("drafts", "user_id"), ("roles", "user_id")]:
        assert await db_row(app, f"SELECT 1 FROM {table} WHERE {column} = ?", uid) is None, table
    # The rows that count are kept, on an anonymous tombstone with the reporting dimensions only.
    kept = await rows(app, "SELECT r.session_id, r.status, r.user_id FROM registrations r WHERE "
                           "r.user_id < 0 ORDER BY r.session_id")
    assert [(s, st) for s, st, _ in kept] == [(past, "attended"), (upcoming, "cancelled")]
    tomb = dict(await db_row(app, "SELECT * FROM users WHERE id = ?", kept[0][2]))
    assert (tomb["sex"], tomb["administration_code"], tomb["level"], tomb["region_code"]) == \
        ("F", "MEF", "territorial", "RSK")
    assert tomb["full_name"] is None and tomb["position_code"] is None
    assert tomb["onboarded_at"] is None and tomb["last_seen_at"] is None
    assert tomb["created_at"].endswith("00:00:00") and tomb["unreachable_at"]
    times = await rows(app, "SELECT created_at, updated_at FROM registrations WHERE user_id < 0")
    assert all(t.endswith(" 00:00:00") for row in times for t in row)
    # The programme's totals by sex × administration × level × region are what they were,
    # except that the cancelled place now counts as cancelled (and went to the next in line).
    after = await rows(app, AGGREGATES)
    moved = [r for r in before if r not in after] + [r for r in after if r not in before]
    assert sorted(r[4] for r in moved) == ["cancelled", "confirmed", "offered", "waitlisted"]
    assert sum(r[5] for r in after) == sum(r[5] for r in before)
    past_before = [r for r in before if r[4] == "attended"]
    assert past_before and past_before == [r for r in after if r[4] == "attended"]
    # The freed place was offered to the waiting person, in their language.
    await drain(app)
    offer = server.last_message(waiting)
    assert t._("🎟 A place has freed up for you:") in offer.text
    # Coming back starts from scratch: the person cache did not keep the old profile.
    await c.start()
    assert t._("Welcome to e-TAMKEEN, the digital-skills programme for civil servants. Which "
               "language do you prefer?") in c.last_message.text


async def test_an_old_confirmation_button_expires(app, person, clock, fr):
    await onboard(app, 7030)
    c = person(7030, "fr")
    await c.send("/deleteme")
    await c.click(fr._("Continue"))
    clock.advance(minutes=11)
    await c.click(fr._("🗑 Yes, erase my data"))
    assert c.last_message.text == fr._("This confirmation has expired: nothing was erased. Send "
                                       "/deleteme to start again.")
    assert await db_row(app, "SELECT id FROM users WHERE id = 7030") is not None


async def test_forged_privacy_buttons_erase_nothing(app, person, fr):
    await onboard(app, 7031)
    c = person(7031, "fr")
    await c.send("/deleteme")
    for data in ("v1:priv:yes:abc", "v1:priv:yes", "v1:priv:yes:²", "v1:priv:del:yes:1", "v1:priv:zzz"):
        await c.click_data(data, c.last_message)
        assert c.last_answer["text"] == fr._("This button is no longer valid."), data
    assert await db_row(app, "SELECT id FROM users WHERE id = 7031") is not None


async def test_erasure_is_one_transaction(app, monkeypatch):
    await history(app, 7040)
    before = await rows(app, "SELECT id, user_id, status FROM registrations ORDER BY id")
    queued = await rows(app, "SELECT id FROM outbox WHERE user_id = 7040")

    def broken(e):
        raise RuntimeError("disk on fire")

    failing = privacy_repo.Source("broken", "users", lambda c, u, lang: None, broken)
    sources = [*privacy_repo.SOURCES[:-1], failing, privacy_repo.SOURCES[-1]]
    monkeypatch.setattr(privacy_repo, "SOURCES", sources)
    with pytest.raises(RuntimeError):
        await privacy_service(app.bot_data).erase(7040)
    assert await rows(app, "SELECT id, user_id, status FROM registrations ORDER BY id") == before
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 7040") is not None
    assert await db_row(app, "SELECT 1 FROM users WHERE id < 0") is None
    assert queued and await rows(app, "SELECT id FROM outbox WHERE user_id = 7040") == queued


async def test_staff_records_stay_but_no_longer_name_the_person(app):
    """A trainer and approver leaves: what they did stays in the programme's records (past
    sessions, audit log), attributed to an anonymous tombstone; sessions to come lose them."""
    await onboard(app, 7050)
    future = await make_session(app, "T-TRAINER", capacity=3)
    past = await make_session(app, "T-TRAINED", capacity=3, starts_in_hours=-24 * 30)
    now = app.bot_data.clock.now()

    def staff(c):
        c.execute("UPDATE sessions SET trainer_id = 7050 WHERE id IN (?, ?)", (future, past))
        c.execute("INSERT INTO audit (at, actor_id, action, target) VALUES (?, 7050, 'role_revoked',"
                  " 'user:7051')", (str(now)[:19],))
        c.execute("INSERT INTO audit (at, actor_id, action, target) VALUES (?, 1, 'role_revoked',"
                  " 'user:7050')", (str(now)[:19],))

    await app.bot_data.db.write(staff)
    data = await privacy_service(app.bot_data).export(7050, "fr")
    assert data["staff"]["sessions_as_trainer"] == ["T-TRAINED", "T-TRAINER"]
    assert [a["action"] for a in data["audit_log"]["actions_by_you"]] == ["role_revoked"]
    assert [a["action"] for a in data["audit_log"]["actions_about_you"]] == ["role_revoked"]
    result = await privacy_service(app.bot_data).erase(7050)
    tomb = result.tombstone_id
    assert tomb is not None and tomb < 0
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", future))[0] is None
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", past))[0] == tomb
    assert await rows(app, "SELECT actor_id, target FROM audit WHERE action = 'role_revoked' ORDER BY id") \
        == [(tomb, "user:7051"), (1, f"user:{tomb}")]
    erased = await rows(app, "SELECT actor_id, target, details FROM audit WHERE action = "
                             "'personal_data_erased'")
    assert len(erased) == 1 and erased[0][:2] == (None, None) and "7050" not in erased[0][2]
    assert await privacy_service(app.bot_data).erase(7050) is None  # already gone


async def test_retention_erases_only_the_long_inactive(app, person, clock):
    await history(app, 7060)  # active: an upcoming session
    await onboard(app, 7061)  # will be inactive: joined long ago, never came back
    old = str(clock.now() - timedelta(days=4 * 365))[:19]
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE users SET created_at = ?, updated_at = ?, last_seen_at = ? WHERE id = 7061",
        (old, old, old)))
    await app.bot_data.db.write(lambda c: c.execute(
        "INSERT INTO drafts (user_id, flow, step, data, updated_at) VALUES (7062, 'onboarding',"
        " 'name', '{}', ?)", (old,)))
    service = privacy_service(app.bot_data)
    assert await service.due_for_retention() == [7061]
    assert await service.purge_inactive() == 1
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 7061") is None
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 7062") is None
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 7060") is not None
    assert await service.purge_inactive() == 0
    # 0 years: never erased automatically.
    s = app.bot_data
    never = await build_services(s.settings.with_(retention_years=0), s.clock, s.db)
    assert await never.privacy.due_for_retention() == []


async def test_a_visit_is_noted_once_a_day(app, person, clock):
    await onboard(app, 7070)
    old = str(clock.now() - timedelta(days=4 * 365))[:19]
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE users SET created_at = ?, updated_at = ?, last_seen_at = ? WHERE id = 7070",
        (old, old, old)))
    c = person(7070, "fr")
    await c.send("/help")
    await c.send("/help")  # the second visit of the day writes nothing
    assert (await db_row(app, "SELECT last_seen_at FROM users WHERE id = 7070"))[0] == old
    assert await app.bot_data.activity.flush() == 1  # the housekeeping loop's batch
    seen = (await db_row(app, "SELECT last_seen_at FROM users WHERE id = 7070"))[0]
    assert seen == str(clock.now())[:19]
    assert await privacy_service(app.bot_data).due_for_retention() == []


async def test_a_role_holder_leaves_with_their_roles_and_command_menu(app, person, server, fr):
    from telegram import BotCommand, BotCommandScopeChat

    from tests.conftest import grant

    await onboard(app, 7080)
    await grant(app, 7080, "trainer")
    c = person(7080, "fr")
    await c.send("/help")
    for lang in ("fr", "ar"):
        await app.bot.set_my_commands([BotCommand("mysessions", "x")], scope=BotCommandScopeChat(7080),
                                      language_code=lang)
    assert ("chat:7080", "fr") in server.commands
    await c.send("/deleteme")
    await c.click(fr._("Continue"))
    await c.click(fr._("🗑 Yes, erase my data"))
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 7080") is None
    assert not [key for key in server.commands if key[0] == "chat:7080"]


async def test_the_daily_retention_job_is_scheduled_and_erases(app, server, clock, tmp_path):
    from types import SimpleNamespace

    from bot.app import build_application
    from bot.config import Settings
    from handlers.privacy import _retention_job
    from tgsandbox.request import SandboxRequest

    built = build_application(Settings(token=server.token, db_path=tmp_path / "other.db"),
                              request=SandboxRequest(server))
    assert "retention" in [job.name for job in built.job_queue.jobs()]  # beside other daily jobs
    never = build_application(Settings(token=server.token, db_path=tmp_path / "other.db",
                                       retention_years=0), request=SandboxRequest(server))
    assert "retention" not in [job.name for job in never.job_queue.jobs()]
    await onboard(app, 7090)
    old = str(clock.now() - timedelta(days=4 * 365))[:19]
    await app.bot_data.db.write(lambda c: c.execute(
        "UPDATE users SET created_at = ?, updated_at = ?, last_seen_at = ? WHERE id = 7090",
        (old, old, old)))
    await _retention_job(SimpleNamespace(bot_data=app.bot_data))
    assert await db_row(app, "SELECT 1 FROM users WHERE id = 7090") is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_deleteme_warns_about_attestations_and_offers_them_first(app, person, clock, lang, fr, ar):
    from tests.test_attestation import get_attestation
    from tests.test_evaluations import attended

    t = fr if lang == "fr" else ar
    uid = 7001 if lang == "fr" else 7002
    people = [(7001, "fr", "Amina El Idrissi", "F"), (7002, "ar", "يوسف بنعلي", "M")]
    await attended(app, person, clock, f"T-DEL-{lang}", people)
    c = person(uid, lang)
    _, code = await get_attestation(c, t)  # one already issued, and checked by someone
    warning = t.ngettext(
        "⚠️ You have {n} attestation of participation: once your data is erased, it can no "
        "longer be downloaded and its verification code will no longer verify.",
        "⚠️ You have {n} attestations of participation: once your data is erased, they can no "
        "longer be downloaded and their verification codes will no longer verify.", 1)
    await c.send("/deleteme")
    assert warning in c.last_message.text
    assert lang == "fr" or is_arabic_first(c.last_message.text)
    assert c.last_message.buttons[0] == [t._("📄 Download my attestations first")]
    await c.click(t._("📄 Download my attestations first"))
    pdf = [m for m in c.messages if m.document][-1]
    assert pdf.document.data.startswith(b"%PDF") and code in pdf.caption
    # Back to the same question, below the file: nothing erased yet.
    assert warning in c.last_message.text and t._("Continue") in c.last_message.flat_buttons
    assert await db_row(app, "SELECT id FROM users WHERE id = ?", uid) is not None
    await c.click(t._("Continue"))
    await c.click(t._("🗑 Yes, erase my data"))
    assert await db_row(app, "SELECT * FROM attestations WHERE code = ?", code) is None


async def test_deleteme_says_nothing_of_attestations_to_someone_without_any(app, person, fr):
    await onboard(app, 7012, "fr")
    c = person(7012, "fr")
    await c.send("/deleteme")
    assert "attestation" not in c.last_message.text
    assert c.last_message.buttons == [[fr._("Continue")], [fr._("No, keep my data")]]
