"""Promises kept across features: a check-in's blocker may ask for help; an
introduction remembers when it was nudged; a published round keeps why each
unmatched mentee was left out.

Revision ID: 0013_promises
Revises: 0009_conference
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_promises"
down_revision = "0009_conference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(
            sa.Column("wants_help", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("mentoring_pairs") as batch:
        batch.add_column(sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("mentoring_rounds") as batch:
        batch.add_column(sa.Column("unmatched", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentoring_rounds") as batch:
        batch.drop_column("unmatched")
    with op.batch_alter_table("mentoring_pairs") as batch:
        batch.drop_column("nudged_at")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("wants_help")
