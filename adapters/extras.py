"""Which optional install a configuration needs: a token or URL set without its
libraries gets one line naming the extra, never an import traceback."""

from __future__ import annotations

import importlib.util

from bot.config import Settings

INSTALL = "pip install -e '.[{extra}]'"


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_extra(settings: Settings, command: str) -> str | None:
    """One line naming the extra that `rounds <command>` needs with these settings,
    or None when everything is installed."""
    needs: list[tuple[str, str, tuple[str, ...]]] = []
    if command == "discord" or (command == "run" and settings.discord_enabled):
        why = "DISCORD_TOKEN is set" if settings.discord_enabled else "Discord tools need it"
        needs.append((why, "discord", ("discord", "aiohttp")))
    if command == "run" and settings.slack_enabled:
        needs.append(("SLACK_BOT_TOKEN is set", "slack", ("slack_bolt", "slack_sdk", "aiohttp")))
    if settings.database_url.startswith("postgresql+asyncpg://"):
        needs.append(("ROUNDS_DATABASE_URL is PostgreSQL", "postgres", ("asyncpg",)))
    for why, extra, modules in needs:
        absent = [m for m in modules if not _installed(m)]
        if absent:
            return (
                f"{why} but the '{extra}' extra is not installed (no module "
                f"{', '.join(absent)}): run {INSTALL.format(extra=extra)} "
                f"(or pip install 'rounds[{extra}]')."
            )
    return None
