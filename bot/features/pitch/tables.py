"""Pitches, their versions, and peer reviews (one per reviewer per version)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.privacy.rules import Linked, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

pitches = Table(
    "pitches",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("author_id", String(80), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("channel_id", String(80), nullable=False),  # the review channel it was posted to
    Column("latest_version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("deleted_at", UTCDateTime(), nullable=True),  # set on delete; texts are blanked
    ForeignKeyConstraint(["community_id"], ["communities.id"], ondelete="CASCADE"),
    Index("ix_pitches_queue", "community_id", "deleted_at", "author_id"),
)

pitch_versions = Table(
    "pitch_versions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("pitch_id", ID, nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),  # mentions already neutralised
    Column("words", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("missing", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["pitch_id"], ["pitches.id"], ondelete="CASCADE"),
    UniqueConstraint("community_id", "pitch_id", "number", name="uq_pitch_versions_number"),
)

pitch_reviews = Table(
    "pitch_reviews",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("pitch_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("reviewer_id", String(80), nullable=False),
    Column("clarity", Integer, nullable=False),
    Column("specificity", Integer, nullable=False),
    Column("memorability", Integer, nullable=False),
    Column("ask", Integer, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["pitch_id"], ["pitches.id"], ondelete="CASCADE"),
    UniqueConstraint(
        "community_id", "pitch_id", "version", "reviewer_id", name="uq_pitch_reviews_reviewer"
    ),
    Index("ix_pitch_reviews_reviewer", "community_id", "reviewer_id"),
)

declare(
    Rows(pitches, "author_id"),
    Linked(pitch_versions, "pitch_id", pitches, "author_id"),
    # Others' reviews of the member's pitches go with the pitch; who wrote them is
    # not the member's data, so the export leaves it out.
    Linked(
        pitch_reviews,
        "pitch_id",
        pitches,
        "author_id",
        label="pitch_reviews_received",
        omit=("reviewer_id",),
    ),
    Rows(pitch_reviews, "reviewer_id", label="pitch_reviews_written"),
)
