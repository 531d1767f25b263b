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


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_every_registered_command_is_in_a_menu_or_help(app, person, server, fr, ar, lang):
    """A command the bot answers but no menu or /help names is a command nobody finds."""
    from telegram.ext import CommandHandler

    t = fr if lang == "fr" else ar
    national = 9804
    await onboard(app, national, lang)
    await grant(app, national, "coordinator")
    c = person(national, lang)
    await c.send("/help")
    described = t._("The current catalogue as a workbook, to edit and send back")
    assert f"/catalogue_export — {described}" in c.last_message.html
    from bot.services.access import access_of
    from handlers.commands import menu

    access = await access_of(app.bot_data.db, national, app.bot_data.settings.admins)
    assert ("catalogue_export", described) in [(m.command, m.description) for m in menu(lang, access)]

    registered = {name for handlers in app.handlers.values() for h in handlers
                  if isinstance(h, CommandHandler) for name in h.commands}
    admin = person(ADMIN_ID, lang)
    await onboard(app, ADMIN_ID, lang)
    await admin.send("/help")
    listed = {m.command for m in menu(lang, await access_of(app.bot_data.db, ADMIN_ID,
                                                            app.bot_data.settings.admins))}
    missing = {name for name in registered - listed if f"/{name} " not in admin.last_message.html}
    assert not missing, missing
