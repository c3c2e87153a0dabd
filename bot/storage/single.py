"""One process per SQLite file: SQLite has one writer at a time and the
dispatcher's claims assume no other process ticks on the same file, so
`rounds run` (and the console with its scheduler) hold an exclusive lock on a
file beside the database for as long as they run. PostgreSQL takes any number
of processes and needs none."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class AlreadyRunning(Exception):
    """Another process holds this SQLite file."""


def hold_sqlite(url: str) -> IO[bytes] | None:
    """Lock `<database>.lock` for this process's life (the open file is the lock;
    the OS lets go when the process ends, however it ends). None for PostgreSQL or
    an in-memory database; AlreadyRunning when another process holds it."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return None
    path = Path(database).resolve()
    if not path.parent.is_dir():
        return None  # opening the database fails next, with its own clear line
    handle = open(path.with_name(path.name + ".lock"), "ab")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise AlreadyRunning(
            f"Another Rounds process is already running on {path.name}; SQLite takes one "
            "process (stop the other, or use PostgreSQL to run several)."
        ) from None
    return handle
