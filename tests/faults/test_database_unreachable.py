"""Start-up against a database that does not answer (a server down, a wrong
port, an SQLite file in a directory that does not exist): after the wait, one
line saying so, naming the database without its password; no traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cli import main


@pytest.fixture(autouse=True)
def _root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    "url, shown",
    [
        (
            "postgresql+asyncpg://rounds:s3cret-pw@127.0.0.1:9/rounds",
            "postgresql+asyncpg://rounds:***@127.0.0.1:9/rounds",
        ),
        ("sqlite+aiosqlite:///{tmp}/no/such/dir/rounds.db", "sqlite+aiosqlite:///{tmp}/no/such"),
    ],
)
@pytest.mark.parametrize("command", ["migrate", "console"])
# aiosqlite's thread for the connection that failed reports to a loop already closed
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_unreachable_database_ends_in_one_clear_line(
    url: str,
    shown: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working directory
    monkeypatch.setenv("ROUNDS_DATABASE_URL", url.format(tmp=tmp_path))
    monkeypatch.setenv("ROUNDS_DATABASE_WAIT", "0")
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "s3cret" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("Database error: cannot reach the database at ")
    assert shown.format(tmp=tmp_path) in lines[-1] and "ROUNDS_DATABASE_URL" in lines[-1]
    assert len([line for line in lines if not line.startswith("No Discord")]) == 1
