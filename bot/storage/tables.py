"""Core tables. Every table holding community data carries `community_id`
(the tenant), and every query filters by it. Feature tables live with their
feature and share this MetaData."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKeyConstraint,
    MetaData,
    String,
    Table,
)

from bot.privacy.rules import Free, Rows, Unowned, declare
from bot.storage.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

communities = Table(
    "communities",
    metadata,
    Column("id", String(80), primary_key=True),  # "slack:T123", "discord:987", "console:demo"
    Column("name", String(200), nullable=False, default=""),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("pack", String(40), nullable=False),
    Column("settings", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime(), nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("display_name", String(100), nullable=False, default=""),
    Column("timezone", String(64), nullable=True),
    Column("stage", String(40), nullable=True),
    Column("pack", String(40), nullable=True),
    Column("interests", JSON, nullable=False, default=list),
    Column("background", String(12), nullable=True),  # us-grad | us-img | non-us-img
    Column("visa", String(12), nullable=True),  # non-US IMGs: j1 | h1b | undecided
    Column("is_organiser", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["community_id"], ["communities.id"], ondelete="CASCADE"),
)

declare(
    Unowned(communities, "the community's own settings: name, zone, pack, channels"),
    Free(communities, "settings", "channel ids and the organiser role; no member ids"),
    Rows(members, "member_id", label="profile"),
)
