"""Contact update nudges follow the member's choice: contacts.updates ("on",
"off", or NULL for the automatic rule: mentors and people who replied or met).

Revision ID: 0014_contact_updates
Revises: 0013_promises
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_contact_updates"
down_revision = "0013_promises"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("updates", sa.String(3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("updates")
