"""Mentoring plans: the plan a round's preview computed, with the hash of its
inputs, so that publish in any process proposes the pairs shown without solving
again.

Revision ID: 0020_mentoring_plans
Revises: 0019_visa
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_mentoring_plans"
down_revision = "0019_visa"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentoring_plans",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("round_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("inputs", sa.String(64), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "round_id", name="pk_mentoring_plans"),
    )


def downgrade() -> None:
    op.drop_table("mentoring_plans")
