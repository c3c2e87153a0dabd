"""Mentors who signed up by an invite link and take part by email: their
address and name, member of the community under an id of their own."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, UniqueConstraint

from bot.privacy.rules import Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

email_members = Table(
    "email_members",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),  # "mail." and random characters
    Column("email", String(254), nullable=False),
    Column("name", String(100), nullable=False),
    Column("invite", String(32), nullable=False),  # the invite link they came by
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "email", name="uq_email_members_community_id"),
)

declare(Rows(email_members, "member_id", label="email_membership"))
