"""The link of an online session, checked in one place wherever it enters (the catalogue
workbook, the new-session and reschedule flows, the session service): the link goes into
confirmations, cards and calendar files, where a line break inside it breaks every one of them
(an iCalendar URL property ends at the first line break), and a `javascript:` or `http:` link is
not something to hand to officials.

Spaces, tabs and line breaks around a link are trimmed and the link accepted (a pasted cell
often ends with a line break); anything invisible inside it is refused."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from bot.i18n import Translator

MAX_LENGTH = 500  # meeting links are well under 200 characters; longer is a pasting accident
# A host name: labels of letters, digits and hyphens (Arabic and accented letters included, for
# internationalised names), at least two of them, separated by dots.
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def check_link(text: str) -> tuple[str, str | None]:
    """The link trimmed, and why it is refused (None when it may be used).

    Reasons: link_spaces (whitespace, control or invisible characters inside), link_too_long,
    link_scheme (not https://), link_host (no usable site name, or a user name before it)."""
    link = text.strip()
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn") for c in link):
        return link, "link_spaces"
    if len(link) > MAX_LENGTH:
        return link, "link_too_long"
    if not link.lower().startswith("https://"):
        return link, "link_scheme"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return link, "link_host"
    # "https://meet.gov.ma@other.example" goes to other.example: a user name before the host
    # only serves to disguise where a link leads.
    if "@" in parts.netloc or not _HOST.fullmatch(parts.hostname or ""):
        return link, "link_host"
    return link, None


def valid_link(text: str) -> str:
    """The trimmed link, for services: ValueError when a caller let a bad link through."""
    link, reason = check_link(text)
    if reason:
        raise ValueError(f"refused online link ({reason}): {link!r}")
    return link


def shown(text: str) -> str:
    """A refused link as a person can see it: a line break as ↵, other invisible characters as
    �, so that the answer points at what is wrong (the caller still escapes it for HTML)."""
    out = []
    for c in text[:MAX_LENGTH + 20]:
        if c in "\r\n":
            out.append("↵")
        elif c == " " or c == "\t":
            out.append("␣")
        elif c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            out.append("�")
        else:
            out.append(c)
    return "".join(out)


def link_reason(t: Translator, reason: str) -> str:
    """Why a link is refused, in the person's language."""
    reasons = {
        "link_spaces": t._("A link cannot contain spaces, line breaks or invisible characters."),
        "link_too_long": t._("The link is too long ({n} characters at most).", n=t.number(MAX_LENGTH)),
        "link_scheme": t._("A link must start with https://."),
        "link_host": t._("The link has no valid site name after https:// (like meet.example.org)."),
    }
    return reasons.get(reason, reasons["link_host"])
