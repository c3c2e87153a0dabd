"""The research portfolio: `/research add|move|list|show|summary|export`, stall
nudges and abstract-deadline reminders, good news drafted for mentors, and
counts for organisers."""

from bot.features.research import commands, jobs, reports, suggest

__all__ = ["commands", "jobs", "reports", "suggest"]
