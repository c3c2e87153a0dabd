"""Build, sign and POST Slack-to-app requests (slash commands, interactivity) for tests.

Bodies are ``bytes`` exactly as Slack sends them; sign the very bytes you post, since bolt
verifies the signature over the raw body.
"""

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NamedTuple
from urllib.parse import urlencode

import aiohttp
from slack_bolt.async_app import AsyncApp

from tests.fakes.slack_api import APP_ID, BOT_ID, TEAM_ID, serve

USER_ID = "U0APPLICANT"
CHANNEL_ID = "C0GENERAL"
DEAD_RESPONSE_URL = "http://127.0.0.1:1/response/unset"
"""Default response_url: loopback and refused, so a stray ``respond()`` can never leave the
machine. Pass ``fake.response_url()`` to capture what the app posts there."""
FORM = "application/x-www-form-urlencoded"

_seq = itertools.count(1)


def _trigger_id() -> str:
    n = next(_seq)
    return f"{n}.{n}.{hashlib.sha1(str(n).encode()).hexdigest()[:32]}"


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _payload_form(payload: dict[str, Any]) -> bytes:
    """Interactivity bodies are a single ``payload`` form field holding compact JSON."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """``X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`` plus its timestamp."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def retry_headers(num: int = 1, reason: str = "http_timeout") -> dict[str, str]:
    """Headers Slack adds when re-delivering a request."""
    return {"X-Slack-Retry-Num": str(num), "X-Slack-Retry-Reason": reason}


def slash_command(
    command: str = "/help",
    text: str = "",
    *,
    team_id: str = TEAM_ID,
    team_domain: str = "rounds-test",
    user_id: str = USER_ID,
    channel_id: str = CHANNEL_ID,
    channel_name: str = "general",
    response_url: str = DEAD_RESPONSE_URL,
    trigger_id: str | None = None,
) -> bytes:
    """A slash command form body, fields in the order Slack sends them."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or _trigger_id(),
        }
    ).encode()


def block_action(
    action_id: str,
    value: str = "",
    *,
    block_id: str = "actions",
    action_type: str = "button",
    user_id: str = USER_ID,
    team_id: str = TEAM_ID,
    channel_id: str = CHANNEL_ID,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str = DEAD_RESPONSE_URL,
    trigger_id: str | None = None,
) -> bytes:
    """A ``block_actions`` payload: from a message, or from a modal if ``view`` is given.

    ``message`` is the message holding the button (needs ``ts``); ``view`` is the modal as
    Slack reports it (needs ``id``). Message actions carry a response_url, view ones do not.
    """
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id or _trigger_id(),
        "team": {"id": team_id, "domain": "rounds-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": action_type,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view["id"]}
        payload["view"] = view
        payload["state"] = view.get("state", {"values": {}})
    else:
        message = message or {"type": "message", "ts": "1700000000.000100", "text": ""}
        payload["container"] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel_id, "name": "general"}
        payload["message"] = message
        payload["state"] = {"values": {}}
        payload["response_url"] = response_url
    return _payload_form(payload)


def text_inputs(values: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``{block_id: {action_id: text}}`` -> Slack's ``view.state.values`` for text inputs."""
    return {
        block: {
            action: {"type": "plain_text_input", "value": text} for action, text in actions.items()
        }
        for block, actions in values.items()
    }


def view_submission(
    callback_id: str,
    values: dict[str, Any] | None = None,
    *,
    private_metadata: str = "",
    user_id: str = USER_ID,
    team_id: str = TEAM_ID,
    view_id: str = "V0MODAL",
    trigger_id: str | None = None,
) -> bytes:
    """A ``view_submission`` payload; ``values`` is Slack's ``state.values`` (see text_inputs)."""
    view = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values or {}},
        "hash": f"{view_id}.hash",
        "title": {"type": "plain_text", "text": "Rounds"},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel"},
        "submit": {"type": "plain_text", "text": "Submit"},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
    return _payload_form(
        {
            "type": "view_submission",
            "team": {"id": team_id, "domain": "rounds-test"},
            "user": _user(user_id, team_id),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": trigger_id or _trigger_id(),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
    )


class Reply(NamedTuple):
    """What the app answered."""

    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


async def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
    """POST ``body`` as Slack does (form content type unless overridden)."""
    sent = {
        "Content-Type": FORM,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        **(headers or {}),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=sent) as resp,
    ):
        return Reply(resp.status, await resp.text())


async def post_signed(url: str, body: bytes, secret: str, **sign_kwargs: Any) -> Reply:
    """``post`` with a valid signature (``timestamp=`` forwarded to :func:`sign`)."""
    return await post(url, body, sign(body, secret, **sign_kwargs))


@asynccontextmanager
async def bolt_server(app: AsyncApp, path: str = "/slack/events") -> AsyncIterator[str]:
    """Serve a bolt ``AsyncApp`` over HTTP on 127.0.0.1; yield its request URL."""
    async with serve(app.web_app(path=path)) as base:
        yield base + path
