"""A fake Discord (REST API v10 + gateway websocket) served on 127.0.0.1 for tests.

Start it with ``async with FakeDiscord() as fake:`` and point discord.py at it with
:func:`tests.fakes.discord_client.point_discord_at`.  Every REST request is recorded
(:attr:`FakeDiscord.requests`); gateway frames sent by the client are kept in
:attr:`FakeDiscord.gateway_frames`.  Interactions are pushed with
:meth:`FakeDiscord.dispatch_interaction` using payloads from the builder methods
(:meth:`FakeDiscord.slash_command`, :meth:`FakeDiscord.button_press`,
:meth:`FakeDiscord.modal_submit`).

Shards: each connection that identified as shard ``[k, n]`` (or unsharded: ``[0, 1]``)
is that shard's, the newest one replacing an older one, and gets READY and GUILD_CREATE
for only the guild on it. An event goes to the shard owning its guild, ``(guild_id >> 22)
% n``, and one without a guild (a DM) to shard 0, as Discord does; ``shard=`` names
another. :attr:`FakeDiscord.routed` says which shard each interaction was sent to.

What discord.py 2.7.1 relies on:

* JSON bodies need ``Content-Type: application/json`` exactly; aiohttp's ``json_response``
  appends ``; charset=utf-8`` and discord.py then hands the body back as a ``str``.
* Interaction callbacks are posted with ``?with_response=1`` and parsed as
  ``{"interaction": {...}, "resource": {"type": ..., "message": {...}}}``; the
  ``response_message_id`` is what persistent/non-persistent views get bound to.
* Follow-ups are posted with ``?wait=1`` (not ``wait=true``) and expect the message back.
* The client asks for ``compress=zlib-stream`` but decodes text frames as plain JSON.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from aiohttp import BodyPartReader, WSMsgType, web

JSON = dict[str, Any]

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway-ws/"
HEARTBEAT_INTERVAL_MS = 45_000
DISCORD_EPOCH_MS = 1_420_070_400_000

MANAGE_GUILD = 1 << 5
"""Permission bit for "Manage Server"; pass it to the interaction builders."""
APP_PERMISSIONS = (1 << 50) - 1
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding)
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_MODAL = 9
MODAL_SUBMIT = 5  # the interaction type of a submitted modal

_EDITABLE = ("content", "embeds", "components", "flags")

Handler = Callable[["RecordedCall", "re.Match[str]"], Awaitable[web.Response]]


@dataclass(frozen=True)
class Attachment:
    """A file part of a multipart request (``files[n]``), as discord.py sends one."""

    field: str
    filename: str
    content_type: str
    content: bytes


@dataclass
class RecordedCall:
    """One REST request received by the fake; ``path`` is relative to ``/api/v10``.
    A multipart body's ``payload_json`` is ``json``; its file parts are ``files``."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    files: list[Attachment] = field(default_factory=list)

    def matches(self, method: str | None = None, path: str | None = None) -> bool:
        """True if the method equals ``method`` and ``path`` (a regex) fully matches the path."""
        return (method is None or self.method == method.upper()) and (
            path is None or re.fullmatch(path, self.path) is not None
        )


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class _Gateway:
    ws: web.WebSocketResponse
    seq: int = 0


