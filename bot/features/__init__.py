"""Features register their commands on import; `load()` imports them all once."""

from __future__ import annotations

import importlib

MODULES = (
    "bot.features.pitch",
    "bot.features.help",
    "bot.features.profile",
    "bot.features.admin",
    "bot.features.groups",
    "bot.features.mentoring",
    "bot.features.reminders",
    "bot.features.contacts",
    "bot.features.conference",
    "bot.features.letters",
    "bot.features.research",
    "bot.features.privacy",
    "bot.features.dashboard",
    "bot.features.calendar",
    "bot.features.invites.commands",
)


def load() -> None:
    for name in MODULES:
        importlib.import_module(name)
