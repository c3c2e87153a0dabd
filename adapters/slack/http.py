"""Slack's HTTP endpoint in front of Bolt: a request that is not even well formed
(a body that is not UTF-8, a timestamp that is no number, a `payload` that is no
JSON object) gets a 4xx and no traceback; the signature is checked before any
parsing; a request already run (Slack's retry, or a replay of the same signed
bytes) is answered with an empty 200 and runs once. Our slash commands then go
straight to `Commands` (once it `answers` them), everything else to Bolt."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import unquote_plus

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.dedup import Deliveries, request_key

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # Slack's payloads are far smaller
JSON = "application/json"


class Commands(Protocol):
    """Slash commands served without Bolt's dispatch (its request object, context,
    middleware chain and listener matching cost more than our whole /help)."""

    def answers(self, command: Mapping[str, str]) -> bool:
        """Whether `command` (a slash command's fields) is served here; else Bolt runs it."""

    async def command(self, command: Mapping[str, str]) -> str | None:
        """Run it: the ack's JSON body, or None for an empty ack."""


def web_app(
    app: AsyncApp, signing_secret: str, deliveries: Deliveries, path: str, commands: Commands
) -> web.Application:
    verifier = SignatureVerifier(signing_secret)

    async def endpoint(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not timestamp.isascii() or not timestamp.isdigit():
            return web.Response(status=401, text="not signed by Slack")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="the body is not UTF-8")
        if not verifier.is_valid(body, timestamp, signature):
            return web.Response(status=401, text="not signed by Slack")
        key = request_key(raw)
        if not await deliveries.claim(key):
            return web.Response(status=200, text="")
        fields = _slash_command(body, request.content_type)
        if fields is not None and commands.answers(fields):
            try:
                acked = await commands.command(fields)
            except BaseException:
                await deliveries.release(key)
                raise
            await deliveries.done(key)
            # the response Bolt's aiohttp adapter would write for the same ack
            if acked is None:
                return web.Response(status=200, body="", content_type="text/plain")
            return web.Response(status=200, body=acked, content_type=JSON)
        try:
            bolt_request = AsyncBoltRequest(
                body=body, query=request.query_string, headers=dict(request.headers)
            )
            if not isinstance(bolt_request.body, dict):
                raise ValueError("a body that is no object")
        except ValueError as exc:
            await deliveries.release(key)
            log.info("refused a signed request Slack would not send (%s)", type(exc).__name__)
            return web.Response(status=400, text="malformed request")
        try:
            answer = await app.async_dispatch(bolt_request)
        except BaseException:
            await deliveries.release(key)
            raise
        if answer.status == 200:
            await deliveries.done(key)
        else:
            await deliveries.release(key)
        return await to_aiohttp_response(answer)

    web_application = web.Application(client_max_size=MAX_BODY)
    web_application.router.add_post(path, endpoint)
    return web_application


def _slash_command(body: str, content_type: str) -> dict[str, str] | None:
    """A slash command's fields, or None for anything else (JSON, an interactivity
    `payload`, Slack's `ssl_check`, a form naming no command): Bolt reads those."""
    if content_type == JSON or body.startswith("{"):
        return None
    fields: dict[str, str] = {}
    for pair in body.split("&"):  # parse_qsl's reading, for a third of its time
        if pair:
            name, _, value = pair.partition("=")
            fields[_unquote(name)] = _unquote(value)
    if "command" not in fields or "payload" in fields or "ssl_check" in fields:
        return None
    return fields


def _unquote(text: str) -> str:
    return unquote_plus(text) if "%" in text or "+" in text else text
