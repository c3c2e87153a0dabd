"""Buttons and forms whose state does not fit a platform's id (a Discord
custom_id holds 100 characters; a DM carries no server): the action or the
form's progress is kept in the database under an unguessable id, with the
community it belongs to, the member it is for (None: anyone in that community)
and an expiry, so a press works after a restart, in another process and in a
DM, and never for anyone else."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import JSON, Column, String, Table, delete, insert, select, update

from bot.privacy.rules import Free, Rows, declare
from bot.responses import Choice, Form, FormField
from bot.storage.db import Database
from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

Kind = Literal["action", "form", "signin", "session", "invite", "account"]
ID_BYTES = 16  # 128 random bits: never guessed, never reused

pending_interactions = Table(
    "pending_interactions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("community_id", String(80), nullable=False),
    Column("owner_id", String(80), nullable=True),  # None: any member of the community
    Column("kind", String(10), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

declare(
    Rows(pending_interactions, "owner_id", label="pending_buttons_and_forms"),
    Free(
        pending_interactions,
        "payload",
        "a button's command line or a form and the owner's answers so far; rows with an "
        "owner are theirs (exported, erased); rows without one are channel buttons",
    ),
)


@dataclass(frozen=True)
class Pending:
    id: str
    community_id: str
    owner_id: str | None
    kind: str
    payload: dict[str, Any]
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class NewPending:
    community_id: str
    owner_id: str | None
    kind: Kind
    payload: dict[str, Any]


async def keep(
    db: Database, items: Sequence[NewPending], now: datetime, lifetime: timedelta
) -> list[str]:
    """Store the items in one transaction (clearing expired ones); their ids, in order."""
    ids = [secrets.token_urlsafe(ID_BYTES) for _ in items]
    async with db.begin() as conn:
        await conn.execute(
            delete(pending_interactions).where(pending_interactions.c.expires_at < now)
        )
        await conn.execute(
            insert(pending_interactions),
            [
                {
                    "id": i,
                    "community_id": item.community_id,
                    "owner_id": item.owner_id,
                    "kind": item.kind,
                    "payload": item.payload,
                    "expires_at": now + lifetime,
                    "created_at": now,
                }
                for i, item in zip(ids, items, strict=True)
            ],
        )
    return ids


async def find(db: Database, pending_id: str) -> Pending | None:
    t = pending_interactions
    query = select(t.c.community_id, t.c.owner_id, t.c.kind, t.c.payload, t.c.expires_at)
    async with db.connect() as conn:
        row = (await conn.execute(query.where(t.c.id == pending_id[:32]))).first()
    if row is None:
        return None
    return Pending(
        pending_id, row.community_id, row.owner_id, row.kind, dict(row.payload), row.expires_at
    )


async def save(db: Database, pending_id: str, payload: dict[str, Any]) -> None:
    async with db.begin() as conn:
        await conn.execute(
            update(pending_interactions)
            .where(pending_interactions.c.id == pending_id)
            .values(payload=payload)
        )


async def drop(db: Database, pending_id: str) -> None:
    async with db.begin() as conn:
        await conn.execute(
            delete(pending_interactions).where(pending_interactions.c.id == pending_id)
        )


def form_to_json(form: Form) -> dict[str, Any]:
    return asdict(form)


def form_from_json(data: dict[str, Any]) -> Form:
    fields = tuple(
        FormField(
            **{
                **f,
                "choices": tuple(Choice(**c) for c in f.get("choices", ())),
            }
        )
        for f in data["fields"]
    )
    return Form(**{**data, "fields": fields})
