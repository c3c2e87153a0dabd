"""Background and visas: a member's background (US graduate, US-citizen IMG,
non-US IMG) and visa path on the profile and the mentee sign-up; a mentor's
visa experience and what their program sponsors.

Revision ID: 0019_visa
Revises: 0018_email_members
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_visa"
down_revision = "0018_email_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("background", sa.String(12), nullable=True))
        batch.add_column(sa.Column("visa", sa.String(12), nullable=True))
    with op.batch_alter_table("mentoring_signups") as batch:
        batch.add_column(sa.Column("background", sa.String(12), nullable=True))
        batch.add_column(sa.Column("visa", sa.String(12), nullable=True))
        batch.add_column(
            sa.Column("visa_important", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("visa_help", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("sponsors", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentoring_signups") as batch:
        for name in ("sponsors", "visa_help", "visa_important", "visa", "background"):
            batch.drop_column(name)
    with op.batch_alter_table("members") as batch:
        batch.drop_column("visa")
        batch.drop_column("background")
