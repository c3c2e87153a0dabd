"""Discord across processes by shard (ROUNDS_DISCORD_SHARDS): the setting names
a range of one shard count and the client runs only those shards. Two real
`rounds run` processes run shards 0 and 1 of 2 on one PostgreSQL database,
against the fake Discord in this process, which sends a server's interactions to
its shard and a DM's to shard 0, as Discord does. The server is on shard 1: the
welcome its process DMs a member carries a button, pressed in that DM through
shard 0's process; it works for that member only, and the form it opens is
finished after shard 0's process was killed with SIGKILL and replaced."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from sqlalchemy import select

from adapters.discord.actions import STORED
from adapters.discord.app import make_client as bot_client
from bot.config import ConfigError, load_settings
from bot.content import Content
from bot.interactions import pending_interactions
from bot.shards import Shards, parse_shards
from bot.storage.db import Database
from tests.conftest import _postgres
from tests.fakes.discord_api import (
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    EPHEMERAL,
    FakeDiscord,
    subcommand,
)
from tests.fakes.discord_client import point_discord_at
from tests.security.discord_support import interact, said

ROOT = Path(__file__).resolve().parents[3]
READY = "Discord ready: shards"  # the line `rounds run` logs once its shards are up
START_WITHIN = 60.0  # seconds: a process that is not up by then has failed
ANSWER_WITHIN = 30.0
JSON = dict[str, Any]
PR_SET_PDEATHSIG = 1


def _die_with_the_test_run() -> None:
    """In the child, before it runs: on Linux it is killed if the test run itself is
    (a CI timeout), so no bot is ever left behind connecting to a fake that is gone."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def test_the_setting_names_a_range_of_one_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_shards("0-1/4") == Shards((0, 1), 4)
    assert parse_shards(" 3 / 4 ") == Shards((3,), 4)
    for bad in ("4/4", "2-1/4", "0-1", "a/b", "0/0"):
        with pytest.raises(ValueError):
            parse_shards(bad)
    monkeypatch.setenv("ROUNDS_DISCORD_SHARDS", "0-4/4")
    with pytest.raises(ConfigError, match="ROUNDS_DISCORD_SHARDS"):
        load_settings()
    client = bot_client(Shards((0, 1), 4))
    assert isinstance(client, discord.AutoShardedClient)
    assert (client.shard_ids, client.shard_count) == ([0, 1], 4)
    assert type(bot_client()) is discord.Client


def test_the_fake_sends_a_guild_to_its_shard_and_a_dm_to_shard_0() -> None:
    fake = FakeDiscord(guild_shard=(1, 2))
    fake.shard_count = 2  # as the clients identify
    assert fake.shard_of(fake.guild_id) == 1 and fake.shard_of(None) == 0
    assert (FakeDiscord(guild_shard=(0, 2)).guild_id >> 22) % 2 == 0


@dataclass
class ShardProcess:
    """One `rounds run` process running shard `shard` of 2, its output in `log`."""

    shard: int
    proc: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return f"--- shard {self.shard} (pid {self.proc.pid}) ---\n" + self.log.read_text(
            errors="replace"
        )

    async def ready(self) -> None:
        """Wait for its ready line; fail with its output if it ends or never gets there."""
        async with asyncio.timeout(START_WITHIN):
            while READY not in self.log.read_text(errors="replace"):
                if self.proc.returncode is not None:
                    pytest.fail(f"shard {self.shard}'s process ended\n{self.output()}")
                await asyncio.sleep(0.1)


Start = Callable[[int], Coroutine[Any, Any, ShardProcess]]


@pytest.fixture
async def shard_process(
    tmp_path: Path, pg_url: str, fake_discord: FakeDiscord
) -> AsyncIterator[Start]:
    """Starts the production `rounds run` for one shard of 2 against the fake and
    waits until it is up; every process still running at the end is killed and
    reaped, and the output of each is printed (shown when the test failed)."""
    started: list[ShardProcess] = []

    async def start(shard: int) -> ShardProcess:
        log = tmp_path / f"shard{shard}-{len(started)}.log"
        env = {
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "ROUNDS_DATABASE_URL": pg_url,
            "ROUNDS_DATABASE_POOL": "2",
            "ROUNDS_WEB_PORT": "0",
            "ROUNDS_LOG_LEVEL": "INFO",
            "DISCORD_TOKEN": fake_discord.token,
            "DISCORD_API_BASE": fake_discord.api_base,
            "ROUNDS_DISCORD_SHARDS": f"{shard}/2",
        }
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "adapters.cli", "run"),
                cwd=tmp_path,  # no .env read
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_the_test_run,
            )
        started.append(running := ShardProcess(shard, proc, log))
        await running.ready()
        return running

    try:
        yield start
    finally:
        for p in started:
            if p.proc.returncode is None:
                p.proc.kill()
            await p.proc.wait()
            print(p.output())


