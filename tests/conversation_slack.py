"""The conversation driver for Slack: each line is a correctly signed slash
command to the real Bolt app over HTTP; a form is the modal Slack opens, filled
and submitted as a view_submission; the answer is read back from the ack or
the Web API call that carried it, and checked to be the core Response rendered."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import parse_qsl, urlencode

import yaml

from adapters.slack.app import SlackBot, make_client
from adapters.slack.render import message, slack_command
from bot.commands import split_command_line
from bot.config import Settings
from bot.core import Rounds
from bot.responses import Post, Response
from bot.scheduling.outbox import Deliverer, DeliveryError
from tests.adapters.slack.conftest import fill
from tests.conversation import (
    ROOT,
    Names,
    PlatformConversation,
    Recorder,
    fills,
    form_answers,
    until,
)
from tests.fakes.slack_api import FakeSlackAPI, serve
from tests.fakes.slack_requests import post_signed, slash_command, view_submission

SECRET = "conversation-signing-secret"
CHANNEL = "C0CONSOLE"  # the channel every line is typed in ("console" in the tests)
WAIT = 5.0
_MENTION = re.compile(r"(?<![\w<;])@([A-Za-z0-9._-]+)")
_SPECIAL = ("everyone", "here", "channel")  # Slack's <!here>, not a member


@functools.cache
def _escapes_mentions() -> bool:
    """Whether the manifest asks Slack to turn @name into <@U…|name> (should_escape)."""
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    commands = manifest.get("features", {}).get("slash_commands", [])
    return bool(commands) and all(c.get("should_escape") for c in commands)


def _slack_id(kind: str, name: str) -> str:
    return {"member": "U", "channel": "C"}[kind] + re.sub(r"[^A-Z0-9]", "", name.upper())


def slack_names() -> Names:
    """Slack ids for the tests' names (U… members, C… channels); lines are typed in "console"."""
    names = Names(_slack_id)
    names.add("console", CHANNEL, "channel")
    return names


def team_id(community: str) -> str:
    """The Slack workspace (team) id of a test's community."""
    return "T" + re.sub(r"[^A-Z0-9]", "", community.upper())


class SlackWorld:
    """One Rounds process's Slack app installed in one workspace: the Bolt app
    served on 127.0.0.1, and that workspace's fake Web API."""

    def __init__(
        self, rounds: Rounds, api: FakeSlackAPI, url: str, names: Names, recorder: Recorder
    ) -> None:
        self.rounds, self.api, self.url, self.names = rounds, api, url, names
        self.recorder = recorder
        self.escape = _escapes_mentions()


class Workspaces:
    """A process's Slack deliveries, each through the app installed in the post's
    workspace (the product installs one app per workspace: its token names the team)."""

    def __init__(self) -> None:
        self.apps: dict[str, Deliverer] = {}

    async def deliver(self, post: Post) -> None:
        team = post.to.community_id.split(":", 1)[1]
        if team not in self.apps:
            raise DeliveryError(f"no Slack app installed in {team}", retryable=False)
        await self.apps[team].deliver(post)


class SlackPlatform:
    """Slack for one test: each community a workspace with a fake Web API of its own
    (auth.test names that team, so Bolt maps its requests to it), and each Rounds
    (a process) an app installed in every workspace it talks to."""

    def __init__(self, stack: AsyncExitStack) -> None:
        self.stack = stack
        self.names = slack_names()
        self.fakes: dict[str, FakeSlackAPI] = {}
        self.worlds: dict[tuple[int, str], SlackWorld] = {}
        self.recorders: dict[int, tuple[Recorder, Workspaces]] = {}

    def calls(self) -> int:
        return sum(len(fake.calls()) for fake in self.fakes.values())

    async def conversation(
        self, rounds: Rounds, community: str = "demo", organisers: Iterable[str] = ()
    ) -> SlackConversation:
        team = team_id(community)
        if (id(rounds), team) not in self.worlds:
            self.worlds[id(rounds), team] = await self._install(rounds, team)
        return SlackConversation(self.worlds[id(rounds), team], community, organisers)

    async def _install(self, rounds: Rounds, team: str) -> SlackWorld:
        if team not in self.fakes:
            self.fakes[team] = await self.stack.enter_async_context(FakeSlackAPI(team_id=team))
        api = self.fakes[team]
        if id(rounds) not in self.recorders:
            self.recorders[id(rounds)] = (Recorder(rounds, self.calls), Workspaces())
        recorder, workspaces = self.recorders[id(rounds)]
        settings = Settings(
            SLACK_BOT_TOKEN=f"xoxb-{team}", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api.url
        )
        bot = SlackBot(rounds, make_client(settings), SECRET)
        self.stack.push_async_callback(bot.close)
        workspaces.apps[team] = bot.deliverer
        if not recorder.stand_in:
            rounds.outbox.register("slack", workspaces)
        base = await self.stack.enter_async_context(serve(bot.web_app("/slack/events")))
        return SlackWorld(rounds, api, base + "/slack/events", self.names, recorder)


