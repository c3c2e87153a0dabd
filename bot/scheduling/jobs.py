"""Scheduling API for features: put an item in the jobs table, cancel it, and
say (with @job_kind) what a due item of a kind turns into."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.responses import Post
from bot.scheduling.tables import jobs

if TYPE_CHECKING:
    from bot.core import Rounds

LIVE = ("pending", "claimed")


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    community_id: str
    member_id: str | None
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    recurrence: dict[str, Any] | None
    timezone: str
    attempts: int
    key: str | None
    sent_count: int
    occurrence: int = 0  # occurrences finished (sent or given up): part of delivery keys

    @classmethod
    def from_row(cls, row: Row[Any]) -> Job:
        return cls(
            row.id,
            row.community_id,
            row.member_id,
            row.kind,
            row.due_at,
            dict(row.payload or {}),
            row.recurrence,
            row.timezone,
            row.attempts,
            row.key,
            row.sent_count,
            getattr(row, "occurrence", 0),
        )

    def delivery_key(self, index: int = 0) -> str:
        """The idempotency key of this job's `index`th post for its current occurrence:
        the same across retries of that occurrence, new for the next one."""
        return f"job:{self.id}:{self.occurrence}:{index}"


JobHandler = Callable[["Rounds", Job, datetime], Awaitable[Sequence[Post]]]
KINDS: dict[str, JobHandler] = {}


def job_kind(name: str) -> Callable[[JobHandler], JobHandler]:
    """Register what a due job of kind `name` sends. The handler gets the core,
    the job and the time of dispatch, and returns the posts to deliver (none
    to skip quietly, e.g. when the thing it was about is gone)."""

    def register(handler: JobHandler) -> JobHandler:
        if name in KINDS:
            raise ValueError(f"job kind {name!r} registered twice")
        KINDS[name] = handler
        return handler

    return register


@dataclass(frozen=True)
class NewJob:
    """One job for `schedule_many`: what `schedule` takes, less the community and the clock."""

    kind: str
    due_at: datetime
    member_id: str | None = None
    payload: dict[str, Any] | None = None
    recurrence: dict[str, Any] | None = None
    timezone: str = "UTC"
    key: str | None = None


# Replaced on a key conflict; a replaced job also loses any claim and starts a new occurrence.
_REPLACED = (
    "member_id",
    "kind",
    "due_at",
    "payload",
    "recurrence",
    "timezone",
    "status",
    "attempts",
)
_UPSERTS: dict[tuple[str, bool], Any] = {}


def _upsert(dialect: str, returning: bool = False) -> Any:
    """The keyed INSERT ... ON CONFLICT DO UPDATE, built once per dialect. A row
    without a key never conflicts (NULLs are distinct), so one statement serves both."""
    stmt = _UPSERTS.get((dialect, returning))
    if stmt is None:
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(jobs)
        stmt = insert.on_conflict_do_update(
            index_elements=["community_id", "key"],
            set_={c: insert.excluded[c] for c in _REPLACED}
            | {"claimed_by": None, "claimed_until": None, "last_error": None, "late": False}
            # a new occurrence, so its posts get keys of their own (bot.scheduling.sent)
            | {"occurrence": jobs.c.occurrence + 1},
        )
        stmt = _UPSERTS[(dialect, returning)] = stmt.returning(jobs.c.id) if returning else stmt
    return stmt


def _row(community_id: str, job: NewJob, now: datetime) -> dict[str, Any]:
    return {
        "community_id": community_id,
        "member_id": job.member_id,
        "kind": job.kind,
        "due_at": job.due_at,
        "payload": job.payload or {},
        "recurrence": job.recurrence,
        "timezone": job.timezone,
        "status": "pending",
        "attempts": 0,
        "key": job.key,
        "sent_count": 0,
        "occurrence": 0,
        "late": False,
        "created_at": now,
    }


async def schedule(
    conn: AsyncConnection,
    *,
    community_id: str,
    kind: str,
    due_at: datetime,
    now: datetime,
    member_id: str | None = None,
    payload: dict[str, Any] | None = None,
    recurrence: dict[str, Any] | None = None,
    timezone: str = "UTC",
    key: str | None = None,
) -> int:
    """Add a job; with `key`, replace the community's existing job of that key
    (whatever its state: a delivered or cancelled one comes back to life). A
    replaced job loses any claim, so a dispatcher still holding the old version
    cannot write its outcome over the new schedule, and starts a new occurrence,
    so its posts are never taken for the old version's, already sent."""
    job = NewJob(kind, due_at, member_id, payload, recurrence, timezone, key)
    result = await conn.execute(_upsert(conn.dialect.name, True), _row(community_id, job, now))
    return int(result.scalar_one())


async def schedule_many(
    conn: AsyncConnection,
    community_id: str,
    items: Iterable[NewJob],
    now: datetime,
    *,
    batch: int = 1000,
) -> int:
    """`schedule` for many jobs of one community: one prebuilt statement run as an
    executemany per `batch` rows, with the same keyed replacement. A key given
    twice keeps its last job, as one-at-a-time scheduling would. Returns how many."""
    given = list(items)
    last = {job.key: i for i, job in enumerate(given) if job.key is not None}
    rows = [
        _row(community_id, job, now)
        for i, job in enumerate(given)
        if job.key is None or last[job.key] == i
    ]
    stmt = _upsert(conn.dialect.name)
    for start in range(0, len(rows), batch):
        await conn.execute(stmt, rows[start : start + batch])
    return len(rows)


async def cancel(
    conn: AsyncConnection,
    community_id: str,
    *,
    ids: Sequence[int] = (),
    keys: Sequence[str] = (),
    key_prefix: str | None = None,
    member_id: str | None = None,
) -> int:
    """Cancel live jobs of this community by id, key or key prefix (optionally
    only a member's own). Returns how many were cancelled."""
    if not (ids or keys or key_prefix):
        return 0
    stmt = update(jobs).where(jobs.c.community_id == community_id, jobs.c.status.in_(LIVE))
    if ids:
        stmt = stmt.where(jobs.c.id.in_(list(ids)))
    if keys:
        stmt = stmt.where(jobs.c.key.in_(list(keys)))
    if key_prefix:
        stmt = stmt.where(jobs.c.key.startswith(key_prefix, autoescape=True))
    if member_id is not None:
        stmt = stmt.where(jobs.c.member_id == member_id)
    result = await conn.execute(stmt.values(status="cancelled", claimed_by=None))
    return int(result.rowcount or 0)
