"""Mentors who take part by email: address and name per community member id.

Revision ID: 0018_email_members
Revises: 0017_inbound_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_email_members"
down_revision = "0017_inbound_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "email_members",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("invite", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", name="pk_email_members"),
        sa.UniqueConstraint("community_id", "email", name="uq_email_members_community_id"),
    )


def downgrade() -> None:
    op.drop_table("email_members")
