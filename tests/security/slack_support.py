"""What the Slack security tests share: the real Bolt stack behind signed HTTP on
127.0.0.1 (the `slack` fixture of tests/adapters/slack), and ways to bend a request
the way a hostile sender or an odd Slack payload would."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select

from bot.commands import Actor
from bot.core import Rounds
from tests.adapters.slack.conftest import community
from tests.fakes.slack_requests import USER_ID

REMIND = "/rounds-remind me in 2 days send the thank-you note"


def reshaped(body: bytes, **changes: Any) -> bytes:
    """An interactivity body with its JSON `payload` changed (a value of None stays null)."""
    payload = json.loads(dict(parse_qsl(body.decode()))["payload"])
    payload.update(changes)
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()


def without(body: bytes, field: str) -> bytes:
    """A slash command form body with one field left out."""
    return urlencode(
        [(k, v) for k, v in parse_qsl(body.decode(), keep_blank_values=True) if k != field]
    ).encode()


def said(reply: Any) -> str:
    """Everything a JSON ack says, as one string."""
    return json.dumps(reply) if reply else ""


async def reminders(rounds: Rounds, member: str = USER_ID) -> list[str]:
    listed = await rounds.run_line(Actor(community(), member), "/remind list")
    return [f.value for f in listed.fields]


async def rows(rounds: Rounds, column: Any) -> list[Any]:
    async with rounds.db.connect() as conn:
        return list((await conn.execute(select(column))).scalars())
