"""Features register their commands on import; `load()` imports them all once."""

from __future__ import annotations

import importlib

MODULES = (
    "bot.features.help",
    "bot.features.profile",
    "bot.features.admin",
    "bot.features.reminders",
    "bot.features.contacts",
)


def load() -> None:
    for name in MODULES:
        importlib.import_module(name)