async def _pending(url: str, pending_id: str) -> tuple[str, str | None]:
    """The community and owner of a stored button, as the database holds them."""
    db, t = Database(url), pending_interactions
    try:
        async with db.connect() as conn:
            query = select(t.c.community_id, t.c.owner_id).where(t.c.id == pending_id)
            community, owner = (await conn.execute(query)).one()
    finally:
        await db.close()
    return community, owner


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """The fake Discord with the server on shard 1 of 2 (DMs go to shard 0)."""
    async with FakeDiscord(guild_shard=(1, 2)) as fake:
        with point_discord_at(fake):
            yield fake


async def test_a_button_rendered_by_one_shards_process_works_pressed_through_the_other(
    pg_url: str, fake_discord: FakeDiscord, shard_process: Start, content: Content
) -> None:
    await (await _postgres(pg_url)).close()  # an empty database
    fake = fake_discord
    amir, sam = fake.add_user("amir"), fake.add_user("sam")
    procs = list(await asyncio.gather(shard_process(0), shard_process(1)))

    async def ask(payload: JSON) -> JSON:
        """The member's answer, or a failure showing what the processes said."""
        try:
            return await interact(fake, payload, within=ANSWER_WITHIN)
        except (TimeoutError, RuntimeError) as exc:
            logs = "\n".join(p.output() for p in procs)
            pytest.fail(f"no answer to {payload['data']} ({exc!r})\n{logs}")

    identified = sorted(f["d"]["shard"] for f in fake.gateway_frames if f["op"] == 2)
    assert identified == [[0, 2], [1, 2]]

    # In the server (shard 1's process): Amir's first command, and his welcome by DM.
    dm = fake.dm_channel(amir)["id"]
    mark = fake.mark()
    shown = await ask(fake.slash_command("profile", subcommand("show"), user=amir))
    assert shown["type"] == CALLBACK_MESSAGE and "amir" in said(shown).lower(), said(shown)
    posted = await fake.wait_for_call(
        "POST", rf"/channels/{dm}/messages", since=mark, timeout=ANSWER_WITHIN
    )
    button = posted.json["components"][0]["components"][0]  # Set your profile
    assert button["label"] == content.msg("welcome_button_profile")
    assert button["custom_id"].startswith(STORED)  # its action is a row, not in memory
    kept = await _pending(pg_url, button["custom_id"][len(STORED) :])
    assert kept == (f"discord:{fake.guild_id}", amir["id"])  # its community and member
    [welcome] = [m for m in fake.messages.values() if m["channel_id"] == dm]

    # In DMs (shard 0's process): Sam cannot use Amir's button; Amir can.
    refused = await ask(fake.button_press(button["custom_id"], user=sam, in_dm=True))
    assert refused["type"] == CALLBACK_MESSAGE
    assert refused["data"]["content"] == content.msg("button_not_yours")
    assert refused["data"]["flags"] & EPHEMERAL
    pressed = await ask(
        fake.button_press(button["custom_id"], message=welcome, user=amir, in_dm=True)
    )
    assert pressed["type"] == CALLBACK_MODAL, said(pressed)
    assert pressed["data"]["title"] == "Your profile"

    # Shard 0's process dies with the form open; its replacement takes the answers.
    procs[0].proc.kill()
    await procs[0].proc.wait()
    procs[0] = await shard_process(0)
    answers = {"timezone": "Asia/Kolkata", "stage": "ms4", "pack": "ir", "interests": ""}
    saved = await ask(
        fake.modal_submit(pressed["data"]["custom_id"], answers, user=amir, in_dm=True)
    )
    assert saved["type"] == CALLBACK_MESSAGE
    assert saved["data"]["content"] == content.msg("profile_saved", field="profile")

    # Back in the server (shard 1's process), the profile shows it.
    again = await ask(fake.slash_command("profile", subcommand("show"), user=amir))
    assert "Asia/Kolkata" in said(again)
    assert list(fake.routed.values()) == [1, 0, 0, 0, 1]  # server, DMs ×3, server
    assert not fake.unknown_routes
