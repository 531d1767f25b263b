"""Logs an operator can read: one line per event (tracebacks folded onto it), never the token or
the webhook secret, and the last errors kept in memory for /status."""

from __future__ import annotations

import logging
import re
import sys
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

# A bot token as it may appear in a URL or an error text: <digits>:<35 characters>.
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redactor:
    """Replaces secrets (given, and anything shaped like a bot token) in a text."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return TOKEN_SHAPE.sub("<token>", text)


class OneLineFormatter(logging.Formatter):
    """journald and grep see one event per line: newlines inside an event become ' | '."""

    def __init__(self, redact: Redactor, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return self.redact(" | ".join(line for line in text.splitlines() if line.strip()))


@dataclass(frozen=True)
class RecentError:
    at: datetime
    logger: str
    text: str


class RecentErrors(logging.Handler):
    """The last errors of this process, for /status (the log keeps all of them)."""

    def __init__(self, size: int = 20) -> None:
        super().__init__(logging.ERROR)
        self.items: deque[RecentError] = deque(maxlen=size)
        self.redact = Redactor()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                text = f"{text}: {type(exc).__name__}: {exc}"
            first = self.redact(text.splitlines()[0] if text else "")[:300]
            self.items.append(RecentError(datetime.fromtimestamp(record.created, UTC), record.name, first))
        except Exception:  # a log handler must never break the code that logs
            self.handleError(record)

    def last(self, n: int = 5) -> list[RecentError]:
        return list(self.items)[-n:]


RECENT = RecentErrors()


def install_recent_errors() -> RecentErrors:
    """Attach the in-memory list to the root logger once per process."""
    root = logging.getLogger()
    if RECENT not in root.handlers:
        root.addHandler(RECENT)
    return RECENT


def setup_logging(level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    """One line per event on stderr (journald adds the unit); quiet libraries that would print
    the token (httpx logs request URLs, which contain it) or personal data (PTB's debug lines
    print whole updates)."""
    redact = Redactor(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(redact))
    handler.set_name("etamkeen-stderr")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "etamkeen-stderr"]:
        root.removeHandler(old)  # called twice (tests): one line per event, not two
    root.addHandler(handler)
    root.setLevel(level)
    RECENT.redact = redact
    install_recent_errors()
    for noisy in ("httpx", "httpcore", "apscheduler", "tornado.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
