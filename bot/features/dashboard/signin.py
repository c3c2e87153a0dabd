"""Sign-in to the web dashboard without passwords: /dashboard stores a one-time
link (15 minutes) for an organiser; opening it trades the link for a session of
that community alone. An organiser by Rounds' own record is checked again on
every request, so `/admin organiser remove` ends their session at once; one the
platform vouched for (a server admin, the organiser role) cannot be asked again
from the web, so their session lasts an hour, not twelve. Both are rows of pending_interactions (an
unguessable id, the community, the member, an expiry), so they survive a
restart and work in any process; the cookie carries the session id signed with
the web secret, so a forged or altered cookie is refused before any lookup."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete

from bot.commands import Actor
from bot.interactions import Kind, NewPending, find, keep, pending_interactions
from bot.members import get_profile
from bot.storage.db import Database

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)  # an organiser by Rounds' own record
VOUCHED_LIFETIME = timedelta(hours=1)  # an organiser by the platform's word
SIGNIN: Kind = "signin"
SESSION: Kind = "session"


@dataclass(frozen=True)
class Session:
    id: str
    community_id: str
    member_id: str
    expires_at: datetime
    vouched: bool = False  # the platform's word made them organiser at /dashboard

    def actor(self) -> Actor:
        """Who acts from the page. The core checks an organiser by record on every
        command; the platform's word, given at /dashboard, holds for the session."""
        return Actor(
            self.community_id, self.member_id, self.member_id, platform_organiser=self.vouched
        )


async def issue_link(
    db: Database, community_id: str, member_id: str, now: datetime, vouched: bool
) -> str:
    """A one-time sign-in token for this organiser of this community; `vouched`
    when only the platform's word makes them organiser."""
    item = NewPending(community_id, member_id, SIGNIN, {"vouched": vouched})
    (token,) = await keep(db, [item], now, LINK_LIFETIME)
    return token


async def redeem(db: Database, token: str, now: datetime) -> Session | None:
    """Trade a sign-in token for a new session; None when it is unknown, expired or
    used already (a token works once: it is deleted as it is read)."""
    found = await find(db, token)
    if found is None or found.kind != SIGNIN or found.expired(now) or found.owner_id is None:
        return None
    t = pending_interactions
    async with db.begin() as conn:
        gone = await conn.execute(delete(t).where(and_(t.c.id == found.id, t.c.kind == SIGNIN)))
    if gone.rowcount != 1:  # another request used it first
        return None
    vouched = bool(found.payload.get("vouched", True))
    lifetime = VOUCHED_LIFETIME if vouched else SESSION_LIFETIME
    item = NewPending(found.community_id, found.owner_id, SESSION, {"vouched": vouched})
    (sid,) = await keep(db, [item], now, lifetime)
    return Session(sid, found.community_id, found.owner_id, now + lifetime, vouched)


async def session(db: Database, sid: str, now: datetime) -> Session | None:
    """The live session `sid`; None when unknown, expired, or its member is no
    longer an organiser by Rounds' record (unless the platform vouched)."""
    found = await find(db, sid)
    if found is None or found.kind != SESSION or found.expired(now) or found.owner_id is None:
        return None
    vouched = bool(found.payload.get("vouched", True))
    if not vouched:
        async with db.connect() as conn:
            profile = await get_profile(conn, found.community_id, found.owner_id)
        if profile is None or not profile.is_organiser:
            return None
    return Session(found.id, found.community_id, found.owner_id, found.expires_at, vouched)


async def sign_out(db: Database, sid: str) -> None:
    t = pending_interactions
    async with db.begin() as conn:
        await conn.execute(delete(t).where(and_(t.c.id == sid, t.c.kind == SESSION)))


def seal(key: bytes, sid: str) -> str:
    """The cookie value: the session id and its HMAC."""
    mac = hmac.new(key, sid.encode(), hashlib.sha256).hexdigest()
    return f"{sid}.{mac}"


def unseal(key: bytes, value: str) -> str | None:
    """The session id in a cookie value, or None when the signature does not match."""
    sid, _, mac = value.rpartition(".")
    expected = hmac.new(key, sid.encode(), hashlib.sha256).hexdigest()
    return sid if sid and hmac.compare_digest(mac, expected) else None
