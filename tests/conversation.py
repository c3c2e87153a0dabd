"""Conversation tests read like the chat they check: lines sent as members,
responses expected. They drive the console adapter, the cheapest real path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from adapters.console.app import Console
from bot.core import Rounds
from bot.responses import Response

ROOT = Path(__file__).resolve().parents[1]


class Conversation:
    def __init__(
        self, rounds: Rounds, community: str = "demo", organisers: Iterable[str] = ()
    ) -> None:
        self.rounds = rounds
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
