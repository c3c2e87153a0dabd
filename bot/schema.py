"""The whole schema: importing this module registers every table on `metadata`.
Alembic compares migrations against it; each feature adds its tables module here."""

import bot.features.calendar.tables
import bot.features.conference.tables
import bot.features.contacts.tables
import bot.features.groups.tables
import bot.features.invites.tables
import bot.features.letters.tables
import bot.features.mentoring.tables
import bot.features.pitch.tables
import bot.features.research.tables
import bot.interactions
import bot.scheduling.tables
import bot.storage.inbound
import bot.storage.message_refs  # noqa: F401  (registers its table)
from bot.storage.tables import metadata

__all__ = ["metadata"]
