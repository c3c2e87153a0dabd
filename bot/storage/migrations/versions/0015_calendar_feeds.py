"""Private calendar feeds: one secret token per member and community.

Revision ID: 0015_calendar_feeds
Revises: 0010_sent_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_calendar_feeds"
down_revision = "0010_sent_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", name="pk_calendar_feeds"),
        sa.UniqueConstraint("token", name="uq_calendar_feeds_token"),
    )


def downgrade() -> None:
    op.drop_table("calendar_feeds")
