"""Letters of recommendation: `/letters request|list|update`, with reminders to
ask, check, confirm and thank timed from the pack's cadences."""

from bot.features.letters import commands, content, tables

__all__ = ["commands", "content", "tables"]
