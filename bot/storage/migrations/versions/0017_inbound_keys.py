"""Inbound keys: requests already run, shared by every process, so a platform's
retry that reaches another process is dropped.

Revision ID: 0017_inbound_keys
Revises: 0016_research
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_inbound_keys"
down_revision = "0016_research"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_keys",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_inbound_keys"),
    )
    op.create_index("ix_inbound_keys_claimed_at", "inbound_keys", ["claimed_at"])


def downgrade() -> None:
    op.drop_table("inbound_keys")
