"""The Slack adapter: a Bolt app that turns slash commands, button presses and
modal submissions into core commands, and core Responses into Block Kit.

Every request is acknowledged by our own listener (process_before_response), so
a fast command's answer travels in the ack itself; work that is not done within
two seconds is acknowledged first and answered afterwards."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from collections.abc import Coroutine, Mapping
from typing import Any

from aiohttp import ClientSession, ClientTimeout, DummyCookieJar, web
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.dedup import Deliveries, RecentDeliveries
from adapters.slack.deliver import SlackDeliverer
from adapters.slack.http import web_app
from adapters.slack.mentions import plain
from adapters.slack.people import People
from adapters.slack.render import (
    FORM_CALLBACK,
    core_command,
    form_values,
    message,
    modal,
    notice,
    slack_command,
)
from bot.commands import Actor
from bot.config import Settings
from bot.core import Rounds
from bot.responses import Button, Post, Response, Target
from bot.storage.inbound import SharedDeliveries

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0  # seconds of work (member lookup included) before we ack and answer later
WEB_API_TIMEOUT = 10.0  # seconds for any one Web API call


class SlackBot:
    """Requests reach the Bolt app through `web_app` (HTTP) or `socket_mode`;
    each is run once (`deliveries`). The community is the workspace the app is
    installed in, whoever asks: a Slack Connect member from another organisation
    acts in it, and no other community appears."""

    def __init__(
        self,
        rounds: Rounds,
        client: AsyncWebClient,
        signing_secret: str,
        deliveries: Deliveries | None = None,
    ) -> None:
        self.rounds = rounds
        self.client = client
        self.signing_secret = signing_secret
        self.deliveries = deliveries or (  # several processes share PostgreSQL, not SQLite
            SharedDeliveries(rounds.db, rounds.clock)
            if rounds.db.dialect == "postgresql"
            else RecentDeliveries()
        )
        self.people = People(client)
        self.deliverer = SlackDeliverer(client, rounds.db, rounds.clock)
        rounds.outbox.register("slack", self.deliverer)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.app = AsyncApp(  # a name given spares Bolt an inspect.stack() (~0.2 s per app)
            name="rounds",
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,
            # web_app checked the signature before any parsing; Socket Mode has none
            request_verification_enabled=False,
        )
        # one listener for every command: Bolt tries each listener's matcher in turn
        names = "|".join(re.escape(slack_command(n)) for n in sorted(rounds.registry.commands))
        self.app.command(re.compile(f"^(?:{names})$"))(self._on_command)
        self.app.action(re.compile(r"^rounds:"))(self._on_action)
        self.app.view(FORM_CALLBACK)(self._on_submit)

    def web_app(self, path: str = "/slack/events") -> web.Application:
        """The HTTP endpoint: malformed requests refused before Bolt sees them."""
        return web_app(self.app, self.signing_secret, self.deliveries, path)

    def socket_mode(self, app_token: str) -> Any:
        """A Socket Mode handler for this app (connect it with `start_async`)."""
        from adapters.slack.socket import SocketModeHandler

        return SocketModeHandler(self.app, app_token, self.deliveries)

    async def settle(self) -> None:
        """Finish the answers in flight (replies, posts, modal updates)."""
        while running := [t for t in self._tasks if not t.done()]:  # a task may spawn more
            await asyncio.gather(*running, return_exceptions=True)

    async def close(self) -> None:
        """Finish answers in flight, then close the Web API session."""
        await self.settle()
        if self.client.session is not None:
            await self.client.session.close()

    async def actor(self, team_id: str, user_id: str, name: str = "") -> Actor:
        """The member as the core sees them: Slack admins and owners are organisers,
        their user groups count for `organiser-role`, Slack's zone fills an empty one."""
        found = await self.people.member(team_id, user_id)
        return Actor(f"slack:{team_id}", user_id, name, found.admin, found.groups, found.timezone)

    def _msg(self, key: str) -> str:
        return self.rounds.content.msg(key)

    async def _on_command(
        self, ack: Any, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        team, user = _workspace(context), command.get("user_id")
        if not team or not user:
            await ack(
                response_type="ephemeral",
                text=self._msg("slack_no_workspace" if user else "slack_no_member"),
            )
            return
        name = str(command.get("user_name") or "")
        channel = command.get("channel_id")
        text, mentions = plain(str(command.get("text") or ""))
        line = f"/{core_command(command['command'])} {text}"
        sub = self.rounds.registry.sub_of(line)
        if sub is not None and sub.opens_form:  # the ack carries nothing: send it first
            await ack()
            self._spawn(self._form(team, user, name, line, channel, command["trigger_id"]))
            return
        work = asyncio.ensure_future(self._run(team, user, name, line, channel, mentions))
        done, _ = await asyncio.wait({work}, timeout=ACK_WITHIN)
        if not done:
            await ack(response_type="ephemeral", text=self._msg("slack_working"))
            self._spawn(self._answer_later(work, channel))
            return
        actor, response = work.result()
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
        self._spawn(self._send_also(response))  # the asides (a welcome), after the answer

    async def _run(
        self,
        team: str,
        user: str,
        name: str,
        line: str,
        channel: str | None,
        mentions: Mapping[str, str] | None = None,
    ) -> tuple[Actor, Response]:
        """The core's answer once its other posts went out (so the answer is true)."""
        actor = await self.actor(team, user, name)
        response = await self.rounds.run_line(actor, line, channel, mentions)
        return actor, await self.rounds.with_posts(response, actor.member_id)

    async def _on_action(self, ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        team, user = _workspace(context), (body.get("user") or {}).get("id")
        actions = body.get("actions") or [{}]
        if not team or not user or not isinstance(actions[0].get("value"), str):
            log.info("a button press without a workspace, member or value; ignored")
            return
        channel = (body.get("channel") or {}).get("id")
        name = str((body.get("user") or {}).get("username") or "")
        actor, response = await self._run(team, user, name, "/" + actions[0]["value"], channel)
        if response.form and not response.error:
            await self._open(str(body.get("trigger_id")), modal(response.form, channel))
        else:
            await self._reply(actor, channel, response)
        await self._send_also(response)

    async def _on_submit(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        team, user = _workspace(context), (body.get("user") or {}).get("id")
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            if not isinstance(meta, dict) or not isinstance(meta.get("submit", ""), str):
                raise ValueError("private_metadata is not ours")
        except ValueError:
            meta = None
        if not team or not user or meta is None:
            key = "slack_no_workspace" if not team else "slack_no_member" if not user else ""
            await ack(response_action="update", view=notice(self._msg(key or "slack_form_stale")))
            return
        channel = meta.get("channel") if isinstance(meta.get("channel"), str) else None
        actor = await self.actor(team, user, str((body.get("user") or {}).get("username") or ""))
        response = await self.rounds.submit_form(
            actor, meta.get("submit", ""), form_values(view.get("state") or {}), channel
        )
        if response.error:
            await ack(
                response_action="errors", errors={_blame(view, response.text): response.text[:2000]}
            )
            self._spawn(self._posts_of(actor, response))  # a welcome, say
        elif response.form:  # the next form at once (3 s), then its posts
            await ack(response_action="update", view=modal(response.form, channel))
            self._spawn(self._update_after_posts(actor, channel, str(view.get("id")), response))
        else:
            await ack()
            self._spawn(self._reply_after_posts(actor, channel, response))

    async def _form(
        self, team: str, user: str, name: str, line: str, channel: str | None, trigger_id: str
    ) -> None:
        """Run a form-opening command after the ack: open its modal (the trigger
        lasts 3 s), or answer in the channel when it refused."""
        actor, response = await self._run(team, user, name, line, channel)
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
        self, work: asyncio.Future[tuple[Actor, Response]], channel: str | None
    ) -> None:
        actor, response = await work
        await self._reply(actor, channel, response)
        await self._send_also(response)

    async def _reply_after_posts(
        self, actor: Actor, channel: str | None, response: Response
    ) -> None:
        shown = await self.rounds.with_posts(response, actor.member_id)
        await self._reply(actor, channel, shown)
        await self._send_also(shown)

    async def _update_after_posts(
        self, actor: Actor, channel: str | None, view_id: str, response: Response
    ) -> None:
        """The next form is showing already; when a post it speaks of could not go out,
        the modal says so instead (views.update), or, if it was closed, a reply does."""
        shown = await self._posts_of(actor, response)
        if not shown.error or response.error:
            return
        try:
            await self.client.views_update(view_id=view_id, view=notice(shown.text))
        except SlackApiError as exc:
            log.info("could not update a modal (%s); replying", exc.response.get("error"))
            await self._reply(actor, channel, shown)

    async def _posts_of(self, actor: Actor, response: Response) -> Response:
        """Send a response's posts as every answer does (bot.core.with_posts), then its
        asides; the reply it leaves, true to what went out."""
        shown = await self.rounds.with_posts(response, actor.member_id)
        await self._send_also(shown)
        return shown

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


def _workspace(context: AsyncBoltContext) -> str | None:
    """The workspace the app is installed in (auth.test of our token), not the
    sender's: a Slack Connect member's own team_id names another organisation."""
    result = context.authorize_result
    return (result.team_id if result is not None else None) or None


def _blame(view: dict[str, Any], text: str) -> str:
    """The input block an error message is about (its key named in the text), else the first."""
    ids = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    ids = ids or list(view.get("state", {}).get("values", {}))
    named = [i for i in ids if i in text]
    return (named or ids or ["form"])[0]


def make_client(settings: Settings, timeout: float = WEB_API_TIMEOUT) -> AsyncWebClient:
    """A Web API client with one HTTP session for all calls (the SDK otherwise opens a
    connection, and a TLS handshake, per call), every call bounded by `timeout`
    (the session's own default is aiohttp's 300 s). Call from a running event loop."""
    session = ClientSession(  # the Web API sets no cookies worth keeping
        timeout=ClientTimeout(total=timeout), cookie_jar=DummyCookieJar()
    )
    kwargs: dict[str, Any] = {
        "token": settings.slack_bot_token,
        "session": session,
        "timeout": math.ceil(timeout),
    }
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
            handler = bot.socket_mode(settings.slack_app_token)
            try:
                await handler.start_async()
            finally:
                await handler.close_async()
            return
        runner = web.AppRunner(bot.web_app("/slack/events"))
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", settings.http_port).start()
        log.info("Slack adapter listening on port %d at /slack/events", settings.http_port)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
    finally:
        await bot.close()
