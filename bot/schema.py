"""The whole schema: importing this module registers every table on `metadata`.
Alembic compares migrations against it; each feature adds its tables module here."""

from bot.features.mentoring.tables import (
    mentoring_exclusions,
    mentoring_pairs,
    mentoring_rounds,
    mentoring_signups,
)
from bot.scheduling.tables import jobs
from bot.storage.tables import communities, members, metadata

__all__ = [
    "communities",
    "jobs",
    "members",
    "mentoring_exclusions",
    "mentoring_pairs",
    "mentoring_rounds",
    "mentoring_signups",
    "metadata",
]
