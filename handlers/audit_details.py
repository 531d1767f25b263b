"""The details of an audit entry as the reader reads them: counts, fields and values labelled in
their language instead of the `key=value` the log stores (HTML-escaped here)."""

from __future__ import annotations

from bot.context import BotContext
from bot.services.audit_log import Entry, Who
from bot.timeutil import from_db
from conversations.field_texts import field_name, shown
from handlers.roles_text import role_label
from handlers.ui import esc


def who_label(t, who: Who) -> str:
    if who.kind == "cli":
        # TRANSLATORS: who did it, in the audit log: the server's command-line tool, not a person.
        return t._("command line")
    if who.kind == "erased":
        # TRANSLATORS: who did it, in the audit log: someone whose personal data has since been erased.
        return t._("erased person")
    if who.kind == "person" and who.name:
        return t.iso(who.name)
    # TRANSLATORS: who did it, when their name is unknown; {id} is their Telegram number.
    return t._("person {id}", id=t.iso(str(who.user_id)))


def _counts(t, key: str, n: int) -> str | None:
    """The counted details (None: not one of them)."""
    texts = {
        "told": lambda: t.ngettext("{n} person told", "{n} people told", n),
        "recipients": lambda: t.ngettext("{n} recipient", "{n} recipients", n),
        "places_cancelled": lambda: t.ngettext("{n} place cancelled", "{n} places cancelled", n),
        "sessions_without_trainer": lambda: t.ngettext(
            "{n} session left without a trainer", "{n} sessions left without a trainer", n),
        "new_trainings": lambda: t.ngettext("{n} new training", "{n} new trainings", n),
        "changed_trainings": lambda: t.ngettext("{n} training changed", "{n} trainings changed", n),
        "new_sessions": lambda: t.ngettext("{n} new session", "{n} new sessions", n),
        "changed_sessions": lambda: t.ngettext("{n} session changed", "{n} sessions changed", n),
        "reference_changes": lambda: t.ngettext("{n} reference entry created or changed",
                                                "{n} reference entries created or changed", n),
        "new_plan_lines": lambda: t.ngettext("{n} new plan line", "{n} new plan lines", n),
        "places": lambda: t.ngettext("{n} place", "{n} places", n),
    }
    return texts[key]() if key in texts else None


def _audience(context: BotContext, kind: str, value) -> str:
    t = context.t
    ref = context.services.reference
    if kind in ("administration", "region"):
        found = ref.get("administrations" if kind == "administration" else "regions", value)
        return t.pick(found.name_fr, found.name_ar) if found else str(value)
    return {
        "all": t._("Everyone"),
        "level": t._("A level (central or territorial)"),
        "training": t._("The participants of a training"),
        "session": t._("The participants of a session"),
        "no_evaluation": t._("Attendees who have not filled their evaluation"),
        "confirmed": t._("📣 Message the participants"),
        "waitlisted": t._("📣 Message the waitlist"),
        "attended": t._("📣 Message those who attended"),
    }.get(kind, kind)


def _field(context: BotContext, details: dict) -> str:
    """One field changed, old → new, named and shown as *Manage this session* shows them."""
    field = details["field"]
    try:
        name = esc(field_name(context.t, field))
        before, after = (shown(context, field, details.get(k)) for k in ("before", "after"))
    except (KeyError, ValueError, TypeError):  # a field this screen does not know: as stored
        name, before, after = (esc(str(v)) for v in (field, details.get("before"), details.get("after")))
    # TRANSLATORS: a field of a session or training changed: its name, the old and the new value.
    return context.t._("{name}: {old} → {new}", name=name, old=before, new=after)


def details_text(context: BotContext, e: Entry) -> str:
    """The details of one entry, labelled; a key this screen does not know still shows, raw."""
    t = context.t
    d = e.details
    parts: list[str] = []
    if "field" in d:
        parts.append(_field(context, d))
    for key, value in d.items():
        if value is None or key in ("field", "administration", "value", "scope") or \
                ("field" in d and key in ("before", "after")):
            continue
        if isinstance(value, Who):  # the trainer, and the one they replace
            name = who_label(t, value)
            parts.append(esc(t._("trainer: {name}", name=name) if key == "trainer"
                             else t._("previous trainer: {name}", name=name)))
        elif key == "role":
            parts.append(esc(role_label(context, str(value), d.get("administration"))))
        elif isinstance(value, int) and not isinstance(value, bool) and _counts(t, key, value):
            if value:  # "0 new trainings" says nothing
                parts.append(esc(_counts(t, key, value)))
        elif key == "reference" and e.target_kind == "session":
            continue  # the target already names the session
        elif key == "reason" and e.action == "personal_data_erased" and value in ("request", "retention"):
            parts.append(esc(t._("at the person's request") if value == "request"
                             else t._("at the end of the retention period")))
        elif key == "reason":
            parts.append(esc(t._("reason: {reason}", reason=t.iso(str(value)))))
        elif key == "starts_at":
            parts.append(esc(t._("start: {when}", when=t.datetime(from_db(value)))))
        elif key == "place":
            parts.append(esc(t._("place: {place}", place=t.iso(str(value)))))
        elif key == "token":
            # TRANSLATORS: an invitation link in the audit log; {token} is its code.
            parts.append(esc(t._("link {token}", token=t.iso(str(value)))))
        elif key == "audience":
            parts.append(esc(t._("audience: {audience}",
                                 audience=_audience(context, str(value), d.get("value")))))
        elif key == "changes" and isinstance(value, dict):  # a plan line's fields, old → new
            parts += [esc(t.iso(f"{name}: {pair[0]} → {pair[1]}")) for name, pair in value.items()
                      if isinstance(pair, list) and len(pair) == 2]
        elif key in ("before", "after") and e.action == "capacity_changed":
            if key == "before":
                # TRANSLATORS: the number of places (seats) of a session, before and after.
                parts.append(esc(t._("places: {old} → {new}", old=t.number(value),
                                     new=t.number(d.get("after")))))
        else:
            parts.append(esc(t.iso(f"{key}={value}")))
    return t.join(parts)
