"""Who gets the repeating "send them an update" nudge. Keeping someone posted
is advice for mentors and for people with whom there is an exchange: a contact
who replied or met the member. Someone only emailed gets none yet; a peer gets
none unless the member asks; the member's own "on" or "off" always wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import Range
from bot.features.contacts import nudges, store
from bot.features.contacts.nudges import Owner
from bot.features.contacts.rules import ContactRules
from bot.features.contacts.store import Contact

ON, OFF = "on", "off"


def wanted(contact: Contact, rules: ContactRules, two_way: bool) -> bool:
    """Whether `contact` should get update nudges."""
    if contact.updates in (ON, OFF):
        return contact.updates == ON
    if rules.is_peer(contact.role):
        return False
    return rules.is_mentor(contact.role) or bool(contact.met_where) or two_way


def initial(role: str, rules: ContactRules) -> str | None:
    """The choice stored for a new contact: a peer starts with updates off."""
    return OFF if rules.is_peer(role) else None


async def refresh(
    conn: AsyncConnection,
    owner: Owner,
    contact_id: int,
    now: datetime,
    days: Range,
    rules: ContactRules,
) -> datetime | None:
    """Restart the update nudge from now when it applies, else make sure none is
    left; returns when the next one is due."""
    contact = await store.get(conn, owner.community_id, owner.member_id, contact_id)
    if contact is None:
        return None
    two_way = await store.two_way(conn, owner.community_id, contact_id)
    if wanted(contact, rules, two_way):
        return await nudges.update(conn, owner, contact_id, contact.name, now, days)
    await nudges.drop(conn, owner.community_id, contact_id, ["update"])
    return None
