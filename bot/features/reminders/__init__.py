"""Reminders: `/remind me|channel|list|cancel|snooze`, kept as jobs in the
scheduling engine, so the database says what is due and nothing is lost."""

from bot.features.reminders import commands, delivery, rules

__all__ = ["commands", "delivery", "rules"]
