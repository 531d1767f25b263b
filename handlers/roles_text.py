"""How a role reads on screen, shared by /roles, /invite and /audit."""

from __future__ import annotations

from bot.context import BotContext


def role_label(context: BotContext, role: str, administration: str | None) -> str:
    t = context.t
    # TRANSLATORS: role names, lower case, used inside sentences such as “You are now {role}”.
    label = {"trainer": t._("trainer"), "focal_point": t._("focal point"),
             "coordinator": t._("national coordinator")}.get(role, role)
    if administration:
        admin = context.services.reference.get("administrations", administration)
        label += f" — {admin.code if admin else administration}"
    return label
