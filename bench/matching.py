"""Bench: match 5,000 mentees with 1,000 mentors (capacities 1-5) with the real
solver, and print the seconds and the peak memory.

    python -m bench.matching [--mentees 5000] [--mentors 1000] [--packs 1] [--seed 7]
    python -m bench.matching --round [--database URL]   # the whole round through the core
    python -m bench.matching --round --replan   # publish in another process (its own Rounds)

The pool is random but fixed by the seed. `--packs 1` (the default) puts
everybody in one pack, the hardest case: packs are solved as separate blocks.
Time is the best of three runs without tracing; peak memory is the traced
peak of one more run (tracemalloc sees numpy's buffers) and the process's
maximum resident size. Optimality is checked against an independent method
(a MILP) in tests/unit/test_mentoring_matching.py."""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.clock import FakeClock
from bot.commands import Actor
from bot.content import Content, load_content
from bot.core import Rounds
from bot.features.mentoring.content import MentoringSection
from bot.features.mentoring.matching import Result, match
from bot.features.mentoring.scoring import EXPERIENCED, IMG, NO_IMG, Person
from bot.features.mentoring.tables import mentoring_signups
from bot.storage.db import Database

NOW = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Cairo",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Manila",
)
LANGUAGES = ("english", "spanish", "hindi", "urdu", "arabic", "tagalog", "french")


def pool(
    mentees: int, mentors: int, packs: int, seed: int, sec: MentoringSection, focus: list[str]
) -> tuple[list[Person], list[Person]]:
    """A reproducible pool shaped like a real one: mentees early in training,
    mentors later, a third of people IMGs, most speaking English."""
    rnd = random.Random(seed)
    kinds = [k.id for k in sec.kinds]
    stages = [s.id for s in sec.stages]
    pack_ids = ["ir", "urology", "prelim-im"][:packs]

    def person(i: int, role: str) -> Person:
        is_mentor = role == "mentor"
        stage = rnd.choice(stages[4:] if is_mentor else stages[:6])
        img = rnd.choice((IMG, EXPERIENCED, NO_IMG) if is_mentor else (IMG, NO_IMG, NO_IMG))
        langs = {"english"} | ({rnd.choice(LANGUAGES)} if rnd.random() < 0.4 else set())
        return Person(
            member_id=f"{role}{i:05d}",
            name=f"{role} {i}",
            pack=pack_ids[i % len(pack_ids)],
            kinds=frozenset(rnd.sample(kinds, rnd.randint(1, 3 if is_mentor else 2))),
            focus=frozenset(rnd.sample(focus, rnd.randint(1, min(3, len(focus))))),
            stage=stage,
            img=img,
            timezone=rnd.choice(ZONES),
            languages=frozenset(langs),
            capacity=rnd.randint(1, 5) if is_mentor else 1,
        )

    return (
        [person(i, "mentor") for i in range(mentors)],
        [person(i, "mentee") for i in range(mentees)],
    )


def sample(
    mentees: int, mentors: int, packs: int = 1, seed: int = 7
) -> tuple[Content, dict[str, MentoringSection], list[Person], list[Person]]:
    """The content, each pack's mentoring rules, and the reproducible pool."""
    content = load_content()
    ir = content.packs["ir"]
    sec = ir.section("mentoring", MentoringSection)
    # The shipped packs share one focus-area vocabulary shape; the bench uses ir's for all.
    focus = [f.id for f in ir.focus_areas] + [f"area-{i}" for i in range(8)]
    mentors_, mentees_ = pool(mentees, mentors, packs, seed, sec, focus)
    return content, {p: sec for p in ("ir", "urology", "prelim-im")}, mentors_, mentees_


