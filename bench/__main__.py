"""Every benchmark, on SQLite and PostgreSQL, in one table per section.

    python -m bench                     # the full run (under 15 minutes on 2 cores)
    python -m bench --quick             # tiny sizes: checks the benches still work
    python -m bench --write             # also rewrite bench/RESULTS.md
    python -m bench --write --sections scale matching   # rewrite only those sections

PostgreSQL comes from --postgres, ROUNDS_BENCH_POSTGRES_URL or
ROUNDS_TEST_POSTGRES_URL (a server and an admin database: each section creates a
fresh database there and drops it). Without one, PostgreSQL rows are skipped.
Each section runs in a process of its own; its peak resident memory is the
process's own (os.wait4). Each section in RESULTS.md carries its own measured-at
line (date, commit, machine, load average), so a partial rewrite keeps the other
sections' text byte for byte. Exits 1 if any delivery was lost or repeated."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import Run, Where, render, splice

HERE = Path(__file__).parent
SECTIONS = ("console", "slack", "fanout", "reminders", "matching", "scale")
ONLY_POSTGRES = {"scale"}  # several processes share one database: SQLite takes one


def run_section(section: str, backend: str, quick: bool, postgres: str) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "bench.sections", section, backend, str(out)]
        cmd += ["--postgres", postgres] + (["--quick"] if quick else [])
        started = datetime.now(UTC)
        load = os.getloadavg()[0]
        proc = subprocess.Popen(cmd, cwd=HERE.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = (datetime.now(UTC) - started).total_seconds()
        if proc.returncode != 0:
            raise SystemExit(f"bench section {section} on {backend} failed ({proc.returncode})")
        rows: list[dict[str, Any]] = json.loads(out.read_text())
    loads = (load, os.getloadavg()[0])
    return Run(section, backend, rows, usage.ru_maxrss / 1024, seconds, started, loads)


def commit() -> str:
    """The checked-out commit, and whether the tracked files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} + uncommitted changes" if dirty else head


def machine(postgres: str) -> str:
    """One line about where the figures come from."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = _pg_version(postgres) if postgres else "not run"
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}"
    )


def _pg_version(url: str) -> str:
    import asyncio

    import asyncpg

    async def ask() -> str:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()

    return asyncio.run(ask()).split()[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    p.add_argument("--write", action="store_true", help="rewrite the sections run in --out")
    p.add_argument(
        "--sections",
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        metavar="NAME",
        help=f"run only these ({', '.join(SECTIONS)}); default: all",
    )
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="the results file")
    p.add_argument(
        "--postgres",
        default=os.environ.get("ROUNDS_BENCH_POSTGRES_URL")
        or os.environ.get("ROUNDS_TEST_POSTGRES_URL", ""),
    )
    args = p.parse_args(argv)
    old = args.out.read_text() if args.write and args.out.exists() else None
    chosen = [s for s in SECTIONS if s in args.sections]
    every = chosen == list(SECTIONS)
    try:
        splice(old, {}, every)  # refuse an old-format file before running anything
    except ValueError as exc:
        raise SystemExit(f"{args.out}: {exc}") from None
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    runs = [
        run_section(section, backend, args.quick, args.postgres)
        for section in chosen
        for backend in backends
        if backend == "postgresql" or section not in ONLY_POSTGRES
    ]
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    where = Where(command.strip(), commit(), machine(args.postgres))
    done, ok = render(runs, where)
    print("\n\n".join(done.values()))
    if args.write:
        args.out.write_text(splice(old, done, every))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
