"""The benches stay runnable (CI-size runs, SQLite only); their figures are
printed, not asserted, but duplicates or losses make them fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.reminders import main
from bench.report import Run, Where, blocks, render, splice

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


def _runs(section: str, seconds: float) -> list[Run]:
    """Rows shaped like a section's (the figures are made up: nothing here is measured)."""
    if section == "reminders":
        rows = [
            {"path": path, "layout": "community", "delivered": 10, "seconds": seconds}
            | {"rate": 10 / seconds, "duplicates": 0, "lost": 0}
            for path in ("bare loop", "dispatcher")
        ]
    else:
        rows = [
            {"step": step, "seconds": seconds, "mentees": 50, "mentors": 10}
            for step in ("/mentor round preview", "/mentor round publish")
        ]
    return [Run(section, "sqlite", rows, 100.0, seconds)]


def test_rewriting_one_section_keeps_the_others_byte_for_byte() -> None:
    where = Where("python -m bench --write", "abc1234", "a test machine")
    first, ok = render(_runs("reminders", 1.0) + _runs("matching", 2.0), where)
    assert ok and set(first) == {"reminders", "matching"}
    old = splice(None, first)
    again, _ = render(_runs("reminders", 3.0), Where("python -m bench", "def5678", "another"))
    new = splice(old, again)

    assert blocks(new)["matching"] == blocks(old)["matching"] == first["matching"]
    assert blocks(new)["reminders"] == again["reminders"] != first["reminders"]
    assert "at commit def5678" in again["reminders"] and "abc1234" in first["matching"]
    assert new == old.replace(first["reminders"], again["reminders"])
    # a section new to the file takes its place in the sections' order
    only_matching = splice(None, {"matching": first["matching"]})
    assert splice(only_matching, again) == old.replace(first["reminders"], again["reminders"])
    # a file from before the markers cannot be partly rewritten
    before_markers = "# Bench results\n\n## Mentor matching\n"
    with pytest.raises(ValueError, match="no section markers"):
        splice(before_markers, again)
    assert splice(before_markers, first, every=True) == old


def test_the_bench_runner_smoke_run(tmp_path: Path) -> None:
    """`python -m bench --quick --write` (SQLite, three sections) into a results
    file that holds another section: every section process finishes, each table is
    printed and written, nothing was lost or sent twice, the other section is kept."""
    kept, _ = render(_runs("matching", 2.0), Where("python -m bench", "abc1234", "elsewhere"))
    results = tmp_path / "RESULTS.md"
    results.write_text(splice(None, kept))
    sections = ["slack", "fanout", "reminders"]
    write = ["--write", "--out", str(results), "--sections", *sections]
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--postgres", "", *write],
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
    assert out.count("No delivery lost or sent twice.") == 3
    written = blocks(results.read_text())
    assert list(written) == ["slack", "fanout", "reminders", "matching"]
    assert written["matching"] == kept["matching"]
    for name in sections:
        assert written[name] in out and "Measured " in written[name]
