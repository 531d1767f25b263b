"""/help lists the commands of each role the person holds, and only those, in their language."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN_ID, grant, onboard


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_help_shows_each_held_role_with_its_commands(app, person, fr, ar, lang):
    t = fr if lang == "fr" else ar
    official, trainer, focal, national = 9800, 9801, 9802, 9803
    for uid in (official, trainer, focal, national):
        await onboard(app, uid, lang)
    await onboard(app, ADMIN_ID, lang)
    await grant(app, trainer, "trainer")
    await grant(app, focal, "focal_point", "MJ")
    await grant(app, focal, "trainer")
    await grant(app, national, "coordinator")

    def heading(label: str) -> str:
        return f"<b>{t._(label)}</b>"

    async def help_of(uid: int) -> str:
        c = person(uid, lang)
        await c.send("/help")
        return c.last_message.html

    text = await help_of(official)
    assert t._("/catalogue — browse the trainings and their sessions") in text
    for label in ("Trainer", "Focal point", "National coordinator", "Administrator"):
        assert heading(label) not in text
    assert "/mysessions" not in text and "/approvals" not in text

    text = await help_of(trainer)
    assert heading("Trainer") in text
    assert f"/mysessions — {t._('My sessions as a trainer')}" in text
    assert "/approvals" not in text and heading("Focal point") not in text

    text = await help_of(focal)  # two roles: both sections
    assert heading("Trainer") in text and heading("Focal point") in text
    assert f"/approvals — {t._('Registration requests waiting for me')}" in text
    assert "/invite" not in text and heading("National coordinator") not in text

    text = await help_of(national)
    assert heading("National coordinator") in text
    assert f"/invite — {t._('Invite a trainer, focal point or coordinator')}" in text
    assert "/audit" not in text and heading("Administrator") not in text

    text = await help_of(ADMIN_ID)
    assert heading("Administrator") in text and heading("National coordinator") in text
    assert f"/audit — {t._('Audit log (administrators)')}" in text
    if lang == "ar":
        assert "Trainer" not in text and "Administrator" not in text
