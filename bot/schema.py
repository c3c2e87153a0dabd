"""The whole schema: importing this module registers every table on `metadata`.
Alembic compares migrations against it; each feature adds its tables module here."""

from bot.features.contacts.tables import contact_events, contacts
from bot.scheduling.tables import jobs
from bot.storage.tables import communities, members, metadata

__all__ = ["communities", "contact_events", "contacts", "jobs", "members", "metadata"]
