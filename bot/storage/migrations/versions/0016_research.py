"""The research portfolio: projects, their dated stage moves, and abstract
deadlines organisers add for their community.

Revision ID: 0016_research
Revises: 0015_calendar_feeds
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_research"
down_revision = "0015_calendar_feeds"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "research_projects",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("venue", sa.String(120), nullable=False),
        sa.Column("venue_id", sa.String(40), nullable=True),
        sa.Column("related", sa.Boolean(), nullable=False),
        sa.Column("authors", sa.String(500), nullable=False),
        sa.Column("collaborators", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("stage_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("commit_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_research_projects"),
    )
    op.create_index(
        "ix_research_projects_owner", "research_projects", ["community_id", "member_id"]
    )
    op.create_table(
        "research_moves",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("member_id", sa.String(80), nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("from_stage", sa.String(40), nullable=True),
        sa.Column("to_stage", sa.String(40), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_research_moves"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["research_projects.id"],
            name="fk_research_moves_project_id_research_projects",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_research_moves_project", "research_moves", ["community_id", "project_id"])
    op.create_table(
        "research_deadlines",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("community_id", sa.String(80), nullable=False),
        sa.Column("meeting", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("added_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_research_deadlines"),
        sa.UniqueConstraint(
            "community_id", "meeting", "day", name="uq_research_deadlines_meeting_day"
        ),
    )


def downgrade() -> None:
    op.drop_table("research_deadlines")
    op.drop_index("ix_research_moves_project", table_name="research_moves")
    op.drop_table("research_moves")
    op.drop_index("ix_research_projects_owner", table_name="research_projects")
    op.drop_table("research_projects")