def snowflake_on_shard(shard: int, count: int) -> int:
    """A snowflake from the last few milliseconds whose guild would be on ``shard`` of
    ``count`` (below any id :meth:`FakeDiscord.new_id` hands out)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms - (ms - shard) % count) << 22


def now_iso() -> str:
    """Current UTC time in Discord's ISO 8601 format."""
    return datetime.now(UTC).isoformat()


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON response whose Content-Type is exactly ``application/json`` (discord.py requires it)."""
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def error_response(status: int, code: int, message: str) -> web.Response:
    """Discord-style error body: ``{"message": ..., "code": ...}``."""
    return json_response({"message": message, "code": code}, status)


def user_payload(user_id: int, username: str, *, bot: bool = False) -> JSON:
    """A Discord user object."""
    return {
        "id": str(user_id),
        "username": username,
        "global_name": username.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


def member_payload(
    user: JSON, roles: Iterable[int | str] = (), permissions: int | None = None
) -> JSON:
    """A guild member object; ``permissions`` is only present in interaction payloads."""
    member: JSON = {
        "user": user,
        "roles": [str(r) for r in roles],
        "nick": None,
        "avatar": None,
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }
    if permissions is not None:
        member["permissions"] = str(permissions)
    return member


def option(name: str, value: str | int | float | bool, type: int | None = None) -> JSON:
    """A slash-command option; the type is inferred (string 3, integer 4, boolean 5, number 10)."""
    if type is None:
        type = next(
            t for cls, t in ((bool, 5), (int, 4), (float, 10), (str, 3)) if isinstance(value, cls)
        )
    return {"name": name, "type": type, "value": value}


def subcommand(name: str, *options: JSON) -> JSON:
    """A subcommand option (type 1) wrapping its own options."""
    return {"name": name, "type": 1, "options": list(options)}


def subcommand_group(name: str, *subcommands: JSON) -> JSON:
    """A subcommand group option (type 2)."""
    return {"name": name, "type": 2, "options": list(subcommands)}


class FakeDiscord:
    """In-process fake of Discord's REST API and gateway, bound to 127.0.0.1:<ephemeral>."""

    def __init__(
        self, token: str = "fake-bot-token", *, guild_shard: tuple[int, int] = (0, 1)
    ) -> None:
        """``guild_shard``: the guild is on shard ``k`` of ``n`` (its id says so)."""
        self.token = token
        self.guild_id = snowflake_on_shard(*guild_shard)
        self._ids = itertools.count(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) + 1)
        self.application_id = self.new_id()
        self.bot_user = user_payload(self.new_id(), "rounds-bot", bot=True)
        self.owner_user = user_payload(self.new_id(), "owner")
        self.channel_id = self.new_id()
        self.guild: JSON = {
            "id": str(self.guild_id),
            "name": "Residency Applicants",
            "owner_id": self.owner_user["id"],
            "unavailable": False,
            "large": False,
            "member_count": 0,
            "joined_at": now_iso(),
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": "1024",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [],
            "threads": [],
            "members": [],
            "voice_states": [],
            "presences": [],
        }
        self.users: dict[str, JSON] = {}
        self.channels: dict[str, JSON] = {}
        self.add_channel("general", channel_id=self.channel_id)
        for user in (self.bot_user, self.owner_user):
            self._add_member(user)

        self.requests: list[RecordedCall] = []
        self.unknown_routes: list[RecordedCall] = []
        self.gateway_frames: list[JSON] = []
        self.commands: dict[int | None, list[JSON]] = {}
        self.messages: dict[str, JSON] = {}
        self.dm_closed_user_ids: set[str] = set()
        self.interactions: dict[str, JSON] = {}
        self.interaction_responses: dict[str, JSON] = {}
        self._originals: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._gateways: dict[int, _Gateway] = {}  # shard id -> the connection running it
        self.shard_count = 1
        self.routed: dict[str, int] = {}  # interaction id -> the shard it was sent to
        self._identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes = self._build_routes()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on 127.0.0.1 with an ephemeral port."""
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self._gateway_handler)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close any gateway connection and stop the server."""
        for gateway in list(self._gateways.values()):
            if not gateway.ws.closed:
                await gateway.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Websocket URL of the fake gateway (without the ``?v=...`` query discord.py adds)."""
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    # -- world building ----------------------------------------------------------------------

    def new_id(self) -> int:
        """A fresh, increasing snowflake."""
        return next(self._ids)

    def add_channel(
        self,
        name: str,
        *,
        type: int = 0,
        channel_id: int | None = None,
        guild_id: int | None = None,
    ) -> JSON:
        """Add a guild channel (text by default) to the guild sent at the next GUILD_CREATE;
        with ``guild_id``, a channel of another server the bot is in (fetchable, never sent)."""
        channel: JSON = {
            "id": str(channel_id or self.new_id()),
            "type": type,
            "guild_id": str(guild_id or self.guild_id),
            "name": name,
            "position": len(self.guild["channels"]),
            "permission_overwrites": [],
            "parent_id": None,
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }
        if guild_id is None:
            self.guild["channels"].append(channel)
        self.channels[channel["id"]] = channel
        return channel

    def dm_channel(self, user: JSON) -> JSON:
        """The DM channel (type 1) between the bot and ``user``, made on first use."""
        existing = next(
            (
                c
                for c in self.channels.values()
                if c["type"] == 1 and c["recipients"][0]["id"] == user["id"]
            ),
            None,
        )
        channel = existing or {
            "id": str(self.new_id()),
            "type": 1,
            "recipients": [user],
            "last_message_id": None,
        }
        self.channels[channel["id"]] = channel
        return channel

    def add_role(self, name: str, permissions: int = 0) -> JSON:
        """Add a role to the guild sent at the next GUILD_CREATE."""
        role: JSON = {
            "id": str(self.new_id()),
            "name": name,
            "permissions": str(permissions),
            "position": len(self.guild["roles"]),
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": True,
            "flags": 0,
        }
        self.guild["roles"].append(role)
        return role

    def add_user(self, username: str, *, roles: Iterable[int | str] = ()) -> JSON:
        """Create a user who is a member of the guild; returns the user object."""
        user = user_payload(self.new_id(), username)
        self._add_member(user, roles)
        return user

    def close_dms(self, user_id: int | str) -> None:
        """Make messages to this user's DM channel fail with 403 / code 50007."""
        self.dm_closed_user_ids.add(str(user_id))

    def _add_member(self, user: JSON, roles: Iterable[int | str] = ()) -> None:
        self.users[user["id"]] = user
        self.guild["members"].append(member_payload(user, roles))
        self.guild["member_count"] = len(self.guild["members"])

    def message_payload(
        self,
        channel_id: int | str,
        body: Mapping[str, Any],
        *,
        author: JSON | None = None,
        webhook: bool = False,
        message_type: int = 0,
        files: Sequence[Attachment] = (),
    ) -> JSON:
        """A message object built from a create/edit body, stored so it can be fetched;
        uploaded ``files`` become its attachments."""
        channel = self.channels.get(str(channel_id), {})
        message: JSON = {
            "id": str(self.new_id()),
            "channel_id": str(channel_id),
            "author": author or self.bot_user,
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._attachment(channel_id, f) for f in files],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": message_type,
            "flags": body.get("flags") or 0,
        }
        if "guild_id" in channel:
            message["guild_id"] = channel["guild_id"]
        if webhook:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        self.messages[message["id"]] = message
        return message

    def _attachment(self, channel_id: int | str, file: Attachment) -> JSON:
        attachment_id = str(self.new_id())
        return {
            "id": attachment_id,
            "filename": file.filename,
            "content_type": file.content_type,
            "size": len(file.content),
            "url": f"http://127.0.0.1:{self.port}/attachments/{channel_id}/{attachment_id}",
            "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{channel_id}/{attachment_id}",
        }

    # -- recording ---------------------------------------------------------------------------

    def calls(self, method: str | None = None, path: str | None = None) -> list[RecordedCall]:
        """Recorded requests, filtered by method and a regex ``fullmatch`` on the path."""
        return [c for c in self.requests if c.matches(method, path)]

    async def wait_for_call(
        self,
        method: str | None = None,
        path: str | None = None,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - a default deadline makes a missing call fail fast
        since: int = 0,
    ) -> RecordedCall:
        """Wait for (or return an already recorded) matching request at index >= ``since``."""

        def find() -> RecordedCall | None:
            return next(
                (
                    c
                    for c in self.requests[since:]
                    if c.matches(method, path) and (predicate is None or predicate(c))
                ),
                None,
            )

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: find() is not None)
        found = find()
        assert found is not None
        return found

    def mark(self) -> int:
        """Index to pass as ``since=`` to only match requests made from now on."""
        return len(self.requests)

    # -- gateway -----------------------------------------------------------------------------

    async def wait_until_identified(self) -> None:
        """Wait until a client connected and sent IDENTIFY (wrap in ``asyncio.timeout``)."""
        await self._identified.wait()

    def shard_of(self, guild_id: int | str | None) -> int:
        """The shard Discord sends a guild's events to; shard 0 for a DM (no guild)."""
        return 0 if guild_id is None else (int(guild_id) >> 22) % self.shard_count

    async def dispatch(self, event: str, data: JSON, *, shard: int | None = None) -> int:
        """Send a DISPATCH (op 0) frame to the shard owning the event's guild (or to
        ``shard``) with that connection's next sequence number; returns the number."""
        shard = self.shard_of(data.get("guild_id")) if shard is None else shard
        gateway = self._gateways.get(shard)
        if gateway is None or gateway.ws.closed:
            raise RuntimeError(f"no client runs shard {shard} on the fake gateway")
        return await self._send_event(gateway, event, data)

    async def dispatch_interaction(self, payload: JSON, *, shard: int | None = None) -> JSON:
        """Send INTERACTION_CREATE to the shard owning its guild (a DM's to shard 0), or to
        ``shard``, and remember the interaction so callbacks can be answered."""
        shard = self.shard_of(payload.get("guild_id")) if shard is None else shard
        self.interactions[payload["id"]] = payload
        self.routed[payload["id"]] = shard
        await self.dispatch("INTERACTION_CREATE", payload, shard=shard)
        return payload

    @staticmethod
    async def _send_event(gateway: _Gateway, event: str, data: JSON) -> int:
        gateway.seq += 1
        await gateway.ws.send_str(json.dumps({"op": 0, "t": event, "s": gateway.seq, "d": data}))
        return gateway.seq

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        gateway = _Gateway(ws)
        self._identified.clear()
        await self._send_op(ws, 10, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            self.gateway_frames.append(frame)
            if frame["op"] == 1:
                await self._send_op(ws, 11, None)
            elif frame["op"] == 2:
                if frame["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard, self.shard_count = frame["d"].get("shard") or (0, 1)
                self._gateways[shard] = gateway  # the newest connection runs the shard
                await self._send_ready(gateway, frame["d"].get("shard"))
                self._identified.set()
        return ws

    @staticmethod
    async def _send_op(ws: web.WebSocketResponse, op: int, data: Any) -> None:
        await ws.send_str(json.dumps({"op": op, "d": data, "s": None, "t": None}))

    async def _send_ready(self, gateway: _Gateway, shard: list[int] | None = None) -> None:
        """READY (naming the shard a sharded client identified as), then the guild if it
        is on that shard."""
        ours = self.shard_of(self.guild_id) == (shard or (0, 1))[0]
        await self._send_event(
            gateway,
            "READY",
            ({"shard": shard} if shard else {})
            | {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": self.guild["id"], "unavailable": True}] if ours else [],
                "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "user_settings": {},
            },
        )
        if ours:
            await self._send_event(gateway, "GUILD_CREATE", self.guild)

    # -- interaction builders ----------------------------------------------------------------

    def _interaction(
        self,
        type: int,
        data: JSON,
        *,
        user: JSON | None,
        permissions: int,
        channel_id: int | None,
        message: JSON | None = None,
        in_dm: bool = False,
        roles: Iterable[int | str] = (),
    ) -> JSON:
        user = user or self.owner_user
        if in_dm:
            channel = self.dm_channel(user)
        else:
            channel = self.channels[str(channel_id or self.channel_id)]
        payload: JSON = {
            "id": str(self.new_id()),
            "application_id": str(self.application_id),
            "type": type,
            "data": data,
            "token": f"itoken-{self.new_id()}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "features": [], "locale": "en-US"},
            "channel": channel,
            "channel_id": channel["id"],
            "member": member_payload(user, roles, permissions=permissions),
            "app_permissions": str(APP_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if in_dm:  # Discord sends no guild in a DM, and the user at the top level
            for key in ("guild_id", "guild", "member", "guild_locale"):
                del payload[key]
            payload["user"] = user
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"1": user["id"]}
        if message is not None:
            payload["message"] = message
        return payload

    def slash_command(
        self,
        name: str,
        *options: JSON,
        user: JSON | None = None,
        permissions: int = 0,
        channel_id: int | None = None,
        command_guild_id: int | None = None,
        roles: Iterable[int | str] = (),
    ) -> JSON:
        """APPLICATION_COMMAND (type 2) payload; ``command_guild_id`` for guild-scoped commands;
        ``roles``: the role ids the member holds."""
        command = next(
            (c for c in self.commands.get(command_guild_id, []) if c["name"] == name), None
        )
        data: JSON = {
            "id": command["id"] if command else str(self.new_id()),
            "name": name,
            "type": 1,
            "options": list(options),
        }
        if command_guild_id is not None:
            data["guild_id"] = str(command_guild_id)
        return self._interaction(
            2, data, user=user, permissions=permissions, channel_id=channel_id, roles=roles
        )

    def button_press(
        self,
        custom_id: str,
        *,
        message: JSON | None = None,
        user: JSON | None = None,
        permissions: int = 0,
        channel_id: int | None = None,
        in_dm: bool = False,
    ) -> JSON:
        """MESSAGE_COMPONENT (type 3) payload for a button; a bot message is made if none given.
        ``in_dm``: pressed under a DM the bot sent (no guild, top-level user)."""
        if in_dm:
            channel_id = int(self.dm_channel(user or self.owner_user)["id"])
        if message is None:
            button = {"type": 2, "style": 1, "label": custom_id, "custom_id": custom_id}
            message = self.message_payload(
                channel_id or self.channel_id, {"components": [{"type": 1, "components": [button]}]}
            )
        data = {"custom_id": custom_id, "component_type": 2}
        return self._interaction(
            3,
            data,
            user=user,
            permissions=permissions,
            channel_id=channel_id or int(message["channel_id"]),
            message=message,
            in_dm=in_dm,
        )

    def modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str],
        *,
        user: JSON | None = None,
        permissions: int = 0,
        channel_id: int | None = None,
        in_dm: bool = False,
    ) -> JSON:
        """MODAL_SUBMIT (type 5) payload: one action row per text input ``custom_id -> value``."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}
            for cid, value in values.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        return self._interaction(
            5, data, user=user, permissions=permissions, channel_id=channel_id, in_dm=in_dm
        )

    # -- REST --------------------------------------------------------------------------------

    def _build_routes(self) -> list[_Route]:
        app = r"/applications/(?P<app>\d+)"
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        table: Sequence[tuple[str, str, Handler]] = [
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway),
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/users/(?P<user>\d+)", self._get_user),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", app + r"(?:/guilds/(?P<guild>\d+))?/commands", self._get_commands),
            ("PUT", app + r"(?:/guilds/(?P<guild>\d+))?/commands", self._put_commands),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", hook, self._post_followup),
            ("GET", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message),
            ("PATCH", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message),
            ("DELETE", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message),
            ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message),
            ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message),
            ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message),
            (
                "POST",
                r"/channels/(?P<channel>\d+)(?:/messages/(?P<mid>\d+))?/threads",
                self._create_thread,
            ),
        ]
        return [_Route(m, re.compile(p), h) for m, p, h in table]

    async def _rest_handler(self, request: web.Request) -> web.Response:
        path = request.path.removeprefix(API_PREFIX)
        body, files = await self._read_body(request)
        call = RecordedCall(
            request.method, path, dict(request.query), body, dict(request.headers), files
        )
        async with self._changed:
            self.requests.append(call)
            self._changed.notify_all()
        needs_auth = not path.startswith(("/webhooks/", "/interactions/"))
        if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return error_response(401, 0, "401: Unauthorized")
        for route in self._routes:
            match = route.pattern.fullmatch(path)
            if match and route.method == request.method:
                return await route.handler(call, match)
        self.unknown_routes.append(call)
        return error_response(404, 0, "404: Not Found")

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[Attachment]]:
        """The JSON body (``payload_json`` of a multipart one) and any file parts."""
        if not request.can_read_body:
            return None, []
        if request.content_type.startswith("multipart/"):
            payload, files = None, []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                assert isinstance(part, BodyPartReader), "nested multipart is not expected"
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.filename is not None:
                    content_type = part.headers.get("Content-Type", "application/octet-stream")
                    content = bytes(await part.read())
                    files.append(Attachment(part.name or "", part.filename, content_type, content))
            return payload, files
        text = await request.text()
        return (json.loads(text) if text else None), []

    async def _get_gateway(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_me(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        return json_response(self.bot_user)

    async def _get_user(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        user = self.users.get(match["user"])
        return json_response(user) if user else error_response(404, 10013, "Unknown User")

    async def _get_application(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user["username"],
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.owner_user,
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "bot": self.bot_user,
            }
        )

    async def _get_commands(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        guild = int(match["guild"]) if match["guild"] else None
        return json_response(self.commands.get(guild, []))

    async def _put_commands(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        guild = int(match["guild"]) if match["guild"] else None
        commands = [
            {
                **cmd,
                "id": str(self.new_id()),
                "application_id": match["app"],
                "version": "1",
                "type": cmd.get("type", 1),
                "description": cmd.get("description", ""),
                **({"guild_id": str(guild)} if guild else {}),
            }
            for cmd in call.json or []
        ]
        self.commands[guild] = commands
        return json_response(commands)

    async def _callback(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        interaction = self.interactions.get(match["id"])
        if interaction is None or interaction["token"] != match["token"]:
            return error_response(404, 10062, "Unknown interaction")
        if match["id"] in self.interaction_responses:
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        body: JSON = call.json or {}
        kind, data = body.get("type"), body.get("data") or {}
        if kind == CALLBACK_MODAL and interaction["type"] == MODAL_SUBMIT:
            # Discord: a modal is "not available for MODAL_SUBMIT and PING interactions"
            return error_response(400, 50035, "Invalid Form Body")
        self.interaction_responses[match["id"]] = body
        flags = data.get("flags") or 0
        resource: JSON = {"type": kind}
        if kind in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE):
            if kind == CALLBACK_DEFERRED_MESSAGE:
                data = {**data, "flags": flags | LOADING}
            resource["message"] = self.message_payload(
                interaction["channel_id"], data, webhook=True, message_type=20, files=call.files
            )
        elif "message" in interaction and kind in (
            CALLBACK_DEFERRED_UPDATE,
            CALLBACK_UPDATE_MESSAGE,
        ):
            source = interaction["message"]
            original = self.messages.setdefault(source["id"], source)
            original.update({k: v for k, v in data.items() if k in _EDITABLE})
            resource["message"] = original
        response: JSON = {
            "interaction": {
                "id": match["id"],
                "type": interaction["type"],
                "response_message_loading": kind == CALLBACK_DEFERRED_MESSAGE,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            }
        }
        if "message" in resource:
            self._originals[match["token"]] = resource["message"]["id"]
            response["interaction"]["response_message_id"] = resource["message"]["id"]
        response["resource"] = resource
        return json_response(response)

    async def _post_followup(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        interaction = next(
            (i for i in self.interactions.values() if i["token"] == match["token"]), None
        )
        if interaction is None:
            return error_response(404, 10015, "Unknown Webhook")
        message = self.message_payload(
            interaction["channel_id"], call.json or {}, webhook=True, files=call.files
        )
        if call.query.get("wait", "").lower() not in ("1", "true"):  # discord.py sends wait=1
            return web.Response(status=204)
        return json_response(message)

    async def _webhook_message(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        mid = match["mid"]
        if mid == "@original":
            mid = self._originals.get(match["token"], "")
        return self._message_op(call, mid)

    async def _channel_message(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        return self._message_op(call, match["mid"])

    def _message_op(self, call: RecordedCall, mid: str) -> web.Response:
        message = self.messages.get(mid)
        if message is None:
            return error_response(404, 10008, "Unknown Message")
        if call.method == "DELETE":
            del self.messages[mid]
            return web.Response(status=204)
        if call.method == "PATCH":
            edits = {k: v for k, v in (call.json or {}).items() if k in _EDITABLE}
            message.update(edits, edited_timestamp=now_iso())
        return json_response(message)

    async def _open_dm(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        recipient = str((call.json or {}).get("recipient_id"))
        user = self.users.get(recipient)
        if user is None:
            return error_response(404, 10013, "Unknown User")
        return json_response(self.dm_channel(user))

    async def _get_channel(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        channel = self.channels.get(match["channel"])
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        return json_response(channel)

    async def _post_message(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        channel = self.channels.get(match["channel"])
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        if channel["type"] == 1 and channel["recipients"][0]["id"] in self.dm_closed_user_ids:
            return error_response(403, 50007, "Cannot send messages to this user")
        return json_response(
            self.message_payload(match["channel"], call.json or {}, files=call.files)
        )

    async def _create_thread(self, call: RecordedCall, match: re.Match[str]) -> web.Response:
        parent = self.channels.get(match["channel"])
        if parent is None or "guild_id" not in parent:
            return error_response(404, 10003, "Unknown Channel")
        body: JSON = call.json or {}
        thread = {
            "id": match["mid"] or str(self.new_id()),
            "type": 11 if match["mid"] else body.get("type", 11),
            "guild_id": parent["guild_id"],
            "parent_id": parent["id"],
            "owner_id": self.bot_user["id"],
            "name": body.get("name", "thread"),
            "last_message_id": None,
            "rate_limit_per_user": body.get("rate_limit_per_user", 0),
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
                "invitable": body.get("invitable", True),
                "create_timestamp": now_iso(),
            },
        }
        self.channels[thread["id"]] = thread
        return json_response(thread)
