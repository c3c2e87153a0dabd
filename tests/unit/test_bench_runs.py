"""The benches stay runnable (CI-size runs, SQLite only); their figures are
printed, not asserted, but duplicates or losses make them fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.reminders import main

ROOT = Path(__file__).resolve().parents[2]


async def test_reminders_bench_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        await main(["--count", "600", "--members", "20", "--batch", "100", "--postgres", ""]) == 0
    )
    rows = [[c.strip() for c in line.split("|")] for line in capsys.readouterr().out.splitlines()]
    table = {(r[0], r[1], r[2]): r for r in rows if len(r) == 9}
    for layout in ("community", "strided"):
        for path in ("bare loop", "dispatcher"):
            _, _, _, delivered, _, _, _, duplicates, lost = table[("sqlite", layout, path)]
            assert (delivered, duplicates, lost) == ("600", "0", "0")


def test_the_bench_runner_smoke_run(tmp_path: Path) -> None:
    """`python -m bench --quick` (SQLite, three sections): every section process
    finishes, each table is printed, and nothing was lost or sent twice."""
    sections = ["slack", "fanout", "reminders"]
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--postgres", "", "--only", *sections],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for title in ("Slack path", "10,000 members", "Dispatcher against a bare loop"):
        assert title in out, out
    slack_rows = [line for line in out.splitlines() if line.startswith("| /")]
    assert {row.split("|")[1].strip() for row in slack_rows} == {"/help", "/profile", "/checkin"}
    assert "| prompts | sqlite | 10 | 50 of 50 |" in out
    assert out.rstrip().endswith("No delivery lost or sent twice.")
