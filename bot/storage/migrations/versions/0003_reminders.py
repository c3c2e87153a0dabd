"""Reminders and the contact log: occurrence numbers on jobs (delivery keys),
contacts and their events.

Revision ID: 0003_reminders
Revises: 0005_mentoring
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_reminders"
down_revision = "0005_mentoring"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("occurrence", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.create_table(
        "contacts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(120), nullable=False),
        sa.Column("institution", sa.String(120), nullable=False),
        sa.Column("met_where", sa.String(200), nullable=False),
        sa.Column("notes", sa.String(1000), nullable=False),
        sa.Column("awaiting_reply", sa.Boolean(), nullable=False),
        sa.Column("last_kind", sa.String(20), nullable=True),
        sa.Column("last_contact_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
    )
    op.create_index("ix_contacts_owner", "contacts", ["community_id", "member_id"])
    op.create_table(
        "contact_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_contact_events_contact_id_contacts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contact_events"),
    )
    op.create_index("ix_contact_events_contact", "contact_events", ["community_id", "contact_id"])


def downgrade() -> None:
    op.drop_table("contact_events")
    op.drop_table("contacts")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("occurrence")
