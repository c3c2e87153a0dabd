"""The jobs table: the database is the source of truth for everything due."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)

from bot.privacy.rules import Free, NotMember, Rows, Unowned, declare
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

ID = BigInteger().with_variant(Integer, "sqlite")

jobs = Table(
    "jobs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("community_id", String(80), nullable=False),
    Column("member_id", String(80), nullable=True),  # whose item it is (None: community's)
    Column("kind", String(40), nullable=False),  # handler name, e.g. "reminder"
    Column("due_at", UTCDateTime(), nullable=False),
    Column("payload", JSON, nullable=False, default=dict),
    Column("recurrence", JSON, nullable=True),  # see bot.scheduling.recurrence
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("status", String(16), nullable=False, default="pending"),
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_until", UTCDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(300), nullable=True),
    Column("key", String(200), nullable=True),  # idempotent scheduling: one live job per key
    Column("sent_count", Integer, nullable=False, default=0),
    # occurrences finished, sent or given up; delivery keys are job:<id>:<occurrence>:<n>
    Column("occurrence", Integer, nullable=False, default=0, server_default=text("0")),
    Column("last_sent_at", UTCDateTime(), nullable=True),
    Column("late", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("community_id", "key", name="uq_jobs_community_key"),
    Index("ix_jobs_status_due", "status", "due_at"),
    Index("ix_jobs_owner", "community_id", "member_id", "kind"),
)

# Every post key that went out (the outbox records it right after the platform
# accepted the post), so a retry after a crash or a lost claim skips it.
sent_keys = Table(
    "sent_keys",
    metadata,
    Column("community_id", String(80), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("sent_at", UTCDateTime(), nullable=False),
    Index("ix_sent_keys_sent_at", "sent_at"),
)

declare(
    Unowned(
        sent_keys,
        "keys of posts already sent, no text; keys of posts made for one member end in "
        "their id, and bot.scheduling.sent's erase step removes those",
    ),
    # A member's own scheduled items (reminders, their follow-ups): exported, deleted.
    Rows(jobs, "member_id", omit=("claimed_by", "claimed_until", "last_error")),
    NotMember(jobs, "claimed_by", "the dispatcher process holding the lease"),
    Free(
        jobs,
        "payload",
        "ids of what the job is about (a group, a pair); member jobs "
        "carry member_id, and features cancel others' jobs about a member in erase steps",
    ),
    Free(jobs, "recurrence", "when the job repeats (a cron or interval rule)"),
)
