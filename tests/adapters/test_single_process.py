"""SQLite takes one bot process: while a console with its scheduler runs on a
file, a second `rounds run` on the same file stops at once with one line; on
another file, or once the first has ended, it starts. Real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, db: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "ROUNDS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/{db}",
        "ROUNDS_WEB_PORT": "0",
    }


def _run(tmp_path: Path, db: str = "r.db") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path, db),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    first = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "console"],
        cwd=tmp_path,
        env=_env(tmp_path, "r.db"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdin is not None and first.stdout is not None
        first.stdin.write("/help\n")
        first.stdin.flush()
        assert "Rounds" in first.stdout.readline()  # it is up and answering
        second = _run(tmp_path)
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            "Another Rounds process is already running on r.db; SQLite takes one process "
            "(stop the other, or use PostgreSQL to run several)."
        ]
        assert _run(tmp_path, "other.db").returncode == 0  # another file is another bot
    finally:
        first.communicate(timeout=60)  # stdin closed: the console ends
    assert first.returncode == 0
    assert _run(tmp_path).returncode == 0  # the file is free again
