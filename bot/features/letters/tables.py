"""Letters of recommendation a member is arranging: who writes, by when, and
how far along it is (planned, asked, agreed, uploaded, declined)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

from bot.privacy.rules import NotMember, Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

letters = Table(
    "letters",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("writer", String(120), nullable=False),
    Column("contact_id", ID, nullable=True),  # when the writer is in the contact log
    Column("deadline", Date, nullable=False),  # a local date in the member's zone
    Column("note", String(300), nullable=False, default=""),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_letters_owner", "community_id", "member_id"),
)

declare(
    Rows(letters, "member_id"),
    NotMember(letters, "contact_id", "the id of the member's own contact row"),
)
