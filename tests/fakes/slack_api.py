"""A fake Slack Web API served over real HTTP on 127.0.0.1, for tests.

Point ``AsyncWebClient(base_url=fake.url)`` at it; ``fake.url`` ends with ``/api/``. The SDK
joins ``base_url`` and the method with ``urljoin``, which drops a last path segment not
followed by ``/``; slack-sdk 3.47 appends a missing ``/`` itself, but keep it regardless.
Every request is recorded as a :class:`Call`.

Socket Mode: ``apps.connections.open`` answers a ``ws://127.0.0.1`` URL on the fake; a client
that connects gets ``hello``, then whatever :meth:`FakeSlackAPI.send_envelope` sends, and its
acknowledgements are recorded (:meth:`FakeSlackAPI.wait_for_ack`).
"""

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from multidict import CIMultiDict

TEAM_ID = "T0ROUNDS"
BOT_USER_ID = "U0ROUNDSBOT"
BOT_ID = "B0ROUNDSBOT"
APP_ID = "A0ROUNDS"
RESPONSE_URL_METHOD = "response_url"
"""Pseudo method name under which POSTs to a generated ``response_url`` are recorded."""
UPLOAD_METHOD = "upload"
"""Pseudo method name under which the bytes POSTed to an ``upload_url`` are recorded."""

JSONDict = dict[str, Any]


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Serve an aiohttp app on 127.0.0.1 at an ephemeral port; yield ``http://127.0.0.1:<port>``."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


@dataclass(frozen=True)
class Call:
    """One request received by the fake."""

    method: str
    """Web API method (``chat.postMessage``) or :data:`RESPONSE_URL_METHOD`."""
    body: JSONDict
    """Query string, form fields or JSON body, merged into one dict."""
    headers: CIMultiDict[str]
    status: int
    """HTTP status the fake answered with."""
    path: str


