"""Declares /mentor and /mentee; the handler modules register their subcommands."""

from bot.features.mentoring.store import MENTEE, MENTOR
from bot.registry import registry

registry.command(
    MENTOR, "Mentor matching: offer to mentor, rounds, introductions", shorthand="round"
)
registry.command(MENTEE, "Mentor matching: ask for a mentor, introductions")
