"""Conferences as community events, who attends, and which contact-log entries
belong to a conference (targets to meet, people met, on which day, and how)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from bot.privacy.rules import Anonymise, NotMember, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

conferences = Table(
    "conferences",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("slug", String(80), nullable=False),  # the name, lowercased and hyphenated
    Column("name", String(80), nullable=False),
    Column("start_date", Date, nullable=False),  # local dates in the conference's zone
    Column("end_date", Date, nullable=False),
    Column("city", String(80), nullable=False, default=""),
    Column("timezone", String(64), nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "slug", name="uq_conferences_community_slug"),
)

conference_attendees = Table(
    "conference_attendees",
    metadata,
    Column("community_id", String(80), nullable=False),
    Column("conference_id", ID, nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("joined_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("conference_id", "member_id", name="pk_conference_attendees"),
    ForeignKeyConstraint(["conference_id"], ["conferences.id"], ondelete="CASCADE"),
    Index("ix_conference_attendees_member", "community_id", "member_id"),
)

# A contact-log entry tagged with a conference: a target (not met yet) or someone met.
conference_contacts = Table(
    "conference_contacts",
    metadata,
    Column("community_id", String(80), nullable=False),
    Column("conference_id", ID, nullable=False),
    Column("contact_id", ID, nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("target", Boolean, nullable=False, default=False),
    Column("kind", String(10), nullable=True),  # faculty | peer, once met
    Column("deep", Boolean, nullable=False, default=False),
    Column("met_day", Date, nullable=True),  # the conference-zone day they met
    Column("met_at", UTCDateTime(), nullable=True),
    PrimaryKeyConstraint("conference_id", "contact_id", name="pk_conference_contacts"),
    ForeignKeyConstraint(["conference_id"], ["conferences.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
    Index("ix_conference_contacts_member", "community_id", "member_id"),
)

declare(
    Anonymise(
        conferences,
        "created_by",
        "the conference belongs to the community; only who added it is forgotten",
        label="conferences_added",
    ),
    Rows(conference_attendees, "member_id", label="conferences_attended"),
    Rows(conference_contacts, "member_id"),
    NotMember(conference_contacts, "contact_id", "the id of the member's own contact row"),
)
