"""Backups, restores and upgrades of the database file, safe while the bot runs.

A backup uses SQLite's online backup API in one step: it reads one consistent snapshot (WAL lets
the bot go on writing meanwhile), whatever the bot is doing. The copy is checked
(`PRAGMA integrity_check`), turned into a single self-contained file (rollback journal, no -wal),
and only then renamed into place, so a backup file is either whole or absent.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.db import StorageError
from bot.storage.migrations import LATEST, DatabaseTooNew

log = logging.getLogger("etamkeen.backup")

PREFIX = "etamkeen-"


class BackupError(StorageError):
    """A backup or restore cannot be done; the message says why, in one line."""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def schema_version(path: Path) -> int:
    """The schema version of a database file (0 for a new, empty one)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def check(path: Path) -> int:
    """Verify that a file is a whole e-TAMKEEN database this release can use; its version."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_users = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from None
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")
    if version > LATEST or not has_users:
        raise BackupError(f"{path} is not an e-TAMKEEN database this release can use "
                          f"(schema {version}, this release knows up to {LATEST})")
    return version


def backup(source: Path, dest: Path, keep: int | None = None, label: str = "") -> Path:
    """Copy the database to `dest` — a file name with an extension, or else a folder (made if
    needed) for a time-stamped `etamkeen-<UTC time>.db` — and return the file written."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if dest.is_dir() or not dest.suffix:
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / f"{PREFIX}{label}{_stamp()}.db"
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        target = dest
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # pages=-1: the whole database from one read snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    check(partial)
    os.replace(partial, target)
    if keep is not None and target.parent == dest:
        prune(dest, keep)
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the `keep` newest time-stamped backups of a folder; return what was removed."""
    files = sorted(folder.glob(f"{PREFIX}*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = files[max(keep, 1):]
    for old in removed:
        old.unlink()
    return removed


def restore(backup_file: Path, db_path: Path, force: bool = False) -> Path | None:
    """Put a backup in place of the database (the bot must be stopped); return where the
    database that was there before was set aside, if any."""
    check(backup_file)
    with DatabaseLock(db_path):  # refuses while `etamkeen run` uses this database
        previous = None
        if db_path.exists():
            if not force:
                raise BackupError(f"{db_path} exists: add --force to replace it (it is kept aside)")
            previous = db_path.with_name(f"{db_path.name}.before-restore-{_stamp()}")
            os.replace(db_path, previous)
        for leftover in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), Path(f"{db_path}-journal")):
            # A -wal beside the restored file would be replayed into it: it belongs to the old one.
            if leftover.exists():
                os.replace(leftover, Path(f"{previous}{leftover.name[len(db_path.name):]}")
                           if previous else leftover.with_name(leftover.name + ".old"))
        db_path.parent.mkdir(parents=True, exist_ok=True)
        partial = db_path.with_name(db_path.name + ".part")
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)  # never touch the backup
        with closing(source) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
        os.replace(partial, db_path)
    return previous


def backup_before_upgrade(db_path: Path, folder: Path) -> tuple[int, Path | None]:
    """Before migrating an existing database to this release's schema, copy it aside.
    Returns (its version, the backup or None when no upgrade is needed)."""
    if not db_path.is_file():
        return 0, None
    version = schema_version(db_path)
    if version > LATEST:
        raise DatabaseTooNew(f"the database is at schema version {version}, this release knows up "
                             f"to {LATEST}: upgrade the bot before using this database")
    if version == 0 or version == LATEST:
        return version, None
    return version, backup(db_path, folder, label=f"v{version}-before-upgrade-")


class DatabaseLock:
    """One `etamkeen run` per database file: an exclusive lock on `<db>.lock`, released by the
    kernel when the process ends, however it ends."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def __enter__(self) -> DatabaseLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise BackupError(f"another etamkeen process (pid {holder}) is using {self.path.stem}: "
                              "stop it first") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