def _as(body: bytes, name: str) -> bytes:
    """A request body with the member's Slack username set to their name."""
    form = dict(parse_qsl(body.decode()))
    if "payload" in form:
        payload = json.loads(form["payload"])
        payload["user"]["username"] = payload["user"]["name"] = name
        form["payload"] = json.dumps(payload, separators=(",", ":"))
    else:
        form["user_name"] = name
    return urlencode(form).encode()


class SlackConversation(PlatformConversation):
    adapter = "slack"

    def __init__(self, world: SlackWorld, community: str, organisers: Iterable[str] = ()) -> None:
        super().__init__(world.rounds, community, organisers, world)
        self.api = world.api
        self.team = team_id(community)

    @property
    def community_id(self) -> str:
        return f"slack:{self.team}"

    def _typed(self, text: str) -> str:
        """The command text as Slack sends it: &, < and > as entities and, with
        should_escape, @name as <@U…|name> (@here as <!here>)."""
        for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = text.replace(char, entity)
        if not self.world.escape:
            return text

        def mention(m: re.Match[str]) -> str:
            name = m.group(1)
            return f"<!{name}>" if name in _SPECIAL else f"<@{self.id(name)}|{name}>"

        return _MENTION.sub(mention, text)

    async def say(self, member: str, line: str) -> Response:
        user = self.id(member)
        # Slack's profile of the member: admin for organisers, zone UTC (a console
        # member has no zone of their own)
        self.api.set_user(user, is_admin=member in self.organisers, tz="UTC")
        name, rest = split_command_line(line)
        mark, calls, attempts = self._marks()
        body = slash_command(
            slack_command(name),
            self._typed(rest),
            team_id=self.team,
            user_id=user,
            channel_id=CHANNEL,
        )
        reply = await post_signed(self.world.url, _as(body, member), SECRET)
        assert reply.status == 200, reply.text
        ack = reply.json() if reply.text else None
        response = await self._after_posts(await self._response(mark))
        if response.form and not response.error:
            view = await self._opened(calls)
            answers = form_answers(line)
            if fills(answers, [f.key for f in response.form.fields]):
                response = await self._submit(member, view, answers)
        elif ack and "blocks" in ack:
            assert ack["blocks"] == message(response)["blocks"], "the ack is not the response"
        else:
            await self._shown(response, calls)
        await self._also(attempts, response)
        return self.back(response)

    def _marks(self) -> tuple[int, int, int]:
        return len(self.recorder.responses), len(self.api.calls()), self.recorder.attempts

    async def _response(self, mark: int) -> Response:
        await until(lambda: len(self.recorder.responses) > mark, "the core's response")
        return self.recorder.responses[mark]

    async def _opened(self, since: int) -> dict[str, Any]:
        call = await self.api.wait_for(
            "views.open", lambda c: self.api.calls().index(c) >= since, timeout=WAIT
        )
        view = call.body["view"]
        return view if isinstance(view, dict) else dict(json.loads(view))

    async def _submit(self, member: str, view: dict[str, Any], answers: dict[str, str]) -> Response:
        mark, calls, _ = self._marks()
        body = view_submission(
            view["callback_id"],
            fill(view, answers),
            team_id=self.team,
            user_id=self.id(member),
            private_metadata=view["private_metadata"],
        )
        reply = await post_signed(self.world.url, _as(body, member), SECRET)
        assert reply.status == 200, reply.text
        ack = reply.json() if reply.text else None
        response = await self._response(mark)
        if response.error:
            assert ack and ack["response_action"] == "errors", ack
            assert response.text[:2000] in ack["errors"].values()
        elif response.form:
            assert ack and ack["response_action"] == "update", ack
        else:
            response = await self._after_posts(response)
            await self._shown(response, calls)
        return response

    async def _shown(self, response: Response, since: int) -> None:
        """The reply after the ack: an ephemeral message in the channel, or a DM."""
        want = message(response)["blocks"]

        def sent() -> bool:
            for call in self.api.calls()[since:]:
                if call.method in ("chat.postEphemeral", "chat.postMessage"):
                    blocks = call.body.get("blocks")
                    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
                    if blocks == want:
                        return True
            return False

        await until(sent, "the reply on Slack")

    async def _also(self, attempts: int, response: Response) -> None:
        """Wait until the adapter has tried to send the command's other messages."""
        expected = attempts + len(response.also) + (1 if response.dm else 0)
        await until(lambda: self.recorder.attempts >= expected, "the command's other posts")
