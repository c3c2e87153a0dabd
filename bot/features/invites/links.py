"""The links an email member uses, each an unguessable stored id with its
community, owner and expiry (bot.interactions): the invite an organiser shares
(any number of uses up to its limit), a button of an email (Accept, Decline,
"did you meet?") that runs its command line as its owner, and the page where
they withdraw, or export and delete their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.interactions import Kind, NewPending, Pending, find, keep, save
from bot.storage.db import Database

INVITE: Kind = "invite"
ACTION: Kind = "action"
ACCOUNT: Kind = "account"
ACTION_LIFETIME = timedelta(days=60)
ACCOUNT_LIFETIME = timedelta(days=180)


@dataclass(frozen=True)
class Invite:
    id: str
    community_id: str
    uses: int
    expires_at: datetime


async def issue_invite(
    db: Database, community_id: str, by: str, uses: int, days: int, now: datetime
) -> str:
    item = NewPending(community_id, None, INVITE, {"uses": uses, "by": by})
    (token,) = await keep(db, [item], now, timedelta(days=days))
    return token


async def invite(db: Database, token: str, now: datetime) -> Invite | None:
    found = await find(db, token)
    if found is None or found.kind != INVITE or found.expired(now):
        return None
    return Invite(found.id, found.community_id, int(found.payload["uses"]), found.expires_at)


async def actions(
    db: Database, community_id: str, member_id: str, buttons: list[tuple[str, str]], now: datetime
) -> list[str]:
    """Links for these (label, command line) buttons, each run as its owner."""
    items = [
        NewPending(community_id, member_id, ACTION, {"label": label, "line": line})
        for label, line in buttons
    ]
    return await keep(db, items, now, ACTION_LIFETIME) if items else []


async def personal(
    db: Database, community_id: str, member_id: str, buttons: list[tuple[str, str]], now: datetime
) -> tuple[list[str], str]:
    """Links for these buttons (an email's) and one to the member's page."""
    ids = await actions(db, community_id, member_id, buttons, now)
    return ids, await account_link(db, community_id, member_id, now)


async def reserve(db: Database, community_id: str, member_id: str, now: datetime) -> str:
    """An action link whose button is not known yet (`fill` it): made before a
    command whose confirmation counts the member's rows, so the count holds."""
    (slot,) = await keep(
        db, [NewPending(community_id, member_id, ACTION, {})], now, ACTION_LIFETIME
    )
    return slot


async def fill(db: Database, slot: str, label: str, line: str) -> None:
    await save(db, slot, {"label": label, "line": line})


async def account_link(db: Database, community_id: str, member_id: str, now: datetime) -> str:
    (page,) = await keep(
        db, [NewPending(community_id, member_id, ACCOUNT, {})], now, ACCOUNT_LIFETIME
    )
    return page


async def owned(db: Database, token: str, kind: Kind, now: datetime) -> Pending | None:
    """A member's link of `kind`, while it lasts."""
    found = await find(db, token)
    if found is None or found.kind != kind or found.expired(now) or found.owner_id is None:
        return None
    return found
