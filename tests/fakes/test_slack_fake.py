"""The Slack fakes driven by the real slack-bolt async stack over HTTP on 127.0.0.1."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import BOT_USER_ID, RESPONSE_URL_METHOD, TEAM_ID, FakeSlackAPI
from tests.fakes.slack_requests import (
    USER_ID,
    block_action,
    bolt_server,
    post,
    post_signed,
    retry_headers,
    sign,
    slash_command,
    text_inputs,
    view_submission,
)

SECRET = "test-signing-secret"


def make_client(fake: FakeSlackAPI, **kwargs: Any) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=fake.url, **kwargs)


@pytest.fixture
def app(slack_api: FakeSlackAPI) -> AsyncApp:
    # AsyncApp has no token_verification_enabled: auth.test runs lazily on the first
    # verified request, so the fake must answer it.
    return AsyncApp(client=make_client(slack_api), signing_secret=SECRET)


@pytest.fixture
async def url(app: AsyncApp) -> AsyncIterator[str]:
    async with bolt_server(app) as events_url:
        yield events_url


async def next_item(queue: "asyncio.Queue[Any]") -> Any:
    return await asyncio.wait_for(queue.get(), 2)


async def test_slash_command_is_acked_and_reaches_the_fake(
    app: AsyncApp, url: str, slack_api: FakeSlackAPI
) -> None:
    @app.command("/help")
    async def help_command(
        ack: Any, command: dict[str, str], client: AsyncWebClient, respond: Any
    ) -> None:
        await ack()
        await client.chat_postEphemeral(
            channel=command["channel_id"],
            user=command["user_id"],
            text=f"help for {command['text']}",
        )
        await respond("done")

    response_url = slack_api.response_url()
    body = slash_command("/help", "groups", response_url=response_url)
    reply = await post_signed(url, body, SECRET)
    assert (reply.status, reply.text) == (200, "")

    eph = await slack_api.wait_for("chat.postEphemeral")
    assert eph.body["text"] == "help for groups"
    assert eph.body["user"] == USER_ID
    assert eph.body["team_id"] == TEAM_ID  # bolt's per-request client adds team_id
    assert eph.headers["Authorization"] == "Bearer xoxb-test"
    posted = await slack_api.wait_for(RESPONSE_URL_METHOD, lambda c: c.body["text"] == "done")
    assert response_url.endswith(posted.path)

    again = slash_command("/help", "again", response_url=slack_api.response_url())
    await post_signed(url, again, SECRET)
    await slack_api.wait_for("chat.postEphemeral", lambda c: c.body["text"].endswith("again"))
    await slack_api.wait_for(RESPONSE_URL_METHOD, lambda c: c.path != posted.path)
    assert slack_api.calls()[0].method == "auth.test"
    assert len(slack_api.calls("auth.test")) == 1  # cached by the app


async def test_views_open_with_trigger_id(app: AsyncApp, url: str, slack_api: FakeSlackAPI) -> None:
    opened: asyncio.Queue[str] = asyncio.Queue()

    @app.command("/profile")
    async def profile(ack: Any, body: dict[str, str], client: AsyncWebClient) -> None:
        await ack()
        resp = await client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "profile",
                "title": {"type": "plain_text", "text": "Profile"},
                "blocks": [],
            },
        )
        await opened.put(resp["view"]["id"])

    reply = await post_signed(url, slash_command("/profile", trigger_id="42.42.abc"), SECRET)
    assert reply.status == 200
    call = await slack_api.wait_for("views.open")
    assert call.body["trigger_id"] == "42.42.abc"
    assert call.body["view"]["callback_id"] == "profile"
    assert (await next_item(opened)).startswith("V")


async def test_block_action_reaches_listener(app: AsyncApp, url: str) -> None:
    seen: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()

    @app.action("join_group")
    async def join(ack: Any, action: dict[str, str], body: dict[str, Any]) -> None:
        await ack()
        await seen.put((action["value"], body["user"]["id"], body["container"]["type"]))

    reply = await post_signed(url, block_action("join_group", "g-7"), SECRET)
    assert reply.status == 200
    assert await next_item(seen) == ("g-7", USER_ID, "message")

    modal = {"id": "V0OPEN", "type": "modal", "callback_id": "profile"}
    await post_signed(url, block_action("join_group", "g-8", view=modal), SECRET)
    assert await next_item(seen) == ("g-8", USER_ID, "view")


async def test_view_submission_reaches_listener(app: AsyncApp, url: str) -> None:
    seen: asyncio.Queue[tuple[str, str]] = asyncio.Queue()

    @app.view("pitch")
    async def submit(ack: Any, view: dict[str, Any]) -> None:
        text = view["state"]["values"]["pitch_block"]["pitch_input"]["value"]
        if not text.strip():
            await ack(response_action="errors", errors={"pitch_block": "Say something"})
            return
        await ack()
        await seen.put((text, view["private_metadata"]))

    values = text_inputs({"pitch_block": {"pitch_input": "I love rounds"}})
    body = view_submission("pitch", values, private_metadata='{"group": 3}')
    reply = await post_signed(url, body, SECRET)
    assert (reply.status, reply.text) == (200, "")
    assert await next_item(seen) == ("I love rounds", '{"group": 3}')

    blank = view_submission("pitch", text_inputs({"pitch_block": {"pitch_input": " "}}))
    reply = await post_signed(url, blank, SECRET)
    assert reply.json() == {"response_action": "errors", "errors": {"pitch_block": "Say something"}}


def _signed_at(offset: int) -> Callable[[bytes], dict[str, str]]:
    return lambda body: sign(body, SECRET, timestamp=int(time.time()) + offset)


@pytest.mark.parametrize(
    "make_headers",
    [
        pytest.param(lambda body: {}, id="unsigned"),
        pytest.param(lambda body: sign(b"other body", SECRET), id="signature-of-other-body"),
        pytest.param(lambda body: sign(body, "wrong-secret"), id="wrong-secret"),
        pytest.param(_signed_at(-301), id="stale"),
        pytest.param(_signed_at(+301), id="future"),
    ],
)
async def test_bad_signatures_are_rejected(
    app: AsyncApp,
    url: str,
    slack_api: FakeSlackAPI,
    make_headers: Callable[[bytes], dict[str, str]],
) -> None:
    ran = []

    @app.command("/help")
    async def help_command(ack: Any) -> None:
        ran.append(True)
        await ack()

    body = slash_command("/help")
    reply = await post(url, body, make_headers(body))
    assert (reply.status, reply.json()) == (401, {"error": "invalid request"})
    await asyncio.sleep(0.05)
    assert ran == []
    assert slack_api.calls() == []  # verification runs before authorization (auth.test)


async def test_bolt_quirks(app: AsyncApp, url: str, slack_api: FakeSlackAPI) -> None:
    ran = []

    @app.command("/help")
    async def help_command(ack: Any) -> None:
        ran.append(True)
        await ack()

    body = slash_command("/help")
    garbage = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}
    assert (await post(url, body, garbage)).status == 500  # int() raises, not a 401

    slack_api.fail_with("auth.test", "invalid_auth", times=1)
    reply = await post_signed(url, body, SECRET)
    assert reply.status == 200 and "reinstall" in reply.text  # apology, listener skipped
    assert ran == []

    assert (await post_signed(url, slash_command("/nope"), SECRET)).status == 404
    assert (await post_signed(url + "/", body, SECRET)).status == 404  # path must match exactly
    assert (await post_signed(url, body, SECRET)).status == 200
    assert ran == [True]
    assert len(slack_api.calls("auth.test")) == 2  # failed result is not cached


async def test_retry_headers_reach_the_app(app: AsyncApp, url: str) -> None:
    seen: asyncio.Queue[list[str]] = asyncio.Queue()

    @app.command("/help")
    async def help_command(ack: Any, request: Any) -> None:
        await ack()
        await seen.put(
            request.headers["x-slack-retry-num"] + request.headers["x-slack-retry-reason"]
        )

    body = slash_command("/help")
    reply = await post(url, body, {**sign(body, SECRET), **retry_headers()})
    assert reply.status == 200
    assert await next_item(seen) == ["1", "http_timeout"]


async def test_rate_limited_call_is_retried_by_bolt_listener(slack_api: FakeSlackAPI) -> None:
    client = make_client(slack_api, retry_handlers=[AsyncRateLimitErrorRetryHandler()])
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/remind")
    async def remind(ack: Any, client: AsyncWebClient, command: dict[str, str]) -> None:
        await ack()
        await client.chat_postMessage(channel=command["user_id"], text="reminder")

    slack_api.rate_limit("chat.postMessage", times=1, retry_after=1)
    async with bolt_server(app) as url:
        reply = await post_signed(url, slash_command("/remind"), SECRET)
        assert reply.status == 200  # acked at once, listener retries in the background
        ok = await slack_api.wait_for("chat.postMessage", lambda c: c.status == 200, timeout=4)
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [429, 200]
    assert slack_api.calls("chat.postMessage")[0].body == ok.body


async def test_errors_without_and_with_retry_handlers(slack_api: FakeSlackAPI) -> None:
    slack_api.rate_limit("chat.postMessage")
    with pytest.raises(SlackApiError) as err:
        await make_client(slack_api).chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"

    slack_api.server_error("chat.postMessage", times=1)
    retrying = make_client(slack_api, retry_handlers=[AsyncServerErrorRetryHandler()])
    resp = await retrying.chat_postMessage(channel="C1", text="x")
    assert resp["ok"] and resp["channel"] == "C1"
    assert [c.status for c in slack_api.calls("chat.postMessage")] == [429, 500, 200]


async def test_fake_web_api_methods(slack_api: FakeSlackAPI) -> None:
    client = make_client(slack_api)
    auth = await client.auth_test()
    assert (auth["user_id"], auth["team_id"]) == (BOT_USER_ID, TEAM_ID)

    slack_api.fail_dm("U0BOT2")
    assert (await client.conversations_open(users="U0ALICE"))["channel"]["id"] == "D0ALICE"
    with pytest.raises(SlackApiError, match="cannot_dm_bot"):
        await client.conversations_open(users="U0BOT2")

    posted = await client.chat_postMessage(channel="U0ALICE", text="hi")
    assert posted["channel"] == "D0ALICE"
    updated = await client.chat_update(channel="D0ALICE", ts=posted["ts"], text="edited")
    assert updated["ts"] == posted["ts"]
    with pytest.raises(SlackApiError, match="no_text"), pytest.warns(UserWarning):
        await client.chat_postMessage(channel="C1")

    slack_api.set_user("U0ADMIN", is_admin=True)
    assert (await client.users_info(user="U0ADMIN"))["user"]["is_admin"] is True
    assert (await client.users_info(user="U0ALICE"))["user"]["is_admin"] is False

    slack_api.set_usergroup("S0MENTORS", ["U0ALICE", "U0BOB"])
    assert (await client.usergroups_users_list(usergroup="S0MENTORS"))["users"] == [
        "U0ALICE",
        "U0BOB",
    ]

    view = {"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": []}
    pushed = await client.views_push(trigger_id="1.1.x", view=view)
    same = await client.views_update(view_id=pushed["view"]["id"], view=view)
    assert same["view"]["id"] == pushed["view"]["id"]

    assert (await client.reactions_add(channel="C1", timestamp="1.1", name="tada"))["ok"]
    slack_api.fail_with("reactions.add", "already_reacted", times=1)
    with pytest.raises(SlackApiError, match="already_reacted"):
        await client.reactions_add(channel="C1", timestamp="1.1", name="tada")

    no_slash_no_token = AsyncWebClient(base_url=slack_api.url.rstrip("/"))
    with pytest.raises(SlackApiError, match="not_authed"):  # reached /api/auth.test
        await no_slash_no_token.auth_test()
    assert slack_api.calls("users.info")[0].body == {"user": "U0ADMIN"}  # GET query string


async def test_nothing_leaves_loopback(slack_api: FakeSlackAPI) -> None:
    with pytest.raises(ConnectionRefusedError, match="network guard"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    with pytest.raises(AssertionError, match=r"no matching chat\.update"):
        await slack_api.wait_for("chat.update", timeout=0.05)
