"""Self check-in: a QR code with a token that changes every few minutes, so a photo of it sent
to someone at home stops working; a participant who scans it in the room is marked present."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno

from bot.config import Settings
from bot.services import part_checkin
from bot.services.attendance import mark
from bot.services.outcomes import CodeWindow, Scan
from bot.storage import attendance as repo
from bot.storage import catalogue as sessions_repo
from bot.storage import registrations as regs_repo
from bot.storage.catalogue import Session
from bot.storage.db import Database
from bot.timeutil import Clock

PAYLOAD = re.compile(r"^c_(\d{1,12})_([a-z2-7]{16})$")  # ≤ 64 chars of A-Za-z0-9_- (deep links)
TOKEN_LENGTH = 16  # 80 bits of the HMAC


@dataclass(frozen=True)
class CheckIn:
    outcome: Scan
    session: Session | None = None
    opens_at: datetime | None = None  # a session in parts: when the next part's check-in opens


class CheckinService:
    def __init__(self, db: Database, clock: Clock, settings: Settings, secret: bytes) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self._secret = secret

    @classmethod
    async def open(cls, db: Database, clock: Clock, settings: Settings) -> CheckinService:
        """ETAMKEEN_SECRET if set, else a secret generated once and kept in the database."""
        secret = settings.secret or await db.write(repo.app_secret, "checkin", clock.now())
        return cls(db, clock, settings, secret.encode())

    @property
    def period(self) -> int:
        return int(self.settings.checkin_rotate_minutes * 60)

    def token(self, session_id: int, at: datetime | None = None) -> str:
        """The token of the time slot `at` falls in (now by default)."""
        slot = int((at or self.clock.now()).timestamp()) // self.period
        digest = hmac.new(self._secret, f"checkin:{session_id}:{slot}".encode(), hashlib.sha256).digest()
        return base64.b32encode(digest).decode().lower()[:TOKEN_LENGTH]

    def valid(self, session_id: int, token: str) -> bool:
        """The current slot's token, or the previous one (someone scanning as it changes)."""
        now = self.clock.now()
        return any(hmac.compare_digest(token, self.token(session_id, now - timedelta(seconds=back)))
                   for back in (0, self.period))

    def window(self, session: Session) -> tuple[datetime, datetime]:
        return session.starts_at - timedelta(minutes=self.settings.checkin_opens_minutes), session.ends_at

    def link(self, bot_username: str, session_id: int) -> str:
        return f"https://t.me/{bot_username}?start=c_{session_id}_{self.token(session_id)}"

    @staticmethod
    def qr_png(link: str) -> bytes:
        """A PNG big enough to scan from a projected screen or a phone held up in the room."""
        out = io.BytesIO()
        segno.make(link, error="m").save(out, kind="png", scale=10, border=4)
        return out.getvalue()

    async def may_show(self, session_id: int) -> tuple[CodeWindow, Session | None]:
        """Whether the trainer can show the code now: ok, not_open, closed or not_found."""
        session = await self.db.read(sessions_repo.get_session, session_id)
        if session is None or session.status != "published":
            return CodeWindow.NOT_FOUND, session
        opens, closes = self.window(session)
        now = self.clock.now()
        if now < opens:
            return CodeWindow.NOT_OPEN, session
        return (CodeWindow.CLOSED if now > closes else CodeWindow.OK), session

    async def check_in(self, user_id: int, payload: str) -> CheckIn:
        """A scan: the token, the time and the registration are checked in that order."""
        match = PAYLOAD.match(payload)
        if match is None:
            return CheckIn(Scan.EXPIRED)
        session_id, token = int(match.group(1)), match.group(2)
        now = self.clock.now()

        def tx(conn):
            session = sessions_repo.get_session(conn, session_id)
            if session is None or session.status != "published":
                return CheckIn(Scan.NOT_FOUND)
            if not self.valid(session_id, token):
                return CheckIn(Scan.EXPIRED, session)
            opens, closes = self.window(session)
            if not opens <= now <= closes:
                return CheckIn(Scan.NOT_OPEN if now < opens else Scan.CLOSED, session)
            reg = regs_repo.of(conn, user_id, session_id)
            if reg is None or reg.status not in repo.ROSTER_STATES:
                return CheckIn(Scan.NOT_REGISTERED, session)
            by_part, opens_at = part_checkin.check_in(conn, reg, now, self.settings)
            if by_part is not None:  # a session in parts: the part's rule
                return CheckIn(by_part, session, opens_at)
            if reg.status == "attended":
                return CheckIn(Scan.ALREADY, session)
            mark(conn, reg, "attended", session, now, self.settings)
            return CheckIn(Scan.CHECKED_IN, session)

        return await self.db.write(tx)
