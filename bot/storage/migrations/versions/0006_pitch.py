"""Pitch review: pitches, versions and peer reviews.

Revision ID: 0006_pitch
Revises: 0007_message_refs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pitch"
down_revision = "0007_message_refs"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pitches",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("author_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("channel_id", sa.String(80), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name="fk_pitches_community_id_communities",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pitches"),
    )
    op.create_index("ix_pitches_queue", "pitches", ["community_id", "deleted_at", "author_id"])
    op.create_table(
        "pitch_versions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("pitch_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pitch_id"],
            ["pitches.id"],
            name="fk_pitch_versions_pitch_id_pitches",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pitch_versions"),
        sa.UniqueConstraint("community_id", "pitch_id", "number", name="uq_pitch_versions_number"),
    )
    op.create_table(
        "pitch_reviews",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("pitch_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.String(80), nullable=False),
        sa.Column("clarity", sa.Integer(), nullable=False),
        sa.Column("specificity", sa.Integer(), nullable=False),
        sa.Column("memorability", sa.Integer(), nullable=False),
        sa.Column("ask", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pitch_id"],
            ["pitches.id"],
            name="fk_pitch_reviews_pitch_id_pitches",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pitch_reviews"),
        sa.UniqueConstraint(
            "community_id", "pitch_id", "version", "reviewer_id", name="uq_pitch_reviews_reviewer"
        ),
    )
    op.create_index("ix_pitch_reviews_reviewer", "pitch_reviews", ["community_id", "reviewer_id"])


def downgrade() -> None:
    op.drop_table("pitch_reviews")
    op.drop_table("pitch_versions")
    op.drop_index("ix_pitches_queue", table_name="pitches")
    op.drop_table("pitches")
