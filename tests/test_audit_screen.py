"""/audit shows labelled actions and names, never raw codes or ids."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN_ID, grant, make_session, onboard
from tests.test_roles import invite_link


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_audit_shows_labels_names_and_erased_people(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    await onboard(app, ADMIN_ID, lang, full_name="Amal Admin")
    admin = person(ADMIN_ID, lang)
    payload = await invite_link(admin, t, t._("A trainer"))
    await onboard(app, 9901, "fr", full_name="Karim Formateur")
    await person(9901, "fr").start(payload)
    await onboard(app, 9902, "fr", full_name="Sara Partie")
    await grant(app, 9902, "trainer")
    session_id = await make_session(app, "AUD-1")
    assert await app.bot_data.sessions.assign_trainer(None, session_id, 9901)  # from the CLI
    assert await app.bot_data.roles.revoke(ADMIN_ID, 9902, "trainer", None)
    erased = person(9902, "fr")  # Sara erases herself: her name leaves the log
    await erased.send("/deleteme")
    await erased.click(fr._("Continue"))
    await erased.click(fr._("🗑 Yes, erase my data"))

    await admin.send("/audit")
    text = admin.last_message.text
    for code in ("invite_created", "invite_redeemed", "trainer_assigned", "role_revoked",
                 "personal_data_erased", "user:", "session:"):
        assert code not in text
    lines = text.splitlines()

    def line_of(action: str) -> str:
        return next(line for line in lines if t._(action) in line)

    assert "Amal Admin" in line_of("invitation created") and t._("trainer") in line_of("invitation created")
    assert "Karim Formateur" in line_of("invitation accepted")
    assigned = line_of("trainer assigned")
    assert t._("command line") in assigned and "AUD-1" in assigned and "Karim Formateur" in assigned
    revoked = line_of("role revoked")
    assert "Amal Admin" in revoked and t._("erased person") in revoked and "Sara" not in revoked
    assert t._("at the person's request") in line_of("personal data erased")
    assert "9902" not in text and "9901" not in text
