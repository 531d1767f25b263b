"""Registering, managing sessions, roles and invitations, and the catalogue import in the one
button grammar (handlers/buttons.py): a button that is forged, stale (an older data format) or
someone else's gets the one "no longer valid" alert, a press without the role the one refusal of
that role, in French and in Arabic; nothing is changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.services.access import Role
from handlers.access import refusal
from handlers.buttons import registered
from handlers.catalogue_admin import ApplyImport, DropImport, ExportCatalogue
from handlers.registration_buttons import (
    Accept,
    CalendarFile,
    Cancel,
    CancelConfirmed,
    DeclineConfirmed,
    Interest,
    Join,
    Keep,
)
from handlers.roles_buttons import (
    InvitationsPage,
    Invite,
    InviteFocalPoint,
    Revoke,
    RevokeConfirmed,
    RolesPage,
    Withdraw,
)
from handlers.session_admin_buttons import AssignTrainer, EditSession, ManageSession, Seats
from tests.conftest import db_row, grant, make_session, onboard
from tests.test_registration import docs, person_at_card

ROOT = Path(__file__).resolve().parent.parent


def _alerted(client, text: str) -> bool:
    return client.last_answer == {"text": text, "show_alert": True}


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_someone_elses_registration_buttons_are_no_longer_valid(app, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-FB-REG-{lang}", capacity=1)
    owner = await person_at_card(app, person, 4180 + (lang == "ar"), sid)
    await owner.click(fr._("✅ Register"))
    reg = (await db_row(app, "SELECT id FROM registrations WHERE session_id = ?", sid))[0]
    intruder = await person_at_card(app, person, 4190 + (lang == "ar"), sid, lang)
    for press in (Cancel(reg), CancelConfirmed(reg), Keep(reg), Accept(reg), DeclineConfirmed(reg),
                  CalendarFile(reg), Interest(999999)):
        await intruder.click_data(press.pack(), intruder.last_message)
        assert _alerted(intruder, t._("This button is no longer valid.")), press
    # Malformed, or in the format of an older release (interest had no action): the same answer.
    for data in ("v1:reg:join:abc", "v1:reg:join", f"{Join(sid).pack()}:1", f"v1:int:{sid}",
                 "v1:my", "v1:reg:zz:1"):
        await intruder.click_data(data, intruder.last_message)
        assert _alerted(intruder, t._("This button is no longer valid.")), data
    assert (await db_row(app, "SELECT status FROM registrations WHERE id = ?", reg))[0] == "confirmed"
    assert (await db_row(app, "SELECT COUNT(*) FROM registrations WHERE session_id = ?", sid))[0] == 1
    assert not docs(intruder)


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_managing_a_session_without_the_role_gets_the_one_refusal(app, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-FB-SA-{lang}")
    await onboard(app, 4200, "fr")
    await grant(app, 4200, "trainer")
    await onboard(app, 4201, lang)
    await grant(app, 4201, "focal_point", "MEF")  # a coordinator, but sessions are national
    c = person(4201, lang)
    await c.start(f"s_{sid}")
    for press in (ManageSession(sid), Seats(sid), EditSession(sid, "place_fr"), AssignTrainer(sid, 4200)):
        await c.click_data(press.pack(), c.last_message)
        assert _alerted(c, refusal(t, Role.NATIONAL)), press
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] is None
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 4201") is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_coordinators_forged_management_buttons_are_no_longer_valid(app, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    sid = await make_session(app, f"T-FB-SA2-{lang}")
    await onboard(app, 4210, lang)
    await grant(app, 4210, "coordinator")
    c = person(4210, lang)
    await c.start(f"s_{sid}")
    # An unknown field, someone who is not a trainer.
    for press in (EditSession(sid, "capacity_x"), AssignTrainer(sid, 4211)):
        await c.click_data(press.pack(), c.last_message)
        assert _alerted(c, t._("This button is no longer valid.")), press
    for data in (f"v1:sa:menu:{sid}:1", "v1:sa:tr:1", f"v1:sa:edit:{sid}", "v1:sa:zz:1"):
        await c.click_data(data, c.last_message)
        assert _alerted(c, t._("This button is no longer valid.")), data
    assert (await db_row(app, "SELECT trainer_id FROM sessions WHERE id = ?", sid))[0] is None
    assert await db_row(app, "SELECT 1 FROM drafts WHERE user_id = 4210") is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_roles_and_invitation_buttons_refused_without_the_role_and_stale_with_it(
        app, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    await onboard(app, 4220, lang)
    await grant(app, 4220, "focal_point", "MEF")
    await onboard(app, 4221, "fr")
    await grant(app, 4221, "trainer")
    focal = person(4220, lang)
    await focal.start()
    for press in (Invite("trainer"), InviteFocalPoint("MEF"), RolesPage(0), InvitationsPage(0),
                  Revoke(4221, "trainer"), RevokeConfirmed(4221, "trainer"), ExportCatalogue()):
        await focal.click_data(press.pack(), focal.last_message)
        assert _alerted(focal, refusal(t, Role.NATIONAL)), press
    await onboard(app, 4222, lang)
    await grant(app, 4222, "coordinator")
    national = person(4222, lang)
    await national.start()
    # An administration that is not listed, a role that does not exist, the format of an older
    # release (a focal point's invitation was "new:focal_point:<code>"), an unknown invitation.
    for data in (InviteFocalPoint("NOPE").pack(), "v1:rl:new:admin", "v1:rl:new:focal_point:MEF",
                 "v1:rl:rv:4221:king:-", "v1:rl:ry:4221", "v1:rl:list:x"):
        await national.click_data(data, national.last_message)
        assert _alerted(national, t._("This button is no longer valid.")), data
    await national.click_data(Withdraw(999999).pack(), national.last_message)
    assert _alerted(national, t._("This invitation is no longer waiting."))
    assert (await db_row(app, "SELECT COUNT(*) FROM invites"))[0] == 0
    assert await db_row(app, "SELECT 1 FROM roles WHERE user_id = 4221") is not None


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_import_buttons_outside_their_step_are_no_longer_valid(app, person, fr, ar, lang):
    t = ar if lang == "ar" else fr
    await onboard(app, 4230, lang)
    await grant(app, 4230, "coordinator")
    c = person(4230, lang)
    await c.start()
    for press in (ApplyImport(), DropImport()):  # no preview waits for a decision
        await c.click_data(press.pack(), c.last_message)
        assert _alerted(c, t._("This button is no longer valid.")), press
    for data in ("v1:catx", "v1:catx:get:1"):  # the format of an older release, a forged one
        await c.click_data(data, c.last_message)
        assert _alerted(c, t._("This button is no longer valid.")), data
    assert not [m for m in c.messages if m.document]


CONVERTED = ("registration", "my_trainings", "session_admin", "session_manage", "roles",
             "roles_revoke", "invites", "catalogue_admin", "menu", "fallback", "announce_access",
             "reports_ui", "trainer", "attendance", "results", "test_results")


@pytest.mark.parametrize("name", CONVERTED)
def test_no_hand_written_button_router_nor_copied_answer_is_left(name):
    """Every action is a declared Callback handled by `on`: no parsing by hand, no copy of the
    stale-button answer or of a role's refusal (the page counter of ui.nav_row does nothing)."""
    source = (ROOT / "handlers" / f"{name}.py").read_text()
    for forbidden in (r"def on_button", r"parse\(", r"to_int\(", r"This button is no longer valid",
                      r"This command is reserved for",
                      r'CallbackQueryHandler\(\w+, pattern=r"\^v1:'):
        assert not re.search(forbidden, source), (name, forbidden)


