"""Conference mode and letter requests: conferences, attendees, conference-tagged
contacts, letters.

Revision ID: 0009_conference
Revises: 0003_reminders
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_conference"
down_revision = "0003_reminders"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "conferences",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("city", sa.String(80), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conferences"),
        sa.UniqueConstraint("community_id", "slug", name="uq_conferences_community_slug"),
    )
    op.create_table(
        "conference_attendees",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("conference_id", ID, nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conference_id", "member_id", name="pk_conference_attendees"),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name="fk_conference_attendees_conference_id_conferences",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_conference_attendees_member", "conference_attendees", ["community_id", "member_id"]
    )
    op.create_table(
        "conference_contacts",
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("conference_id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("target", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=True),
        sa.Column("deep", sa.Boolean(), nullable=False),
        sa.Column("met_day", sa.Date(), nullable=True),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("conference_id", "contact_id", name="pk_conference_contacts"),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name="fk_conference_contacts_conference_id_conferences",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_conference_contacts_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_conference_contacts_member", "conference_contacts", ["community_id", "member_id"]
    )
    op.create_table(
        "letters",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("writer", sa.String(120), nullable=False),
        sa.Column("contact_id", ID, nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_letters"),
    )
    op.create_index("ix_letters_owner", "letters", ["community_id", "member_id"])


def downgrade() -> None:
    op.drop_table("letters")
    op.drop_table("conference_contacts")
    op.drop_table("conference_attendees")
    op.drop_table("conferences")
