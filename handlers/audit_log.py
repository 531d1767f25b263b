"""/audit: the latest privileged actions, labelled in the reader's language, with names."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.services import audit_log
from bot.services.audit_log import Entry
from handlers.audit_details import details_text, who_label
from handlers.roles_text import role_label
from handlers.ui import esc, say

LATEST = 30


def action_label(t: Translator, action: str) -> str:
    labels = {
        # TRANSLATORS: a kind of entry in the audit log (what an administrator did); lower case, after the
        # time.
        "invite_created": t._("invitation created"),
        "invite_redeemed": t._("invitation accepted"),
        "invite_revoked": t._("invitation withdrawn"),
        "role_revoked": t._("role revoked"),
        "session_created": t._("session created"),
        "session_changed": t._("session changed"),
        "session_cancelled": t._("session cancelled"),
        "trainer_assigned": t._("trainer assigned"),
        # TRANSLATORS: audit log entry: one field of a session (its place, title, link…) was edited.
        "session_edited": t._("session detail changed"),
        "training_edited": t._("training title or description changed"),
        "capacity_changed": t._("number of places changed"),
        "broadcast_sent": t._("message sent to many people"),
        "request_approved": t._("registration request approved"),
        "request_refused": t._("registration request refused"),
        "catalogue_imported": t._("catalogue imported"),
        "personal_data_erased": t._("personal data erased"),
        "questionnaire_imported": t._("questionnaire imported"),
        "plan_create": t._("competence plan created"),
        "plan_new_version": t._("new version of a competence plan"),
        "plan_submit": t._("competence plan submitted"),
        "plan_validate": t._("competence plan validated"),
        "plan_return": t._("competence plan returned for changes"),
        "plan_activate": t._("competence plan activated"),
        "plan_close": t._("competence plan closed"),
        "plan_line_edit": t._("plan line changed"),
        "plan_link": t._("session linked to a plan line"),
        "plan_unlink": t._("session unlinked from a plan line"),
        "quota_set": t._("places reserved for an administration"),
        "quota_removed": t._("reserved places opened to everyone"),
        "needs_survey_launched": t._("needs survey launched"),
    }
    return labels.get(action, action)  # an action added later still shows, as its code


def target_label(context: BotContext, e: Entry) -> str:
    t = context.t
    if e.target_person is not None:
        return who_label(t, e.target_person)
    if e.target_kind == "session":
        return t._("session {reference}", reference=t.iso(e.target or ""))
    if e.target_kind == "training":
        return t._("training {code}", code=t.iso(e.target or ""))
    if e.target_kind == "registration":
        # TRANSLATORS: what an audit log entry is about; “no.” abbreviates “number”.
        return t._("registration no. {id}", id=t.iso(e.target or ""))
    if e.target_kind == "broadcast":
        return t._("message no. {id}", id=t.iso(e.target or ""))
    if e.target_kind == "plan":
        return t._("competence plan no. {id}", id=t.iso(e.target or ""))
    if e.target_kind == "role":
        return role_label(context, e.target or "", e.details.get("administration"))
    return t.iso(f"{e.target_kind}:{e.target}" if e.target_kind else e.target or "")


async def audit_command(update: Update, context: BotContext) -> None:
    """/audit: the latest privileged actions (admins)."""
    t = context.t
    if not (await context.access()).admin:
        return await say(update, t._("This command is reserved for the bot's administrators."))
    entries, total = await audit_log.latest(context.services.db, LATEST)
    if not entries:
        return await say(update, t._("The audit log is empty."))
    lines = [t.ngettext("<b>Audit log</b> ({n} entry, latest first)",
                        "<b>Audit log</b> ({n} entries, latest first)", total)]
    for e in entries:
        fields = [esc(f) for f in (f"{t.short_date(e.at)} {t.time(e.at)}", who_label(t, e.actor),
                                   action_label(t, e.action), target_label(context, e))]
        fields.append(details_text(context, e))  # already HTML-escaped
        lines.append(" · ".join(f for f in fields if f))
    await say(update, "\n".join(lines)[:4000])
