"""Socket Mode: Bolt's own handler, with each envelope run once. An envelope is
known by its id and by its payload (Slack may redeliver either way); one already
run is acknowledged without running again, one that failed is released so its
redelivery runs."""

from __future__ import annotations

import hashlib
import json
import time

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import (
    run_async_bolt_app,
    send_async_response,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.slack.dedup import Deliveries


class SocketModeHandler(AsyncSocketModeHandler):
    def __init__(self, app: AsyncApp, app_token: str, deliveries: Deliveries) -> None:
        super().__init__(app, app_token)
        self.deliveries = deliveries

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        keys = (f"envelope:{req.envelope_id}", payload_key(req.payload))
        if not await self.deliveries.claim(*keys):
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        start = time.time()
        try:
            answer = await run_async_bolt_app(self.app, req)
        except BaseException:
            await self.deliveries.release(*keys)
            raise
        if answer.status == 200:
            await self.deliveries.done(*keys)
        else:
            await self.deliveries.release(*keys)
        await send_async_response(client, req, answer, start)


def payload_key(payload: object) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return "payload:" + hashlib.sha256(canonical.encode()).hexdigest()
