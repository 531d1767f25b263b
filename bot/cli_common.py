"""What every `etamkeen` command shares: bad input is one clear line and exit code 2, never a
traceback (main() in bot/cli.py turns CliError and file errors into that line)."""

from __future__ import annotations

from bot.services.reference import ReferenceData


class CliError(Exception):
    """Bad input on the command line: the message is the whole answer."""


def file_error(exc: OSError) -> str:
    """`cannot open /x/y.xlsx: No such file or directory`, not a traceback."""
    target = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return f"cannot use {target}: {reason}" if target else reason


def administration_code(reference: ReferenceData, given: str) -> str:
    """The administration code as stored, accepting any letter case; CliError listing the
    valid codes otherwise."""
    exact = reference.get("administrations", given)
    if exact is not None:
        return exact.code
    folded = [a for a in reference.administrations if a.code.casefold() == given.strip().casefold()]
    if len(folded) == 1:
        return folded[0].code
    codes = ", ".join(sorted(a.code for a in reference.administrations)) or "(none: the database is empty)"
    raise CliError(f"unknown administration {given!r}; valid codes: {codes}")
