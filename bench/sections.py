"""One bench section on one backend, in a process of its own so its peak memory
is its own; `python -m bench` runs them all. Writes its rows as JSON.

    python -m bench.sections SECTION sqlite|postgresql OUT.json [--quick] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from bench import fanout, latency, matching, reminders, scale
from bench.common import scratch_url
from bot.scheduling.dispatcher import Policy

Row = dict[str, Any]


@dataclass(frozen=True)
class Size:
    calls: int  # requests per command and concurrency level
    alone: int  # requests per command at one member at a time (a small spread)
    levels: tuple[int, ...]
    people: int  # distinct members sending commands
    members: int  # the check-in week's population
    reminders: int
    mentees: int
    mentors: int
    burst: int  # members pressing Check in within one second (the scale section)
    bursts: int  # bursts per scale row


FULL = Size(
    calls=600,
    alone=200,
    levels=(1, 50, 200),
    people=200,
    members=10_000,
    reminders=100_000,
    mentees=5000,
    mentors=1000,
    burst=1000,
    bursts=3,
)
QUICK = Size(
    calls=12,
    alone=12,
    levels=(1, 4),
    people=6,
    members=50,
    reminders=300,
    mentees=200,
    mentors=40,
    burst=20,
    bursts=1,
)


async def _console(url: str, size: Size) -> list[Row]:
    return await latency.console(url, size.calls, size.levels, size.people, size.alone)


async def _slack(url: str, size: Size) -> list[Row]:
    return await latency.slack(url, size.calls, size.levels, size.people, size.alone)


async def _fanout(url: str, size: Size) -> list[Row]:
    return await fanout.week(url, size.members)


async def _reminders(url: str, size: Size) -> list[Row]:
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    results, scheduled = await reminders.bench_backend(
        backend, url, size.reminders, max(10, size.reminders // 100), Policy(), repeat=1
    )
    return [asdict(r) | {"rate": r.rate, "scheduled_s": scheduled} for r in results]


async def _matching(url: str, size: Size) -> list[Row]:
    content, sections, mentors, mentees = matching.sample(size.mentees, size.mentors)
    # The solver touches no database: it runs once, beside SQLite's round.
    solved = (
        []
        if url.startswith("postgresql")
        else [{"step": "solver", **matching.solve(mentors, mentees, sections)}]
    )
    steps = await matching.whole_round(url, content, mentors, mentees)
    people = {"mentees": size.mentees, "mentors": size.mentors}
    return solved + [{"step": step, "seconds": took, **people} for step, took in steps.items()]


def loops() -> list[str]:
    """asyncio's own loop, and uvloop when it is installed (the fast extra)."""
    return ["asyncio"] + (["uvloop"] if importlib.util.find_spec("uvloop") else [])


async def _scale(url: str, size: Size) -> list[Row]:
    if not url.startswith("postgresql"):
        return []  # SQLite takes one process
    return await scale.run(url, size.burst, 1.0, [1, 2], loops(), size.bursts)


SECTIONS: dict[str, Callable[[str, Size], Awaitable[list[Row]]]] = {
    "console": _console,
    "slack": _slack,
    "fanout": _fanout,
    "reminders": _reminders,
    "matching": _matching,
    "scale": _scale,
}


async def run(section: str, backend: str, quick: bool, postgres: str) -> list[Row]:
    async with scratch_url(backend, postgres) as url:
        return await SECTIONS[section](url, QUICK if quick else FULL)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.sections")
    p.add_argument("section", choices=SECTIONS)
    p.add_argument("backend", choices=("sqlite", "postgresql"))
    p.add_argument("out")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--postgres", default="")
    args = p.parse_args(argv)
    rows = asyncio.run(run(args.section, args.backend, args.quick, args.postgres))
    with open(args.out, "w") as f:
        json.dump(rows, f)


if __name__ == "__main__":
    main()
