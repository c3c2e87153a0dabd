"""Tables of peer groups: the groups, who is in which, who asked to be placed,
weekly check-ins (one per member and week) and weeks skipped with notice."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    false,
)

from bot.privacy.rules import Anonymise, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

peer_groups = Table(
    "peer_groups",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("name", String(40), nullable=False),  # lowercase slug, unique per community
    Column("pack", String(40), nullable=False),  # whose checkin section words the prompts
    Column("prompt_day", SmallInteger, nullable=False),  # 0 = Monday
    Column("prompt_hour", SmallInteger, nullable=False),
    Column("prompt_minute", SmallInteger, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("deadline_minutes", Integer, nullable=False),  # after the prompt, wall clock
    Column("nudge_minutes", Integer, nullable=False),  # before the deadline
    Column("channel_id", String(80), nullable=True),  # else the community's groups-channel
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "name", name="uq_peer_groups_community_name"),
)

peer_group_members = Table(
    "peer_group_members",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),  # one group per member
    Column("group_id", ID, nullable=False),
    Column("joined_at", UTCDateTime(), nullable=False),
    Index("ix_peer_group_members_group", "community_id", "group_id"),
)

peer_group_wants = Table(
    "peer_group_wants",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

checkins = Table(
    "checkins",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("week", Date, nullable=False),  # Monday of the cycle's prompt (group's zone)
    Column("group_id", ID, nullable=False),
    Column("review", JSON, nullable=False),  # [{"text": ..., "status": ...}] last week's
    Column("win", String(1000), nullable=False, default=""),
    Column("blocker", String(1000), nullable=False, default=""),
    # the member asked for help with the blocker: their group and organisers see it
    Column("wants_help", Boolean, nullable=False, default=False, server_default=false()),
    Column("commitments", JSON, nullable=False),  # ["...", ...] for next week
    Column("revision", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "member_id", "week", name="uq_checkins_member_week"),
    Index("ix_checkins_group_week", "community_id", "group_id", "week"),
)

checkin_skips = Table(
    "checkin_skips",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("week", Date, primary_key=True),
    Column("reason", String(300), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
)

declare(
    Anonymise(
        peer_groups,
        "created_by",
        "the group belongs to all its members; only who started it is forgotten",
        label="peer_groups_created",
    ),
    Rows(peer_group_members, "member_id", label="group_membership"),
    Rows(peer_group_wants, "member_id", label="group_requests"),
    Rows(checkins, "member_id"),
    Rows(checkin_skips, "member_id"),
)
