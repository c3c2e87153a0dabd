"""Mentor matching: sign-ups, rounds, an optimal matching solver, introductions,
follow-ups and an export for organisers."""

from bot.features.mentoring import (
    content,
    export,
    followups,
    privacy,
    rounds,
    signups,
    tables,
)

__all__ = ["content", "export", "followups", "privacy", "rounds", "signups", "tables"]
