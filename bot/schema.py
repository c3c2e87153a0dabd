"""The whole schema: importing this module registers every table on `metadata`.
Alembic compares migrations against it; each feature adds its tables module here."""

from bot.features.groups.tables import (
    checkin_skips,
    checkins,
    peer_group_members,
    peer_group_wants,
    peer_groups,
)
from bot.scheduling.tables import jobs
from bot.storage.message_refs import message_refs
from bot.storage.tables import communities, members, metadata

__all__ = [
    "checkin_skips",
    "checkins",
    "communities",
    "jobs",
    "members",
    "message_refs",
    "metadata",
    "peer_group_members",
    "peer_group_wants",
    "peer_groups",
]