# Converted on another branch (the evaluation questionnaire's buttons): the only raw data left.
RAW_LEFT = {"conversations/questionnaire.py", "conversations/questionnaire_view.py",
            "handlers/knowledge_test.py", "handlers/attestation.py", "handlers/evaluation_notices.py"}


def test_every_button_carries_a_typed_callback():
    """`button(text, X(...))`: raw parts ("tr", "s", id) bypass the registry, the 64-byte check
    at declaration and the one stale-button answer (results and test results had their Back so)."""
    import ast

    raw = []
    for path in sorted([*ROOT.glob("handlers/*.py"), *ROOT.glob("conversations/*.py")]):
        name = str(path.relative_to(ROOT))
        if name in RAW_LEFT or name == "handlers/ui.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "button" and len(node.args) != 2):
                raw.append(f"{name}:{node.lineno}")
    assert raw == []


async def test_the_page_counter_is_a_typed_button_answered_in_silence(app, person, fr):
    """nav_row's counter was the raw `v1:noop` with its own hand-written handler."""
    from handlers.ui import PageCounter, nav_row

    assert [b.callback_data for b in nav_row(fr, 1, 3, lambda n: PageCounter())][1] == \
        PageCounter().pack()
    assert registered()[("pg", "n")] is PageCounter
    await onboard(app, 4240, "fr")
    c = person(4240, "fr")
    await c.send("/catalogue")
    await c.click_data(PageCounter().pack(), c.last_message)
    assert c.last_answer.get("text") in (None, "")
    await c.click_data(PageCounter().pack() + ":1", c.last_message)  # forged: the one answer
    assert _alerted(c, fr._("This button is no longer valid."))
