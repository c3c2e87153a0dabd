"""The Slack adapter: a Bolt app that turns slash commands, button presses and
modal submissions into core commands, and core Responses into Block Kit.

Every request is acknowledged by our own listener (process_before_response), so
a fast command's answer travels in the ack itself; work that is not done within
two seconds is acknowledged first and answered afterwards."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import ClientSession, web
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deliver import SlackDeliverer
from adapters.slack.render import (
    FORM_CALLBACK,
    core_command,
    form_values,
    message,
    modal,
    slack_command,
)
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from bot.responses import Button, Post, Response, Target

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0  # seconds of work before we acknowledge and answer later
ADMIN_TTL = 300.0
RETRY_TTL = 600.0


class SlackBot:
    def __init__(self, rounds: Rounds, client: AsyncWebClient, signing_secret: str) -> None:
        self.rounds = rounds
        self.client = client
        self.deliverer = SlackDeliverer(client, rounds.db, rounds.clock)
        rounds.outbox.register("slack", self.deliverer)
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}
        self._seen: OrderedDict[str, float] = OrderedDict()  # request hash -> first seen
        self._tasks: set[asyncio.Task[Any]] = set()
        self.app = AsyncApp(
            client=client, signing_secret=signing_secret, process_before_response=True
        )
        self.app.middleware(self._drop_retries)
        for name in rounds.registry.commands:
            self.app.command(slack_command(name))(self._on_command)
        self.app.action(re.compile(r"^rounds:"))(self._on_action)
        self.app.view(FORM_CALLBACK)(self._on_submit)

    async def close(self) -> None:
        """Finish answers in flight, then close the Web API session."""
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.client.session is not None:
            await self.client.session.close()

    async def actor(self, team_id: str, user_id: str, name: str = "") -> Actor:
        """The member as the core sees them; Slack admins and owners are organisers."""
        key, now = (team_id, user_id), time.monotonic()
        cached = self._admins.get(key)
        if cached is None or now - cached[0] > ADMIN_TTL:
            try:
                info = (await self.client.users_info(user=user_id))["user"]
                admin = bool(info.get("is_admin") or info.get("is_owner"))
            except SlackApiError:
                admin = False
            cached = self._admins[key] = (now, admin)
        return Actor(f"slack:{team_id}", user_id, name, cached[1])

    async def _drop_retries(
        self,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next_: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        """Slack resends a request it thinks timed out; never run one twice."""
        key = hashlib.sha256(req.raw_body.encode()).hexdigest()
        now = time.monotonic()
        while self._seen and now - next(iter(self._seen.values())) >= RETRY_TTL:
            self._seen.popitem(last=False)  # oldest first: expiry costs O(1) per request
        if req.headers.get("x-slack-retry-num") and key in self._seen:
            return BoltResponse(status=200, body="")
        self._seen[key] = now
        self._seen.move_to_end(key)
        return await next_()

    async def _on_command(self, ack: Any, command: dict[str, Any]) -> None:
        actor = await self.actor(
            command["team_id"], command["user_id"], command.get("user_name", "")
        )
        channel = command.get("channel_id")
        line = f"/{core_command(command['command'])} {command.get('text', '')}"
        sub = self.rounds.registry.sub_of(line)
        if sub is not None and sub.opens_form:  # the ack carries nothing: send it first
            await ack()
            self._spawn(self._form(actor, line, channel, command["trigger_id"]))
            return
        work = asyncio.ensure_future(self.rounds.run_line(actor, line, channel))
        done, _ = await asyncio.wait({work}, timeout=ACK_WITHIN)
        if not done:
            await ack(response_type="ephemeral", text="Working on it…")
            self._spawn(self._answer_later(work, actor, channel))
            return
        response = work.result()
        if response.form and not response.error:
            await ack()  # the modal opens after the ack, within the trigger's 3 s
            self._spawn(self._open(command["trigger_id"], modal(response.form, channel)))
        elif response.dm or response.file:  # an ack or ephemeral cannot carry a file
            await ack()
            self._spawn(
                self._post(Post(Target(actor.community_id, member_id=actor.member_id), response))
            )
        else:
            await ack(
                response_type="ephemeral" if response.ephemeral else "in_channel",
                **message(response),
            )
        self._spawn(self._send_also(response))

    async def _on_action(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        actor = await self.actor(
            body["team"]["id"], body["user"]["id"], body["user"].get("username", "")
        )
        channel = (body.get("channel") or {}).get("id")
        line = "/" + body["actions"][0]["value"]
        response = await self.rounds.run_line(actor, line, channel)
        if response.form and not response.error:
            await self.client.views_open(
                trigger_id=body["trigger_id"], view=modal(response.form, channel)
            )
        else:
            await self._reply(actor, channel, response)
        self._spawn(self._send_also(response))

    async def _on_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = await self.actor(
            body["team"]["id"], body["user"]["id"], body["user"].get("username", "")
        )
        meta = json.loads(view.get("private_metadata") or "{}")
        channel = meta.get("channel")
        response = await self.rounds.submit_form(
            actor, meta.get("submit", ""), form_values(view.get("state", {})), channel
        )
        if response.error:
            await ack(
                response_action="errors", errors={_blame(view, response.text): response.text[:2000]}
            )
            return
        if response.form:
            await ack(response_action="update", view=modal(response.form, channel))
        else:
            await ack()
            self._spawn(self._reply(actor, channel, response))
        self._spawn(self._send_also(response))

    async def _form(self, actor: Actor, line: str, channel: str | None, trigger_id: str) -> None:
        """Run a form-opening command after the ack: open its modal (the trigger
        lasts 3 s), or answer in the channel when it refused."""
        response = await self.rounds.run_line(actor, line, channel)
        if response.form and not response.error:
            if not await self._open(trigger_id, modal(response.form, channel)):
                # e.g. a busy moment outlasted the trigger: a button brings a fresh one
                again = Button(self.rounds.content.msg("form_again_button"), line.lstrip("/"))
                retry = Response(text=self.rounds.content.msg("form_again"), buttons=(again,))
                await self._reply(actor, channel, retry)
        else:
            await self._reply(actor, channel, response)
        await self._send_also(response)

    async def _open(self, trigger_id: str, view: dict[str, Any]) -> bool:
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
            return True
        except SlackApiError as exc:
            log.warning("could not open a modal: %s", exc.response.get("error"))
            return False

    async def _reply(self, actor: Actor, channel: str | None, response: Response) -> None:
        """An answer after the ack: ephemeral in the channel, or by DM (always when
        it carries a file, which only a DM upload can hold)."""
        if channel and not response.dm and not response.file:
            try:
                await self.client.chat_postEphemeral(
                    channel=channel, user=actor.member_id, **message(response)
                )
                return
            except SlackApiError as exc:  # e.g. the bot is not in that channel
                log.info("ephemeral reply failed (%s); sending a DM", exc.response.get("error"))
        await self._post(Post(Target(actor.community_id, member_id=actor.member_id), response))

    async def _answer_later(
        self, work: asyncio.Future[Response], actor: Actor, channel: str | None
    ) -> None:
        response = await work
        await self._reply(actor, channel, response)
        await self._send_also(response)

    async def _send_also(self, response: Response) -> None:
        for post in response.also:
            await self._post(post)

    async def _post(self, post: Post) -> None:
        try:
            await self.rounds.outbox.deliver(post)
        except Exception:
            log.exception("could not deliver a post to %s", post.to.community_id)

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _blame(view: dict[str, Any], text: str) -> str:
    """The input block an error message is about (its key named in the text), else the first."""
    ids = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    ids = ids or list(view.get("state", {}).get("values", {}))
    named = [i for i in ids if i in text]
    return (named or ids or ["form"])[0]


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client with one HTTP session for all calls (the SDK otherwise opens a
    connection, and a TLS handshake, per call). Call from a running event loop."""
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token, "session": ClientSession()}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    client = AsyncWebClient(**kwargs)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    client.retry_handlers.append(AsyncServerErrorRetryHandler(max_retry_count=1))
    return client


async def serve(rounds: Rounds, settings: Settings) -> None:
    """Run until cancelled: Socket Mode with SLACK_APP_TOKEN, else HTTP on ROUNDS_HTTP_PORT."""
    bot = SlackBot(rounds, make_client(settings), settings.slack_signing_secret or "")
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            await AsyncSocketModeHandler(bot.app, settings.slack_app_token).start_async()
            return
        runner = web.AppRunner(bot.app.web_app(path="/slack/events"))
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", settings.http_port).start()
        log.info("Slack adapter listening on port %d at /slack/events", settings.http_port)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
    finally:
        await bot.close()
