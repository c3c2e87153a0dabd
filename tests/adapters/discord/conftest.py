"""The fake Discord and the loopback guard for the Discord adapter's tests."""

from tests.fakes.conftest import loopback_only
from tests.fakes.discord_client import fake_discord

__all__ = ["fake_discord", "loopback_only"]
