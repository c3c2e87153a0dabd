"""Peer accountability groups: groups of 3-5, weekly check-ins on the scheduling
engine, streaks with a grace rule, digests and an organiser report."""

from bot.features.groups import (
    checkin_commands,
    content,
    group_commands,
    jobs,
    privacy,
    tables,
)

__all__ = ["checkin_commands", "content", "group_commands", "jobs", "privacy", "tables"]
