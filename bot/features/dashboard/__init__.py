"""The organiser dashboard's core: sign-in links and sessions, and the numbers
each page shows (the web adapter only draws them)."""

from bot.features.dashboard import commands

__all__ = ["commands"]