def solve(
    mentors: list[Person],
    mentees: list[Person],
    sections: dict[str, MentoringSection],
    runs: int = 3,
    seed: int = 7,
) -> dict[str, Any]:
    """Best-of-`runs` seconds, then one traced run for peak memory."""
    times: list[float] = []
    result = Result()
    for _ in range(runs):
        start = time.perf_counter()
        result = match(mentors, mentees, sections, NOW, seed=seed)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    again = match(mentors, mentees, sections, NOW, seed=seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    same = [(p.mentee_id, p.mentor_id) for p in again.pairs] == [
        (p.mentee_id, p.mentor_id) for p in result.pairs
    ]
    return {
        "pairs": len(result.pairs),
        "unmatched": len(result.unmatched),
        "points": result.total_points,
        "same_on_rerun": same,
        "seconds": min(times),
        "runs": times,
        "traced_mb": peak / 1e6,
        "rss_mb": rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.matching")
    ap.add_argument("--mentees", type=int, default=5000)
    ap.add_argument("--mentors", type=int, default=1000)
    ap.add_argument("--packs", type=int, default=1, choices=(1, 2, 3))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--round", action="store_true", help="time close/preview/publish/export")
    ap.add_argument("--database", help="database URL for --round (default: a temporary SQLite)")
    ap.add_argument(
        "--replan",
        action="store_true",
        help="--round: publish in another process (a Rounds of its own on the same database)",
    )
    args = ap.parse_args(argv)

    content, sections, mentors, mentees = sample(args.mentees, args.mentors, args.packs, args.seed)
    slots = sum(p.capacity for p in mentors)
    print(
        f"pool: {len(mentees):,} mentees, {len(mentors):,} mentors, {slots:,} slots "
        f"(capacities 1-5), {args.packs} pack(s), seed {args.seed}"
    )

    if args.round:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            took = asyncio.run(whole_round(url, content, mentors, mentees, args.replan))
            for step, seconds in took.items():
                print(f"{step}: {seconds:.2f} s")
        return 0

    got = solve(mentors, mentees, sections, args.runs, args.seed)
    print(f"matched: {got['pairs']:,} pairs, {got['unmatched']:,} unmatched")
    print(f"total points: {got['points']:,} (same result on rerun: {got['same_on_rerun']})")
    print(f"seconds: best {got['seconds']:.2f}, runs {', '.join(f'{t:.2f}' for t in got['runs'])}")
    print(
        f"peak traced memory: {got['traced_mb']:.0f} MB; max resident set: {got['rss_mb']:.0f} MB"
    )
    return 0


async def whole_round(
    url: str,
    content: Content,
    mentors: list[Person],
    mentees: list[Person],
    replan: bool = False,
) -> dict[str, float]:
    """Sign-ups written straight to the table (the rows store.save_signup writes, in
    one bulk insert), then the organiser's commands: the seconds each took. With
    `replan`, publish runs in another process's stead: a Rounds with its own
    database engine and content, which finds only what the preview stored."""
    db = Database(url)
    await db.migrate()
    rounds = Rounds(db, content, clock=FakeClock(NOW))
    other_db = Database(url) if replan else db
    other = Rounds(other_db, load_content(), clock=FakeClock(NOW)) if replan else rounds
    community = f"console:bench-{int(time.time())}"
    organiser = Actor(community, "olivia", "Olivia", True)
    await rounds.run_line(organiser, "/mentor round open seed=1")
    signups = [
        {
            "community_id": community,
            "member_id": p.member_id,
            "role": role,
            "active": True,
            "created_at": NOW,
            "updated_at": NOW,
            "pack": p.pack,
            "kinds": sorted(p.kinds),
            "focus": sorted(p.focus),
            "stage": p.stage,
            "img": p.img,
            "timezone": p.timezone,
            "languages": sorted(p.languages),
            "capacity": p.capacity,
            "goal": "",
        }
        for role, people in (("mentor", mentors), ("mentee", mentees))
        for p in people
    ]
    async with db.begin() as conn:
        await conn.execute(insert(mentoring_signups), signups)
    took: dict[str, float] = {}
    for line in (
        "/mentor round close",
        "/mentor round preview",
        "/mentor round publish",
        "/mentor export",
    ):
        runner = other if line.endswith("publish") else rounds
        start = time.perf_counter()
        response = await runner.run_line(organiser, line)
        took[line] = time.perf_counter() - start
        assert not response.error, response.text
    await db.close()
    if replan:
        await other_db.close()
    return took


if __name__ == "__main__":
    raise SystemExit(main())
