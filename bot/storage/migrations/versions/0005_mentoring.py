"""Mentor matching: sign-ups, exclusions, rounds and pairs.

Revision ID: 0005_mentoring
Revises: 0006_pitch
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_mentoring"
down_revision = "0006_pitch"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mentoring_signups",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("pack", sa.String(40), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("focus", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(40), nullable=True),
        sa.Column("img", sa.String(12), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", "role", name="pk_mentoring_signups"),
    )
    op.create_table(
        "mentoring_exclusions",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("excluded_id", sa.String(80), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint(
            "community_id", "member_id", "excluded_id", name="pk_mentoring_exclusions"
        ),
    )
    op.create_table(
        "mentoring_rounds",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("pool", sa.JSON(), nullable=True),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_rounds"),
    )
    op.create_index("ix_mentoring_rounds_community", "mentoring_rounds", ["community_id", "status"])
    op.create_table(
        "mentoring_pairs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("mentee_id", sa.String(80), nullable=False),
        sa.Column("mentor_id", sa.String(80), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("mentee_answer", sa.String(12), nullable=True),
        sa.Column("mentor_answer", sa.String(12), nullable=True),
        sa.Column("met", sa.String(12), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_pairs"),
    )
    op.create_index("ix_mentoring_pairs_round", "mentoring_pairs", ["community_id", "round_id"])
    op.create_index(
        "ix_mentoring_pairs_members",
        "mentoring_pairs",
        ["community_id", "mentee_id", "mentor_id"],
    )


def downgrade() -> None:
    op.drop_table("mentoring_pairs")
    op.drop_table("mentoring_rounds")
    op.drop_table("mentoring_exclusions")
    op.drop_table("mentoring_signups")