@dataclass
class UploadedFile:
    """A file sent through the upload v2 flow: files.getUploadURLExternal, a POST of
    the bytes to the returned ``upload_url``, then files.completeUploadExternal."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    """The bytes POSTed to the upload URL (None until they arrive)."""
    channel: str | None = None
    """The conversation files.completeUploadExternal shared it to."""
    title: str = ""
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class _Fault:
    status: int
    body: JSONDict
    headers: dict[str, str]
    remaining: int | None  # None: forever


class FakeSlackAPI:
    """Fake Slack Web API: ``async with FakeSlackAPI() as fake``, or the ``slack_api`` fixture."""

    def __init__(
        self, team_id: str = TEAM_ID, bot_user_id: str = BOT_USER_ID, bot_id: str = BOT_ID
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.base = ""
        """``http://127.0.0.1:<port>``, set once started."""
        self._calls: list[Call] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._users: dict[str, JSONDict] = {}
        self._usergroups: dict[str, list[str]] = {}
        self._dm_errors: dict[str, str] = {}
        self._files: dict[str, UploadedFile] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._stack = AsyncExitStack()
        self._hangs: dict[str, int | None] = {}
        self._released = asyncio.Event()
        self._sockets: list[web.WebSocketResponse] = []
        self.acks: list[JSONDict] = []
        """Socket Mode acknowledgements received, oldest first."""

    @property
    def url(self) -> str:
        """Base URL for ``AsyncWebClient(base_url=...)``; has the required trailing slash."""
        return f"{self.base}/api/"

    async def __aenter__(self) -> "FakeSlackAPI":
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{id}", self._handle_response_url)
        app.router.add_post("/upload/{id}", self._handle_upload)
        app.router.add_get("/link", self._handle_socket)
        self.base = await self._stack.enter_async_context(serve(app))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._released.set()
        for ws in self._sockets:
            await ws.close()
        await self._stack.aclose()

    # --- configuration -------------------------------------------------------------------

    def inject(
        self,
        method: str,
        *,
        status: int = 200,
        body: JSONDict | None = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``None``: all) with this response."""
        fault = _Fault(status, body or {"ok": False, "error": "fake_error"}, headers or {}, times)
        self._faults.setdefault(method, []).append(fault)

    def fail_with(self, method: str, error: str, times: int | None = 1) -> None:
        """Answer ``{"ok": false, "error": error}`` (HTTP 200, as Slack does)."""
        self.inject(method, body={"ok": False, "error": error}, times=times)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer HTTP 429 with ``Retry-After`` for the next ``times`` calls."""
        headers = {"Retry-After": str(retry_after)}
        body = {"ok": False, "error": "ratelimited"}
        self.inject(method, status=429, body=body, headers=headers, times=times)

    def server_error(self, method: str, times: int = 1, status: int = 500) -> None:
        """Answer HTTP 5xx for the next ``times`` calls."""
        self.inject(
            method, status=status, body={"ok": False, "error": "internal_error"}, times=times
        )

    def hang(self, method: str, times: int | None = None) -> None:
        """Never answer the next ``times`` calls of ``method`` (``None``: all), as a stuck
        Slack does; the call is recorded when it arrives."""
        self._hangs[method] = times

    def set_user(
        self, user_id: str, *, is_admin: bool = False, is_owner: bool = False, **fields: Any
    ) -> None:
        """Configure what ``users.info`` returns (unknown users get a plain member)."""
        self._users[user_id] = {"is_admin": is_admin, "is_owner": is_owner, **fields}

    def set_usergroup(self, usergroup_id: str, user_ids: list[str]) -> None:
        """Configure ``usergroups.users.list`` (unknown groups get ``no_such_subteam``)."""
        self._usergroups[usergroup_id] = list(user_ids)

    def fail_dm(self, user_id: str, error: str = "cannot_dm_bot") -> None:
        """Make ``conversations.open`` with this user fail with ``error``."""
        self._dm_errors[user_id] = error

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The DM channel id ``conversations.open`` returns for ``user_id``."""
        return "D" + user_id[1:]

    def response_url(self) -> str:
        """A fresh response_url whose POSTs are recorded as :data:`RESPONSE_URL_METHOD` calls."""
        return f"{self.base}/response/{next(self._ids)}"

    # --- inspection ----------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, optionally only those of ``method``, oldest first."""
        return [c for c in self._calls if method is None or c.method == method]

    def files(self) -> list[UploadedFile]:
        """Files whose upload was completed (shared to a channel), oldest first."""
        return [f for f in self._files.values() if f.completed]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 2.0,  # noqa: ASYNC109 - a deadline is the point of this helper
    ) -> Call:
        """Return the first (past or future) call of ``method`` matching ``predicate``."""

        def match() -> Call | None:
            return next((c for c in self.calls(method) if predicate is None or predicate(c)), None)

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: match() is not None)
        except TimeoutError:
            seen = [c.method for c in self._calls]
            raise AssertionError(
                f"no matching {method} call within {timeout}s; saw {seen}"
            ) from None
        found = match()
        assert found is not None
        return found

    # --- HTTP handlers -------------------------------------------------------------------

    async def _record(self, request: web.Request, method: str, body: JSONDict, status: int) -> None:
        call = Call(method, body, CIMultiDict(request.headers), status, request.path)
        async with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        await self._record(request, RESPONSE_URL_METHOD, await request.json(), 200)
        return web.Response(text="ok")

    async def _handle_upload(self, request: web.Request) -> web.Response:
        upload = self._files.get(request.match_info["id"])
        data = await request.read()
        status = 200 if upload is not None and upload.content is None else 404
        if status == 200 and upload is not None:
            upload.content = data
        await self._record(request, UPLOAD_METHOD, {"id": request.match_info["id"]}, status)
        return web.Response(status=status, text=f"OK - {len(data)}" if status == 200 else "")

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body: JSONDict = dict(request.query)
        if request.content_type == "application/json":
            body.update(await request.json())
        else:
            body.update(await request.post())
        if method in self._hangs:
            left = self._hangs[method]
            if left is not None:
                self._hangs[method] = left - 1
                if left <= 1:
                    del self._hangs[method]
            await self._record(request, method, body, 0)
            await self._released.wait()
            return web.json_response({"ok": False, "error": "fake_shutting_down"}, status=503)
        status, payload, headers = self._answer(method, body, request.headers)
        await self._record(request, method, body, status)
        return web.json_response(payload, status=status, headers=headers)

    def _answer(
        self, method: str, body: JSONDict, headers: Mapping[str, str]
    ) -> tuple[int, JSONDict, dict[str, str]]:
        faults = self._faults.get(method)
        if faults:
            fault = faults[0]
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    faults.pop(0)
            return fault.status, fault.body, fault.headers
        if not headers.get("Authorization", "").startswith("Bearer ") and "token" not in body:
            return 200, {"ok": False, "error": "not_authed"}, {}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        payload = handler(body) if handler else {"ok": True}
        extra = {
            "X-OAuth-Scopes": "chat:write,commands,files:write,im:write,users:read,usergroups:read"
        }
        return 200, payload, extra if method == "auth.test" else {}

    # --- method implementations ----------------------------------------------------------

    def _ts(self) -> str:
        return f"1700000000.{next(self._ids):06d}"

    def _channel(self, channel: str) -> str:
        return self.dm_channel(channel) if channel[:1] in ("U", "W") else channel

    def _api_auth_test(self, body: JSONDict) -> JSONDict:
        return {
            "ok": True,
            "url": "https://rounds-test.slack.com/",
            "team": "Rounds Test",
            "user": "rounds",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _message(self, body: JSONDict, ts: str) -> JSONDict:
        return {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
            "text": body.get("text", ""),
            "blocks": body.get("blocks", []),
        }

    def _api_chat_postMessage(self, body: JSONDict) -> JSONDict:
        if not body.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks") and not body.get("attachments"):
            return {"ok": False, "error": "no_text"}
        ts = self._ts()
        return {
            "ok": True,
            "channel": self._channel(body["channel"]),
            "ts": ts,
            "message": self._message(body, ts),
        }

    def _api_chat_postEphemeral(self, body: JSONDict) -> JSONDict:
        if not body.get("channel") or not body.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "message_ts": self._ts()}

    def _api_chat_update(self, body: JSONDict) -> JSONDict:
        if not body.get("channel") or not body.get("ts"):
            return {"ok": False, "error": "invalid_arguments"}
        return {
            "ok": True,
            "channel": body["channel"],
            "ts": body["ts"],
            "text": body.get("text", ""),
            "message": self._message(body, body["ts"]),
        }

    def _api_conversations_open(self, body: JSONDict) -> JSONDict:
        users = str(body.get("users", "")).split(",")
        for user in users:
            if user in self._dm_errors:
                return {"ok": False, "error": self._dm_errors[user]}
        if users == [""]:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": self.dm_channel("".join(users))}}

    def _view(self, body: JSONDict, view_id: str) -> JSONDict:
        view = body.get("view", {})
        view = json.loads(view) if isinstance(view, str) else view
        return {
            "ok": True,
            "view": {
                "private_metadata": "",
                "callback_id": "",
                "external_id": "",
                **view,
                "id": view_id,
                "team_id": self.team_id,
                "root_view_id": view_id,
                "app_id": APP_ID,
                "bot_id": self.bot_id,
                "hash": f"{view_id}.hash",
                "state": {"values": {}},
            },
        }

    def _api_views_open(self, body: JSONDict) -> JSONDict:
        if not body.get("trigger_id") or not body.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(body, f"V{next(self._ids):08d}")

    _api_views_push = _api_views_open

    def _api_views_update(self, body: JSONDict) -> JSONDict:
        if not body.get("view") or not (body.get("view_id") or body.get("external_id")):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(body, body.get("view_id") or f"V{next(self._ids):08d}")

    def _api_users_info(self, body: JSONDict) -> JSONDict:
        user_id = body.get("user", "")
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": user_id.lower(),
            "real_name": user_id,
            "deleted": False,
            "is_bot": False,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "tz": "America/New_York",
            **self._users.get(user_id, {}),
        }
        return {"ok": True, "user": user}

    def _api_files_getUploadURLExternal(self, body: JSONDict) -> JSONDict:
        filename, length = body.get("filename"), str(body.get("length", ""))
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        self._files[file_id] = UploadedFile(file_id, str(filename), int(length))
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, body: JSONDict) -> JSONDict:
        items = body.get("files", "[]")
        items = json.loads(items) if isinstance(items, str) else items
        uploads = [self._files.get(str(item.get("id"))) for item in items]
        if not items or any(u is None or u.content is None for u in uploads):
            return {"ok": False, "error": "file_not_found"}
        channel = body.get("channel_id") or None
        shared = []
        for item, upload in zip(items, uploads, strict=True):
            assert upload is not None and upload.content is not None
            if len(upload.content) != upload.length:
                return {"ok": False, "error": "file_upload_size_mismatch"}
            upload.title = str(item.get("title") or upload.filename)
            upload.channel, upload.thread_ts = channel, body.get("thread_ts") or None
            upload.completed = True
            shared.append({"id": upload.id, "name": upload.filename, "title": upload.title})
        return {"ok": True, "files": shared}

    def _api_usergroups_list(self, body: JSONDict) -> JSONDict:
        groups = [{"id": gid, "users": users} for gid, users in self._usergroups.items()]
        return {"ok": True, "usergroups": groups}

    def _api_apps_connections_open(self, body: JSONDict) -> JSONDict:
        return {"ok": True, "url": self.base.replace("http://", "ws://") + "/link"}

    # --- Socket Mode ---------------------------------------------------------------------

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async with self._changed:
            self._sockets.append(ws)
            self._changed.notify_all()
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            "connection_info": {"app_id": APP_ID},
        }
        await ws.send_json(hello)
        async for msg in ws:
            if msg.type == web.WSMsgType.TEXT:
                async with self._changed:
                    self.acks.append(json.loads(msg.data))
                    self._changed.notify_all()
        return ws

    async def connected(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a Socket Mode client is connected."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(
                lambda: bool(self._sockets) and not self._sockets[-1].closed
            )

    async def send_envelope(
        self,
        envelope_type: str,
        payload: JSONDict,
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send one envelope (``slash_commands``, ``interactive``) to the connected client;
        returns its id."""
        envelope_id = envelope_id or f"env-{next(self._ids):06d}"
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        await self._sockets[-1].send_json(envelope)
        return envelope_id

    async def wait_for_ack(self, envelope_id: str, timeout: float = 3.0) -> JSONDict:  # noqa: ASYNC109
        """The acknowledgement of ``envelope_id`` (AssertionError if none comes in time)."""

        def found() -> JSONDict | None:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: found() is not None)
        except TimeoutError:
            raise AssertionError(f"no ack of {envelope_id} within {timeout}s") from None
        ack = found()
        assert ack is not None
        return ack

    def _api_usergroups_users_list(self, body: JSONDict) -> JSONDict:
        group = body.get("usergroup", "")
        if group not in self._usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": self._usergroups[group]}


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackAPI]:
    """A running :class:`FakeSlackAPI`."""
    async with FakeSlackAPI() as fake:
        yield fake
