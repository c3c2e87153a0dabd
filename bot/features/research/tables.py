"""The research portfolio: a member's projects, every dated stage move, and
abstract deadlines organisers added for their community."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from bot.privacy.rules import Anonymise, Free, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

research_projects = Table(
    "research_projects",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("role", String(40), nullable=False),
    Column("venue", String(120), nullable=False, default=""),  # as shown (a name or typed)
    Column("venue_id", String(40), nullable=True),  # a pack journal or meeting
    Column("related", Boolean, nullable=False, default=False),  # in the pack's field
    Column("authors", String(500), nullable=False, default=""),  # as cited, if given
    Column("collaborators", JSON, nullable=False, default=list),  # [{"name", "contact"}]
    Column("stage", String(40), nullable=False),
    Column("stage_at", UTCDateTime(), nullable=False),  # when it last moved
    Column("commit_at", UTCDateTime(), nullable=True),  # "one step" asked for a check-in
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_research_projects_owner", "community_id", "member_id"),
)

research_moves = Table(
    "research_moves",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("project_id", ID, nullable=False),
    Column("from_stage", String(40), nullable=True),  # none: the project was added
    Column("to_stage", String(40), nullable=False),
    Column("note", String(300), nullable=False, default=""),
    Column("at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["project_id"], ["research_projects.id"], ondelete="CASCADE"),
    Index("ix_research_moves_project", "community_id", "project_id"),
)

research_deadlines = Table(
    "research_deadlines",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("meeting", String(40), nullable=False),  # one of the pack's meetings
    Column("day", Date, nullable=False),
    Column("label", String(80), nullable=False, default=""),
    Column("added_by", String(80), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "meeting", "day", name="uq_research_deadlines_meeting_day"),
)

declare(
    Rows(research_projects, "member_id"),
    Rows(research_moves, "member_id"),
    Free(
        research_projects,
        "collaborators",
        "collaborators' names as typed and ids of the member's own contact rows",
    ),
    Anonymise(
        research_deadlines,
        "added_by",
        "a deadline serves the whole community; only which organiser added it is forgotten",
        label="research_deadlines_added",
    ),
)
