"""Fixtures for the fakes; other test packages can import them the same way."""

import ipaddress
import socket
from typing import Any

import pytest

from tests.fakes.discord_client import fake_discord
from tests.fakes.slack_api import slack_api

__all__ = ["fake_discord", "loopback_only", "slack_api"]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any TCP connect to a non-loopback address (nothing may reach slack.com)."""
    refuse_outside(monkeypatch)


def refuse_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patch socket connects so only loopback addresses can be reached."""
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise ConnectionRefusedError(f"test network guard: refused connect to {host}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
