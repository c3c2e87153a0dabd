"""Pending interactions: button actions and form progress kept under an
unguessable id, with community, owner and expiry (bot.interactions).

Revision ID: 0011_pending_interactions
Revises: 0014_contact_updates
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_pending_interactions"
down_revision = "0014_contact_updates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_interactions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("owner_id", sa.String(80), nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pending_interactions"),
    )
    op.create_index("ix_pending_interactions_expires_at", "pending_interactions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_interactions_expires_at", table_name="pending_interactions")
    op.drop_table("pending_interactions")
