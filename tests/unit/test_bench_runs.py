"""The reminders bench stays runnable (a CI-size run, SQLite only); its figures
are printed, not asserted, but duplicates or losses make it fail."""

from __future__ import annotations

import pytest

from bench.reminders import main


async def test_reminders_bench_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        await main(["--count", "600", "--members", "20", "--batch", "100", "--postgres", ""]) == 0
    )
    rows = [[c.strip() for c in line.split("|")] for line in capsys.readouterr().out.splitlines()]
    table = {(r[0], r[1]): r for r in rows if len(r) == 8}
    for path in ("bare loop", "dispatcher"):
        _, _, delivered, _, _, _, duplicates, lost = table[("sqlite", path)]
        assert (delivered, duplicates, lost) == ("600", "0", "0")
