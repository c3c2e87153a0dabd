"""The dispatcher's statements, built once per dispatcher: the claims, the marks
of outcomes, the release of jobs handed back and the lease renewal. Built once,
each is compiled and given its cache key once instead of once per batch; what
changes from one batch to the next (times, ids) goes in bound parameters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Text,
    Update,
    any_,
    bindparam,
    cast,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from bot.scheduling.jobs import Job
from bot.scheduling.tables import jobs
from bot.storage.types import UTCDateTime

# Job's fields in order. The JSON columns come as text and are decoded here: the
# payload with one call rather than through the driver's and the type's layers,
# the recurrence only when there is one (a one-off's JSON null needs no parser).
CLAIMED = (
    jobs.c.id,
    jobs.c.community_id,
    jobs.c.member_id,
    jobs.c.kind,
    jobs.c.due_at,
    cast(jobs.c.payload, Text).label("payload"),
    cast(jobs.c.recurrence, Text).label("recurrence"),
    jobs.c.timezone,
    jobs.c.attempts,
    jobs.c.key,
    jobs.c.sent_count,
    jobs.c.occurrence,
)
assert [c.name for c in CLAIMED] == [f.name for f in fields(Job)], "claim columns = Job fields"


def job(row: Sequence[Any]) -> Job:
    """A claimed row (CLAIMED's columns) as a Job."""
    id_, community, member, kind, due, data, rec, tz, attempts, key, sent, occurrence = row
    recurrence = None if rec is None or rec == "null" else _decode(rec)
    return Job(
        id_,
        community,
        member,
        kind,
        due,
        _decode(data),
        recurrence,
        tz,
        attempts,
        key,
        sent,
        occurrence,
    )


_decode = json.JSONDecoder().decode


def _time(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


class Statements:
    """One dispatcher's statements. Parameters: claims `now` and `until`;
    `delivered` `ids`, `now` and `late_before`; `released` `ids`; `renew`
    `until`; `mark` one dict per job (see MARK)."""

    def __init__(self, dialect: str, worker: str, batch: int) -> None:
        mine = jobs.c.claimed_by == worker
        if dialect == "postgresql":  # one array parameter however many ids
            among: ColumnElement[bool] = jobs.c.id == any_(
                bindparam("ids", type_=ARRAY(BigInteger()))
            )
        else:
            among = jobs.c.id.in_(bindparam("ids", expanding=True))
        # Two index-friendly claim shapes rather than one OR, which would make each
        # batch sort every due row (ix_jobs_status_due serves both).
        self.claim_pending = _claim(
            (jobs.c.status == "pending") & (jobs.c.due_at <= _time("now")), dialect, worker, batch
        )
        self.claim_expired = _claim(
            (jobs.c.status == "claimed") & (jobs.c.claimed_until < _time("now")),
            dialect,
            worker,
            batch,
        )
        self.delivered = (
            update(jobs)
            .where(among, mine)
            .values(
                status="delivered",
                attempts=0,
                sent_count=jobs.c.sent_count + 1,
                occurrence=jobs.c.occurrence + 1,
                last_error=None,
                last_sent_at=_time("now"),
                late=jobs.c.due_at < _time("late_before"),
                claimed_by=None,
                claimed_until=None,
            )
        )
        self.released = (
            update(jobs)
            .where(among, mine)
            .values(
                status="pending",
                attempts=jobs.c.attempts - 1,
                claimed_by=None,
                claimed_until=None,
            )
        )
        self.renew = (
            update(jobs)
            .where(jobs.c.status == "claimed", mine)
            .values(claimed_until=_time("until"))
        )
        self.mark = MARK


def _claim(due: ColumnElement[bool], dialect: str, worker: str, batch: int) -> Update:
    pick = select(jobs.c.id).where(due).order_by(jobs.c.due_at).limit(batch)
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    return (
        update(jobs)
        .where(jobs.c.id.in_(pick.scalar_subquery()))
        .values(
            status="claimed",
            claimed_by=worker,
            claimed_until=_time("until"),
            attempts=jobs.c.attempts + 1,
        )
        .returning(*CLAIMED)
    )


# Any other outcome: a row of its own (an executemany), only while still claimed by `me`.
MARK = (
    update(jobs)
    .where(jobs.c.id == bindparam("jid"), jobs.c.claimed_by == bindparam("me"))
    .values(
        status=bindparam("st"),
        due_at=bindparam("due"),
        attempts=bindparam("att"),
        sent_count=bindparam("sent"),
        occurrence=bindparam("occ"),
        last_error=bindparam("err"),
        last_sent_at=func.coalesce(bindparam("lsa", type_=UTCDateTime()), jobs.c.last_sent_at),
        late=bindparam("late"),
        claimed_by=None,
        claimed_until=None,
    )
)
