"""Settings read once from the environment (and a .env file), then passed down explicitly."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(ValueError):
    """A setting is present but unusable; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    token: str = ""
    api_base_url: str = DEFAULT_API_BASE_URL
    api_file_url: str = ""
    db_path: Path = Path("data/etamkeen.db")
    admins: frozenset[int] = field(default_factory=frozenset)
    # Updates of different people are handled concurrently, up to this many at once.
    concurrent_updates: int = 64
    # How many errors per hour the admins hear about (the log always has all of them).
    admin_error_alerts_per_hour: int = 6
    # Registrations: how long a seat offer stands (shorter when the session is close), until
    # when a place can be cancelled (hours before the start), and how long before the start
    # an unanswered approval request expires.
    offer_hours: float = 24
    cancel_deadline_hours: float = 0
    approval_lead_hours: float = 24
    # Outbox dispatcher: messages per second overall, seconds between two messages to one
    # person, and whether the background loop runs (tests drive it by hand).
    send_rate_per_s: float = 25
    per_chat_interval_s: float = 1.0
    background_jobs: bool = True
    # Telegram unreachable for longer than this: the admins are told once it is back.
    outage_alert_minutes: float = 5
    # Reminders before a session (hours), and the night during which what can wait waits
    # (local hours, start and end).
    reminder_hours: tuple[float, ...] = (48, 2)
    quiet_start_hour: int = 21
    quiet_end_hour: int = 8
    # Privacy and operations. Personal data of people inactive for this many years is erased
    # (0: never); automatic backups (before a schema upgrade) go to backup_dir (default: a
    # `backups` folder beside the database); webhook mode (`etamkeen run --webhook`); how long
    # a 409 Conflict (another instance polling the same token) may last before giving up.
    retention_years: int = 3
    backup_dir: Path | None = None
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = ""
    conflict_grace_s: float = 60
    # Attendance and evaluations. Attendance can be changed until attendance_edit_days after
    # the end; the check-in QR works from checkin_opens_minutes before the start to the end,
    # its code renewed every checkin_rotate_minutes. The hot questionnaire opens at the end and
    # closes hot_evaluation_days later; the cold one opens cold_evaluation_after_days after the
    # end for cold_evaluation_days; one reminder evaluation_reminder_days after the invitation.
    # secret signs check-in codes (empty: one is generated and kept in the database).
    attendance_edit_days: float = 3
    checkin_opens_minutes: float = 30
    checkin_rotate_minutes: float = 5
    hot_evaluation_days: float = 14
    cold_evaluation_after_days: float = 90
    cold_evaluation_days: float = 30
    evaluation_reminder_days: float = 2
    attestation_needs_evaluation: bool = False
    # Seconds a catalogue workbook may take to read (in a worker process) before it is stopped
    # and the coordinator told; a million formatted rows (5 MB) take about 10 s on one core.
    workbook_parse_seconds: float = 30
    secret: str = field(default="", repr=False)

    @property
    def backups(self) -> Path:
        """Where automatic backups are written."""
        return self.backup_dir or self.db_path.parent / "backups"

    @property
    def file_url(self) -> str:
        """Return the file download base: explicit, or derived from the API base URL."""
        if self.api_file_url:
            return self.api_file_url
        base = self.api_base_url.rstrip("/")
        # https://api.telegram.org/bot -> https://api.telegram.org/file/bot
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}" if head else f"{base}/file/bot"

    def with_(self, **changes) -> Settings:
        """Return a copy with some fields changed (tests, demo)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, dotenv: str | None = ".env") -> Settings:
        """Read the settings; a .env file fills in what the environment does not set."""
        values: dict[str, str] = {}
        if dotenv and Path(dotenv).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if env is None else env)
        return cls(
            token=values.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_base_url=values.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL,
            api_file_url=values.get("TELEGRAM_API_FILE_URL", "").strip(),
            db_path=Path(values.get("ETAMKEEN_DB", "").strip() or "data/etamkeen.db"),
            admins=_parse_admins(values.get("ETAMKEEN_ADMINS", "")),
            offer_hours=_number(values, "ETAMKEEN_OFFER_HOURS", 24),
            cancel_deadline_hours=_number(values, "ETAMKEEN_CANCEL_DEADLINE_HOURS", 0),
            approval_lead_hours=_number(values, "ETAMKEEN_APPROVAL_LEAD_HOURS", 24),
            send_rate_per_s=_number(values, "ETAMKEEN_SEND_RATE", 25),
            outage_alert_minutes=_number(values, "ETAMKEEN_OUTAGE_ALERT_MINUTES", 5),
            reminder_hours=_hours_list(values.get("ETAMKEEN_REMINDER_HOURS", "48,2")),
            workbook_parse_seconds=_positive(values, "ETAMKEEN_WORKBOOK_PARSE_SECONDS", 30),
            **_quiet_hours(values.get("ETAMKEEN_QUIET_HOURS", "21-8")),
            **_operations(values),
            **_evaluations(values),
        )


def _parse_admins(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        # ASCII digits only: isdigit() also takes "²", which int() then refuses with a traceback.
        if not part.isascii() or not part.isdigit():
            raise ConfigError(f"ETAMKEEN_ADMINS: {part!r} is not a Telegram user id")
        ids.add(int(part))
    return frozenset(ids)


def _number(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number") from None
    if number < 0:
        raise ConfigError(f"{name}: must not be negative")
    return number


def _positive(values: Mapping[str, str], name: str, default: float) -> float:
    number = _number(values, name, default)
    if number <= 0:
        raise ConfigError(f"{name}: must be more than 0")
    return number


def _hours_list(raw: str) -> tuple[float, ...]:
    try:
        hours = tuple(sorted({float(x) for x in raw.split(",") if x.strip()}, reverse=True))
    except ValueError:
        raise ConfigError(f"ETAMKEEN_REMINDER_HOURS: {raw!r} is not a list of hours like 48,2") from None
    if any(h <= 0 for h in hours):
        raise ConfigError("ETAMKEEN_REMINDER_HOURS: hours must be positive")
    return hours


def _quiet_hours(raw: str) -> dict[str, int]:
    raw = raw.strip()
    if raw in ("", "off", "none"):
        return {"quiet_start_hour": 0, "quiet_end_hour": 0}
    try:
        start, end = (int(x) for x in raw.split("-"))
    except ValueError:
        raise ConfigError(f"ETAMKEEN_QUIET_HOURS: {raw!r} is not like 21-8 (or off)") from None
    if not (0 <= start < 24 and 0 <= end < 24):
        raise ConfigError("ETAMKEEN_QUIET_HOURS: hours go from 0 to 23")
    return {"quiet_start_hour": start, "quiet_end_hour": end}


_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret token


def _operations(values: Mapping[str, str]) -> dict:
    """Retention, backups and webhook settings (ETAMKEEN_RETENTION_YEARS, ETAMKEEN_WEBHOOK_*)."""
    url = values.get("ETAMKEEN_WEBHOOK_URL", "").strip()
    if url and not url.startswith("https://"):
        raise ConfigError("ETAMKEEN_WEBHOOK_URL: Telegram only calls https:// addresses")
    secret = values.get("ETAMKEEN_WEBHOOK_SECRET", "").strip()
    if secret and not _SECRET.match(secret):
        raise ConfigError("ETAMKEEN_WEBHOOK_SECRET: 1-256 characters among A-Z a-z 0-9 _ -")
    port = _number(values, "ETAMKEEN_WEBHOOK_PORT", 8443)
    if port != int(port) or not 0 < port < 65536:
        raise ConfigError("ETAMKEEN_WEBHOOK_PORT: a TCP port number (1-65535)")
    years = _number(values, "ETAMKEEN_RETENTION_YEARS", 3)
    if years != int(years):
        raise ConfigError("ETAMKEEN_RETENTION_YEARS: a whole number of years (0: never erase)")
    backup_dir = values.get("ETAMKEEN_BACKUP_DIR", "").strip()
    return {
        "retention_years": int(years),
        "backup_dir": Path(backup_dir) if backup_dir else None,
        "webhook_url": url,
        "webhook_listen": values.get("ETAMKEEN_WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        "webhook_port": int(port),
        "webhook_secret": secret,
    }


def _evaluations(values: Mapping[str, str]) -> dict:
    """Attendance, check-in, evaluation and attestation settings (ETAMKEEN_* below)."""
    numbers = {
        "attendance_edit_days": ("ETAMKEEN_ATTENDANCE_EDIT_DAYS", 3),
        "checkin_opens_minutes": ("ETAMKEEN_CHECKIN_OPENS_MINUTES", 30),
        "checkin_rotate_minutes": ("ETAMKEEN_CHECKIN_ROTATE_MINUTES", 5),
        "hot_evaluation_days": ("ETAMKEEN_HOT_EVALUATION_DAYS", 14),
        "cold_evaluation_after_days": ("ETAMKEEN_COLD_EVALUATION_AFTER_DAYS", 90),
        "cold_evaluation_days": ("ETAMKEEN_COLD_EVALUATION_DAYS", 30),
        "evaluation_reminder_days": ("ETAMKEEN_EVALUATION_REMINDER_DAYS", 2),
    }
    out: dict = {field: _number(values, name, default) for field, (name, default) in numbers.items()}
    if out["checkin_rotate_minutes"] < 1:
        raise ConfigError("ETAMKEEN_CHECKIN_ROTATE_MINUTES: at least 1 minute")
    raw = values.get("ETAMKEEN_ATTESTATION_NEEDS_EVALUATION", "").strip().lower()
    if raw not in ("", "0", "1", "yes", "no", "true", "false"):
        raise ConfigError("ETAMKEEN_ATTESTATION_NEEDS_EVALUATION: yes or no")
    out["attestation_needs_evaluation"] = raw in ("1", "yes", "true")
    secret = values.get("ETAMKEEN_SECRET", "").strip()
    if secret and len(secret) < 16:
        raise ConfigError("ETAMKEEN_SECRET: at least 16 characters (or leave it unset)")
    out["secret"] = secret
    return out
