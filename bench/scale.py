"""The scale bench: members pressing Check in within one second, each once,
through the Slack path (signed requests, our production endpoint, the fake Web
API), against 1 and 2 Rounds processes behind a round-robin proxy on one
PostgreSQL database. A member's time is from their press to their modal opening
(views.open), against Slack's 3-second trigger expiry. CPU ms per /checkin is
the Rounds processes' own CPU time over the burst, divided by the presses.

    python -m bench.scale --postgres URL [--members 1000] [--within 1.0]
        [--processes 1 2] [--loops asyncio uvloop]

The URL names a server and an admin database: the bench creates its own scratch
database there and drops it. Prints one table (and the load average)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import time
import uuid
from typing import Any

import aiohttp

from bench.common import members_in_bulk, pct, scratch_url
from bench.latency import ModalClock
from bench.proxy import round_robin
from bench.slack_apps import SECRET, start
from bot.content import load_content
from bot.core import Rounds
from bot.storage.db import Database
from tests.fakes.slack_api import TEAM_ID
from tests.fakes.slack_requests import sign, slash_command

Row = dict[str, Any]
EXPIRY = 3.0  # seconds: Slack's trigger_id lifetime
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def burst(
    url: str, members: int, within: float, processes: int, loop: str, seed: bool = True
) -> Row:
    """One burst against `processes` Rounds processes; returns its row."""
    db = Database(url)
    await db.migrate()
    if seed:
        await members_in_bulk(Rounds(db, load_content()), f"slack:{TEAM_ID}", members)
    await db.close()
    users = [f"U{i:05d}" for i in range(members)]  # bench.common's member ids
    triggers = itertools.count()
    run_id = uuid.uuid4().hex[:8]  # the same body twice would be dropped as a retry
    async with ModalClock() as api, aiohttp.ClientSession() as session:
        procs = [await start("rounds", url, api.url, loop) for _ in range(processes)]
        try:
            async with round_robin([u for _, u in procs]) as request_url:

                async def press(
                    user: str, command: str = "/checkin", to: str = request_url
                ) -> float:
                    trigger = f"scale.{run_id}.{next(triggers)}"  # a new request each time
                    body = slash_command(command, user_id=user, trigger_id=trigger)
                    headers = {
                        **sign(body, SECRET),
                        "Content-Type": "application/x-www-form-urlencoded",
                    }
                    start = time.perf_counter()
                    async with session.post(to, data=body, headers=headers) as resp:
                        await resp.read()
                        assert resp.status == 200, resp.status
                    if command == "/checkin" and not await api.modal(trigger):
                        return float("inf")  # never opened (the fake waits 10 s)
                    return time.perf_counter() - start

                # warm up: every process has met every member (users.info, connections),
                # each asked directly (round-robin would give it every other member only)
                gate = asyncio.Semaphore(20)

                async def warm(user: str, to: str) -> None:
                    async with gate:
                        await press(user, "/help", to)

                await asyncio.gather(*(warm(u, to) for _, to in procs for u in users))
                cpu = [_cpu(p.pid) for p, _ in procs]
                t0 = time.perf_counter()

                async def member(i: int) -> float:
                    await asyncio.sleep(max(0.0, t0 + i * within / members - time.perf_counter()))
                    return await press(users[i])

                times = await asyncio.gather(*(member(i) for i in range(members)))
                wall = time.perf_counter() - t0
                used = sum(_cpu(p.pid) for p, _ in procs) - sum(cpu)
        finally:
            for proc, _ in procs:
                await asyncio.wait_for(proc.communicate(b""), 60)
    late = sum(t > EXPIRY for t in times)
    opened = [t for t in times if t != float("inf")]
    return {
        "processes": processes,
        "loop": loop,
        "members": members,
        "within_s": within,
        "wall_s": wall,
        "modal_p50_ms": pct(times, 50) * 1000,
        "modal_p99_ms": pct(times, 99) * 1000,
        "modal_max_ms": max(opened, default=float("nan")) * 1000,
        "never_opened": len(times) - len(opened),
        "past_3s": late,
        "past_3s_share": late / members,
        "cpu_ms_per_checkin": used * 1000 / members,
        "load": os.getloadavg()[0],
    }


async def run(
    url: str, members: int, within: float, processes: list[int], loops: list[str]
) -> list[Row]:
    rows = []
    for n, (i, loop) in enumerate((i, loop) for loop in loops for i in processes):
        rows.append(await burst(url, members, within, i, loop, seed=n == 0))
    return rows


def table(rows: list[Row]) -> str:
    head = (
        "processes",
        "event loop",
        "members in 1 s",
        "modal p50 ms",
        "modal p99 ms",
        "worst ms",
        "past 3 s (never opened)",
        "CPU ms per /checkin",
        "load avg",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = (
            r["processes"],
            r["loop"],
            f"{r['members']:,}",
            f"{r['modal_p50_ms']:.0f}",
            f"{r['modal_p99_ms']:.0f}",
            f"{r['modal_max_ms']:.0f}",
            f"{r['past_3s']} ({r['past_3s_share']:.1%}; {r['never_opened']} never)",
            f"{r['cpu_ms_per_checkin']:.2f}",
            f"{r['load']:.2f}",
        )
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    p.add_argument("--postgres", default=os.environ.get("ROUNDS_BENCH_POSTGRES_URL", ""))
    p.add_argument("--members", type=int, default=1000)
    p.add_argument("--within", type=float, default=1.0, help="seconds the presses spread over")
    p.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    p.add_argument("--loops", nargs="*", default=["asyncio", "uvloop"])
    args = p.parse_args(argv)
    if not args.postgres:
        print("python -m bench.scale needs --postgres (several processes share PostgreSQL)")
        return 2
    async with scratch_url("postgresql", args.postgres) as url:
        rows = await run(url, args.members, args.within, args.processes, args.loops)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
