"""The scale bench: members pressing Check in within one second, each once,
through the Slack path (signed requests, our production endpoint, the fake Web
API), against 1 and 2 Rounds processes behind a round-robin proxy on one
PostgreSQL database. A member's time is from their press to their modal opening
(views.open), against Slack's 3-second trigger expiry. CPU ms per /checkin is
the Rounds processes' own CPU time over the burst, divided by the presses.

    python -m bench.scale --postgres URL [--members 1000] [--within 1.0]
        [--processes 1 2] [--loops asyncio uvloop] [--bursts 3]

Each row is several bursts, each on freshly started processes: the median CPU
with its range, and the worst burst's latency. The URL names a server and an
admin database: the bench creates its own scratch database there and drops it.
Prints one table (and the load average)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
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
BURSTS = 3  # per row: one burst's CPU figure moves by about 15 % on a shared machine
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
    url: str,
    members: int,
    within: float,
    processes: list[int],
    loops: list[str],
    bursts: int = BURSTS,
) -> list[Row]:
    """One row per (processes, loop), each of `bursts` bursts on fresh processes."""
    rows = []
    for n, (i, loop) in enumerate((i, loop) for loop in loops for i in processes):
        runs = [await burst(url, members, within, i, loop, seed=n == k == 0) for k in range(bursts)]
        rows.append(summary(runs))
    return rows


def summary(runs: list[Row]) -> Row:
    """Several bursts as one row: the median CPU (and its range) and median p50;
    the worst burst's p99 and worst time; every burst's late modals counted."""
    cpu = [r["cpu_ms_per_checkin"] for r in runs]
    late = sum(r["past_3s"] for r in runs)
    return runs[0] | {
        "bursts": len(runs),
        "modal_p50_ms": statistics.median(r["modal_p50_ms"] for r in runs),
        "modal_p99_ms": max(r["modal_p99_ms"] for r in runs),
        "modal_max_ms": max(r["modal_max_ms"] for r in runs),
        "never_opened": sum(r["never_opened"] for r in runs),
        "past_3s": late,
        "past_3s_share": late / sum(r["members"] for r in runs),
        "cpu_ms_per_checkin": statistics.median(cpu),
        "cpu_min": min(cpu),
        "cpu_max": max(cpu),
        "load": max(r["load"] for r in runs),
    }


def table(rows: list[Row]) -> str:
    head = (
        "processes",
        "event loop",
        "members in 1 s",
        "bursts",
        "modal p50 ms (median)",
        "modal p99 ms (worst burst)",
        "worst ms",
        "past 3 s, all bursts (never opened)",
        "CPU ms per /checkin: median (range)",
        "load avg (highest)",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = (
            r["processes"],
            r["loop"],
            f"{r['members']:,}",
            r["bursts"],
            f"{r['modal_p50_ms']:.0f}",
            f"{r['modal_p99_ms']:.0f}",
            f"{r['modal_max_ms']:.0f}",
            f"{r['past_3s']} ({r['past_3s_share']:.1%}; {r['never_opened']} never)",
            f"{r['cpu_ms_per_checkin']:.2f} ({r['cpu_min']:.2f}-{r['cpu_max']:.2f})",
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
    p.add_argument("--bursts", type=int, default=BURSTS, help="bursts per row")
    args = p.parse_args(argv)
    if not args.postgres:
        print("python -m bench.scale needs --postgres (several processes share PostgreSQL)")
        return 2
    async with scratch_url("postgresql", args.postgres) as url:
        rows = await run(url, args.members, args.within, args.processes, args.loops, args.bursts)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
