"""Sent keys: every post key that went out, so a retry never sends it twice.

Revision ID: 0010_sent_keys
Revises: 0011_pending_interactions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_sent_keys"
down_revision = "0011_pending_interactions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_keys",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "key", name="pk_sent_keys"),
    )
    op.create_index("ix_sent_keys_sent_at", "sent_keys", ["sent_at"])


def downgrade() -> None:
    op.drop_table("sent_keys")
