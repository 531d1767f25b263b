"""What the outbox says about approvals: the request to the focal points who decide (with the
buttons of handlers.approvals), and the decision to the person who asked."""

from __future__ import annotations

from bot.dispatcher import Notice
from bot.i18n import Translator
from bot.services import notice_reads as reads
from bot.services.notice_reads import OutboxRow
from handlers.approval_buttons import Approve, Refuse
from handlers.registration_notices import about_registration
from handlers.session_notices import summary
from handlers.ui import button, esc, keyboard


async def _approval_request(services, row: OutboxRow, t: Translator) -> Notice | None:
    """Who asks and how many seats are left, read afresh; and, when the person asking could
    decide on others' requests, that someone else decides on theirs."""

    found = await services.db.read(reads.approval_request, row.payload["registration"],
                                   services.settings)
    if found is None:
        return None
    reg, s, person, approver = found.registration, found.session, found.person, found.asks_as_approver
    # Queued to its own author (before nobody decided on their own request): never shown.
    if reg.status != "requested" or person is None or s is None or row.user_id == reg.user_id:
        return None
    admin = services.reference.get("administrations", person.administration_code)
    lines = [
        t._("📝 Approval request from {name} ({administration}) for:",
            name=esc(t.iso(person.full_name or "")),
            administration=esc(t.pick(admin.name_fr, admin.name_ar)) if admin else "—"),
        summary(t, s),
        # TRANSLATORS: places still free in the session, under a request for approval.
        t.ngettext("{n} seat left.", "{n} seats left.", s.seats_left),
    ]
    if approver:
        lines.append(t._("⚖️ The person asking is an approver of this administration, and nobody "
                         "decides on their own request: the decision is yours."))
    rows = [[button(t._("✅ Approve"), Approve(reg.id)), button(t._("❌ Refuse"), Refuse(reg.id))]]
    return Notice("\n".join(lines), keyboard(rows))


def _refused(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "rejected":
        return None
    lines = [t._("Your request was not approved:"), summary(t, s)]
    if reg.reason:
        lines.append(t._("Reason: {reason}", reason=esc(t.iso(reg.reason))))
    return Notice("\n".join(lines))


def _approved_waitlisted(services, t, reg, s, payload) -> Notice | None:
    if reg.status != "waitlisted":
        return None
    return Notice("\n".join([
        t.to_person("Your request was approved, but the session is full: you are on the waitlist and will "
                    "be offered the first place that frees up."), summary(t, s)]))


RENDERERS = {
    "approval_request": _approval_request,
    "refused": about_registration(_refused),
    "approved_waitlisted": about_registration(_approved_waitlisted),
}
