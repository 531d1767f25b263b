"""/audit labels every action the bot writes, and the common details, in the reader's language:
no action code and no `key=value` left on the screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.services.broadcasts import Audience
from handlers.audit_log import action_label
from tests.conftest import ADMIN_ID, drain, grant, make_session, onboard
from tests.test_catalogue_import import TRAINING, session_row, workbook

ROOT = Path(__file__).resolve().parent.parent
# audit.record(conn, actor, "code", ...) and INSERT INTO audit ... 'code' (the erasure's line).
WRITTEN = re.compile(r"""audit\.record\(\s*conn,\s*[\w.]+,\s*(?:"(\w+)"(?:\s+if\s+\w+\s+else\s+"(\w+)")?)"""
                     r"""|VALUES \(\?, NULL,"\s*"\s*'(\w+)'""")


def written_actions() -> set[str]:
    found = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("conversations/*.py")]:
        for match in WRITTEN.finditer(path.read_text(encoding="utf-8")):
            found.update(code for code in match.groups() if code)
    # The one action code built at run time: a plan's status change, one per transition.
    from bot.services.plans import TRANSITIONS

    assert 'f"plan_{action}"' in (ROOT / "bot/services/plans.py").read_text(encoding="utf-8")
    found.update(f"plan_{action}" for action in TRANSITIONS)
    return found


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_action_written_anywhere_has_a_label(fr, ar, lang):
    t = fr if lang == "fr" else ar
    actions = written_actions()
    assert {"session_edited", "training_edited", "personal_data_erased", "request_refused",
            "catalogue_imported"} <= actions  # the scan finds them all
    assert [a for a in sorted(actions) if action_label(t, a) == a] == []


@pytest.mark.telegram_errors_expected  # the demo's participants never opened this sandbox's chat
@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_audit_details_are_labelled(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    await onboard(app, ADMIN_ID, lang, full_name="Amal Admin")
    for uid, name in ((9911, "Karim Premier"), (9912, "Nadia Seconde")):
        await onboard(app, uid, "fr", full_name=name)
        await grant(app, uid, "trainer")
    sid = await make_session(app, "AUD-2")
    s = app.bot_data.sessions
    assert (await s.edit(ADMIN_ID, sid, "place_fr", "Salle B")).outcome == "changed"
    training_id = (await app.bot_data.catalogue.session(sid)).training_id
    title = "Cybersécurité pratique"
    assert await s.edit_training_text(ADMIN_ID, training_id, "title_fr", title) == "changed"
    assert await s.set_capacity(ADMIN_ID, sid, 15) == "changed"
    assert await s.assign_trainer(ADMIN_ID, sid, 9911)
    assert await s.assign_trainer(ADMIN_ID, sid, 9912)
    assert await app.bot_data.roles.revoke(ADMIN_ID, 9912, "trainer", None) == "revoked"
    await onboard(app, 9913, "fr")
    await app.bot_data.registrations.join(9913, sid)
    assert (await s.cancel(sid, ADMIN_ID, "Salle indisponible")).told == 1
    await app.bot_data.broadcasts.send(ADMIN_ID, "coordinator", Audience("administration", "MEF"), "Bonjour")
    data = workbook(trainings=[TRAINING], sessions=[session_row("NEW-101-01"), session_row("NEW-101-02")])
    assert (await app.bot_data.catalogue_import.apply(data, ADMIN_ID)).ok
    await drain(app)

    admin = person(ADMIN_ID, lang)
    await admin.send("/audit")
    text = admin.last_message.text
    assert "=" not in text, text
    for code in ("session_edited", "training_edited", "place_fr", "title_fr", "training:"):
        assert code not in text
    lines = text.splitlines()

    def line_of(action: str) -> str:
        return next(line for line in lines if t._(action) in line)

    edited = line_of("session detail changed")
    assert t._("{name}: {old} → {new}", name=t._("Place in French"), old=t.iso("Institut national, Rabat"),
               new=t.iso("Salle B")) in edited and "AUD-2" in edited
    retitled = line_of("training title or description changed")
    assert "CYB-101" in retitled and t._("Title in French") in retitled
    assert "Cybersécurité pratique" in retitled
    assert t._("places: {old} → {new}", old=t.number(10), new=t.number(15)) in line_of(
        "number of places changed")
    handed = [line for line in lines if t._("trainer assigned") in line][0]  # the latest first
    assert t._("trainer: {name}", name=t.iso("Nadia Seconde")) in handed
    assert t._("previous trainer: {name}", name=t.iso("Karim Premier")) in handed
    assert t.ngettext("{n} session left without a trainer", "{n} sessions left without a trainer",
                      1) in line_of("role revoked")
    cancelled = line_of("session cancelled")
    assert t.ngettext("{n} person told", "{n} people told", 1) in cancelled
    assert t._("reason: {reason}", reason=t.iso("Salle indisponible")) in cancelled
    imported = line_of("catalogue imported")
    assert t.ngettext("{n} new training", "{n} new trainings", 1) in imported
    assert t.ngettext("{n} new session", "{n} new sessions", 2) in imported
    assert t.ngettext("{n} training changed", "{n} trainings changed", 0) not in imported
    sent = line_of("message sent to many people")
    admin_name = app.bot_data.reference.get("administrations", "MEF")
    assert t._("audience: {audience}", audience=t.pick(admin_name.name_fr, admin_name.name_ar)) in sent
