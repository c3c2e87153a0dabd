"""The contact log: `/contact add|list|show|log|next|remove`, with follow-up
nudges scheduled from the pack's cadences, and `/admin cadence`."""

from bot.features.contacts import commands, nudges, rules

__all__ = ["commands", "nudges", "rules"]
