"""Peer groups: groups, members, requests to be placed, weekly check-ins, skips.

Revision ID: 0004_groups
Revises: 0002_jobs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_groups"
down_revision = "0002_jobs"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "peer_groups",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("pack", sa.String(40), nullable=False),
        sa.Column("prompt_day", sa.SmallInteger(), nullable=False),
        sa.Column("prompt_hour", sa.SmallInteger(), nullable=False),
        sa.Column("prompt_minute", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("deadline_minutes", sa.Integer(), nullable=False),
        sa.Column("nudge_minutes", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(80), nullable=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_peer_groups"),
        sa.UniqueConstraint("community_id", "name", name="uq_peer_groups_community_name"),
    )
    op.create_table(
        "peer_group_members",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("group_id", ID, nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", name="pk_peer_group_members"),
    )
    op.create_index(
        "ix_peer_group_members_group", "peer_group_members", ["community_id", "group_id"]
    )
    op.create_table(
        "peer_group_wants",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", name="pk_peer_group_wants"),
    )
    op.create_table(
        "checkins",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("group_id", ID, nullable=False),
        sa.Column("review", sa.JSON(), nullable=False),
        sa.Column("win", sa.String(1000), nullable=False),
        sa.Column("blocker", sa.String(1000), nullable=False),
        sa.Column("commitments", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
        sa.UniqueConstraint("community_id", "member_id", "week", name="uq_checkins_member_week"),
    )
    op.create_index("ix_checkins_group_week", "checkins", ["community_id", "group_id", "week"])
    op.create_table(
        "checkin_skips",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", "week", name="pk_checkin_skips"),
    )


def downgrade() -> None:
    op.drop_table("checkin_skips")
    op.drop_table("checkins")
    op.drop_table("peer_group_wants")
    op.drop_table("peer_group_members")
    op.drop_table("peer_groups")
