"""Conversation tests read like the chat they check: lines sent as members,
responses expected, deliveries after the clock moves. The same conversation runs
through any adapter: the console (the cheapest real path), Slack (signed requests
to the real Bolt app, its Web API a fake on 127.0.0.1) and Discord (the real
discord.py client against a fake gateway and REST).

A platform driver sends each line the way that platform would (a slash command,
a button press, a modal filled and submitted), takes the core Response the
adapter produced, and checks the platform received it rendered (the ack, the
interaction callback, the message posted) before returning it. Member, channel
and community names become platform ids on the way in and names again on the
way out, so one test reads the same on every adapter; `chat.id(name)` is the
platform id when a test looks in the database."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from adapters.console.app import Console
from bot.clock import FakeClock
from bot.core import Rounds
from bot.responses import Post, Response, plain_moments
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.outbox import Deliverer

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = tuple(os.environ.get("ROUNDS_TEST_ADAPTERS", "console,slack,discord").split(","))
_KEYVAL = re.compile(r"(\w[\w-]*)=(\"[^\"]*\"|'[^']*'|\S+)")


class Conversation:
    """The console adapter: `@member line` as typed in `rounds console`."""

    adapter = "console"

    def __init__(
        self, rounds: Rounds, community: str = "demo", organisers: Iterable[str] = ()
    ) -> None:
        self.rounds = rounds
        self.community = community
        self.organisers = set(organisers)
        self.out = io.StringIO()
        self.console = Console(
            rounds,
            member="_nobody",
            community=community,
            organisers=organisers,
            as_json=True,
            out=self.out,
        )
        self.console.organisers.discard("_nobody")

    @property
    def community_id(self) -> str:
        return self.console.community_id

    def id(self, name: str) -> str:
        """The member id the platform gives `name` (the name itself on the console)."""
        return name

    def back(self, obj: Any) -> Any:
        """`obj` with platform ids read back as names (nothing to do on the console)."""
        return obj

    @property
    def platform(self) -> str:
        return self.community_id.split(":", 1)[0]

    def stand_in(self, deliverer: Deliverer) -> None:
        """Deliver through `deliverer` instead of the adapter (a platform that fails)."""
        self.rounds.outbox.register(self.platform, deliverer)

    async def say(self, member: str, line: str) -> Response:
        """Send `line` as `member`; return the final response (forms auto-submitted
        when key=value answers are on the line, as in console scripts)."""
        response = await self.console.line(f"@{member} {line}")
        assert response is not None
        return response

    async def ok(self, member: str, line: str) -> Response:
        response = await self.say(member, line)
        assert not response.error, f"{line!r} failed: {response.text}"
        return response

    async def fails(self, member: str, line: str) -> Response:
        response = await self.say(member, line)
        assert response.error, f"{line!r} should have failed: {response.to_dict()}"
        return response

    async def advance(self, spec: str) -> list[dict[str, Any]]:
        """Move the fake clock (e.g. "3d 2h") and deliver what fell due; returns
        the deliveries made, each {"to": {...}, "key": ..., "message": {...}}."""
        return await self._clock(f":advance {spec}")

    async def at(self, iso: str) -> list[dict[str, Any]]:
        return await self._clock(f":at {iso}")

    async def tick(self) -> list[dict[str, Any]]:
        return await self._clock(":tick")

    async def _clock(self, line: str) -> list[dict[str, Any]]:
        seen = len(self.printed())
        await self.console.line(line)
        return [p["delivery"] for p in self.printed()[seen:] if "delivery" in p]

    def printed(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.getvalue().splitlines() if line]


Talk = Callable[..., Awaitable[Conversation]]
"""`await talk(rounds, community="demo", organisers=())`: a conversation on the
adapter under test (the `talk` fixture)."""


def form_answers(line: str) -> dict[str, str]:
    """The key=value answers typed on a line (console scripts answer forms so)."""
    _, _, rest = line.strip().partition(" ")
    return {k: v.strip("\"'") for k, v in _KEYVAL.findall(rest)}


def fills(answers: dict[str, str], keys: Iterable[str]) -> bool:
    """Whether typed answers fill a form, by the console's rule: some, all its own."""
    return bool(answers) and set(answers) <= set(keys)


