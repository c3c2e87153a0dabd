"""Message refs: the platform message each post key became.

Revision ID: 0007_message_refs
Revises: 0004_groups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_message_refs"
down_revision = "0004_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_refs",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("channel_id", sa.String(80), nullable=False),
        sa.Column("message_id", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "key", name="pk_message_refs"),
    )


def downgrade() -> None:
    op.drop_table("message_refs")
