"""A private iCalendar feed of each member's reminders and deadlines."""

from bot.features.calendar import commands, tables

__all__ = ["commands", "tables"]