def swap_strings(obj: Any, swap: Callable[[str], str]) -> Any:
    """`obj` (a Response, a Post, JSON-like data) with `swap` applied to every string."""
    if isinstance(obj, str):
        return swap(obj)
    if isinstance(obj, bytes):  # a file's content (an export)
        try:
            return swap(obj.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            return obj
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(
            obj, **{f.name: swap_strings(getattr(obj, f.name), swap) for f in fields(obj)}
        )
    if isinstance(obj, dict):
        return {swap_strings(k, swap): swap_strings(v, swap) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(swap_strings(x, swap) for x in obj)
    return obj


async def until(done: Callable[[], bool], what: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until `done()` holds (a platform answers on its own schedule); fail after `timeout`."""
    try:
        async with asyncio.timeout(timeout):
            while not done():  # noqa: ASYNC110 - the fakes record calls; polling them is simplest
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


class Names:
    """Names in tests <-> ids on a platform (members, channels, communities), both ways."""

    def __init__(self, make_id: Callable[[str, str], str]) -> None:
        self.make_id = make_id  # (kind, name) -> a new platform id
        self.ids: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {}

    def id(self, name: str, kind: str = "member") -> str:
        if (kind, name) not in self.ids:
            self.add(name, self.make_id(kind, name), kind)
        return self.ids[kind, name]

    def add(self, name: str, platform_id: str, kind: str = "member") -> None:
        self.ids[kind, name], self.names[platform_id] = platform_id, name

    def back(self, text: str) -> str:
        if not self.names:
            return text
        ids = sorted(self.names, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, ids)) + r")(?![\w])")
        return pattern.sub(lambda m: self.names[m.group(1)], text)


class Recorder:
    """Wraps a Rounds so the driver sees each core Response an adapter got, and each
    post an adapter delivered (with whether the platform received it)."""

    def __init__(self, rounds: Rounds, platform_calls: Callable[[], int]) -> None:
        self.responses: list[Response] = []
        self.posts: list[tuple[Post, bool]] = []
        self.attempts = 0
        self.stand_in = False  # a test's deliverer replaced the adapter's
        for name in ("run_line", "run", "submit_form"):
            inner = getattr(rounds, name)

            async def answered(*args: Any, _inner: Any = inner, **kwargs: Any) -> Response:
                response: Response = await _inner(*args, **kwargs)
                self.responses.append(response)
                return response

            setattr(rounds, name, answered)
        self.replies: dict[int, Response] = {}  # id of a core Response -> the reply shown
        with_posts = rounds.with_posts

        async def shown(reply: Response, member_id: str) -> Response:
            self.replies[id(reply)] = await with_posts(reply, member_id)
            return self.replies[id(reply)]

        rounds.with_posts = shown  # type: ignore[method-assign]
        send, deliver = rounds.outbox.send, rounds.outbox.deliver

        async def sent(post: Post, *args: Any, **options: Any) -> None:
            before = platform_calls()
            await send(post, *args, **options)
            self.posts.append((post, platform_calls() > before))

        async def delivered(*args: Any, **options: Any) -> bool:
            try:
                return await deliver(*args, **options)
            finally:
                self.attempts += 1

        rounds.outbox.send = sent  # type: ignore[method-assign]
        rounds.outbox.deliver = delivered  # type: ignore[method-assign]


class PlatformConversation(Conversation):
    """What Slack and Discord drivers share: names, recording, clock, deliveries."""

    adapter = "platform"

    def __init__(self, rounds: Rounds, community: str, organisers: Iterable[str], world: Any):
        self.rounds = rounds
        self.community = community
        self.organisers = set(organisers)
        self.world = world
        self.recorder: Recorder = world.recorder
        self.names: Names = world.names

    @property
    def community_id(self) -> str:
        raise NotImplementedError

    def id(self, name: str) -> str:
        return self.names.id(name)

    def stand_in(self, deliverer: Deliverer) -> None:
        super().stand_in(deliverer)
        self.recorder.stand_in = True

    def back(self, obj: Any) -> Any:
        return swap_strings(obj, self.names.back)

    async def _after_posts(self, response: Response) -> Response:
        """The reply the adapter shows: the core's once its other posts went out, or
        what replaced it when a post it speaks of could not be delivered."""
        await until(lambda: id(response) in self.recorder.replies, "the reply after its posts")
        shown = self.recorder.replies[id(response)]
        return shown if shown.error and not response.error else response

    async def _clock(self, line: str) -> list[dict[str, Any]]:
        verb, _, arg = line[1:].partition(" ")
        clock = self.rounds.clock
        assert isinstance(clock, FakeClock)
        if verb == "advance":
            from datetime import timedelta

            units = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
            parts = re.findall(r"(\d+)\s*([wdhm])", arg)
            clock.advance(timedelta(**{units[u]: int(n) for n, u in parts}))
        elif verb == "at":
            from datetime import datetime

            clock.set(datetime.fromisoformat(arg.strip()))
        seen = len(self.recorder.posts)
        await Dispatcher(self.rounds, self.rounds.outbox).run_once()
        out = []
        for post, received in self.recorder.posts[seen:]:
            assert received or self.recorder.stand_in, f"the platform never got {post}"
            to = self.back(post.to)
            message = self.back(replace(post.message, text=plain_moments(post.message.text)))
            out.append(
                {
                    "to": {"member": to.member_id, "channel": to.channel_id, "thread": to.thread},
                    "key": self.names.back(post.key) if post.key else None,
                    "message": json.loads(json.dumps(message.to_dict(), default=str)),
                }
            )
        return out

    def printed(self) -> list[dict[str, Any]]:
        raise AssertionError("printed() is the console's output; use the returned responses")


def run_console_script(
    script: Path,
    tmp_path: Path,
    *,
    member: str = "olivia",
    clock: str | None = None,
    raw: bool = False,
) -> Any:
    """Feed a script file to a real `rounds console --json` process on a fresh
    SQLite file; return every JSON line it printed (replies and deliveries), or
    with `raw` all it printed as text."""
    env = {"ROUNDS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/r.db", "PATH": "/usr/bin"}
    args = [sys.executable, "-m", "adapters.cli", "console", "--as", member, "--json"]
    if clock:
        args += ["--clock", clock]
    out = subprocess.run(
        args,
        input=script.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    if raw:
        return out.stdout
    return [json.loads(line) for line in out.stdout.splitlines()]
