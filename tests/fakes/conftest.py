"""Fixtures for the fakes; other test packages can import them the same way."""

from tests.fakes.discord_client import fake_discord

__all__ = ["fake_discord"]
