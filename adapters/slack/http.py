"""Slack's HTTP endpoint in front of Bolt: a request that is not even well formed
(a body that is not UTF-8, a timestamp that is no number, a `payload` that is no
JSON object) gets a 4xx and no traceback; the signature is checked before any
parsing; a request already run (Slack's retry, or a replay of the same signed
bytes) is answered with an empty 200 and runs once."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.dedup import Deliveries, request_key

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # Slack's payloads are far smaller


def web_app(
    app: AsyncApp, signing_secret: str, deliveries: Deliveries, path: str
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
        try:
            bolt_request = AsyncBoltRequest(
                body=_unmistakable(body), query=request.query_string, headers=dict(request.headers)
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


def _unmistakable(body: str) -> str:
    """Bolt takes any form body with the word "payload" in it for a button's or
    form's (and a slash command's whose text says it gets a 404). Such a command
    is given with the word spelled "%70ayload", which reads back the same; a real
    `payload=` field is left alone. The signature was checked on the bytes sent."""
    if "payload" not in body or body.startswith("{"):
        return body
    if any(name == "payload" for name, _ in parse_qsl(body, keep_blank_values=True)):
        return body
    return body.replace("payload", "%70ayload")
