"""The contact log: people a member has met or written to, and what happened."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
)

from bot.privacy.rules import NotMember, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

contacts = Table(
    "contacts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),  # whose log it is
    Column("name", String(120), nullable=False),
    Column("role", String(120), nullable=False, default=""),
    Column("institution", String(120), nullable=False, default=""),
    Column("met_where", String(200), nullable=False, default=""),
    Column("notes", String(1000), nullable=False, default=""),
    Column("awaiting_reply", Boolean, nullable=False, default=False),
    Column("last_kind", String(20), nullable=True),  # emailed, replied, met, note
    Column("last_contact_at", UTCDateTime(), nullable=True),
    # update nudges: "on" or "off" as the member chose, NULL = the automatic rule
    Column("updates", String(3), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_contacts_owner", "community_id", "member_id"),
)

contact_events = Table(
    "contact_events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("contact_id", ID, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", String(500), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
    Index("ix_contact_events_contact", "community_id", "contact_id"),
)

declare(
    Rows(contacts, "member_id"),
    Rows(contact_events, "member_id"),
    NotMember(contact_events, "contact_id", "the id of the member's own contact row"),
)
