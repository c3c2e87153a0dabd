"""The whole schema: importing this module registers every table on `metadata`.
Alembic compares migrations against it; each feature adds its tables module here."""

from bot.features.pitch.tables import pitch_reviews, pitch_versions, pitches
from bot.scheduling.tables import jobs
from bot.storage.tables import communities, members, metadata

__all__ = [
    "communities",
    "jobs",
    "members",
    "metadata",
    "pitch_reviews",
    "pitch_versions",
    "pitches",
]
