"""Private calendar feeds: one secret token per member and community. Resetting
replaces the token, so the old URL answers 404 from then on."""

from __future__ import annotations

from sqlalchemy import Column, String, Table

from bot.privacy.rules import Rows, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("member_id", String(80), primary_key=True),
    Column("token", String(32), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

declare(Rows(calendar_feeds, "member_id", label="calendar_feed", omit=("token",)))
