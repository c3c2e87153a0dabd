"""/privacy: a member's own data in this community, exported as a JSON file sent
to their direct messages, or erased.

Deleting asks first: the reply carries a "Delete my data" button that runs a
hidden `/privacy confirm-delete <token>`. The token is derived from the presser's
community, member id, the moment their profile was created and when it was
issued, and on how many rows of each kind they hold, so a button pressed by
anyone else, after a day, after the data was already erased (the profile is new
then) or after more was stored than the question listed, changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import UserError
from bot.privacy.store import erase_member, export_member
from bot.registry import registry
from bot.responses import Button, File, Post, Response, Target
from bot.storage.tables import members

EXPORT_NAME = "rounds-data.json"
TOKEN_LIFETIME = timedelta(days=1)

registry.command("privacy", "Your data here: export it, or delete it", default="export")


def _summary(ctx: Context, counts: dict[str, int]) -> str:
    if not counts:
        return ctx.msg("privacy_export_empty")
    return ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items())


def _counts(export: dict[str, Any]) -> dict[str, int]:
    return {name: len(rows) for name, rows in export["tables"].items()}


async def _created_at(conn: AsyncConnection, ctx: Context) -> datetime | None:
    row = (
        await conn.execute(
            select(members.c.created_at).where(
                members.c.community_id == ctx.community_id, members.c.member_id == ctx.member_id
            )
        )
    ).first()
    return row.created_at if row else None


def _digest(ctx: Context, created_at: datetime, counts: dict[str, int], issued: int) -> str:
    held = json.dumps(counts, sort_keys=True)
    parts = (ctx.community_id, ctx.member_id, created_at.isoformat(), held, str(issued))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def make_token(ctx: Context, created_at: datetime, counts: dict[str, int], now: datetime) -> str:
    issued = int(now.timestamp() // 60)
    return f"{issued:x}-{_digest(ctx, created_at, counts, issued)}"


def token_ok(
    ctx: Context, token: str, created_at: datetime, counts: dict[str, int], now: datetime
) -> bool:
    head, _, digest = token.partition("-")
    try:
        issued = int(head, 16)
    except ValueError:
        return False
    age = timedelta(minutes=now.timestamp() // 60 - issued)
    if not timedelta(0) <= age <= TOKEN_LIFETIME:
        return False
    return digest == _digest(ctx, created_at, counts, issued)


@registry.sub("privacy", "export", "Send yourself everything Rounds stores about you here")
async def export(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        data = await export_member(conn, ctx.community_id, ctx.member_id)
    data["exported_at"] = ctx.now().isoformat()
    summary = _summary(ctx, _counts(data))
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()
    dm = Response(
        title=ctx.msg("privacy_export_title"),
        text=ctx.msg(
            "privacy_export_file",
            name=EXPORT_NAME,
            size=len(body),
            summary=summary,
            days=ctx.rounds.retention_days,
        ),
        data={"export": data, "filename": EXPORT_NAME},
        file=File(EXPORT_NAME, "application/json", body),
    )
    stamp = int(ctx.now().timestamp())
    post = Post(
        Target(ctx.community_id, member_id=ctx.member_id),
        dm,
        key=f"privacy:export:{stamp}:{ctx.member_id}",
    )
    return Response(
        text=ctx.msg("privacy_export_sent", name=EXPORT_NAME, summary=summary),
        data={"export": data},
        also=(post,),
    )


@registry.sub("privacy", "delete", "Erase everything Rounds stores about you here (asks first)")
async def delete(ctx: Context, cmd: Command) -> Response:
    async with ctx.db.connect() as conn:
        data = await export_member(conn, ctx.community_id, ctx.member_id)
        created_at = await _created_at(conn, ctx)
    if created_at is None:  # the core has just created the profile; cannot happen
        raise UserError(ctx.msg("privacy_token_bad"))
    counts = _counts(data)
    token = make_token(ctx, created_at, counts, ctx.now())
    return Response(
        title=ctx.msg("privacy_delete_title"),
        text=ctx.msg("privacy_delete_ask", summary=_summary(ctx, counts)),
        buttons=(
            Button(ctx.msg("privacy_delete_button"), f"privacy confirm-delete {token}", "danger"),
        ),
        data={"confirm": {"token": token, "will_erase": counts}},
    )


@registry.sub(
    "privacy",
    "confirm-delete",
    "Erase your data (the button of /privacy delete)",
    OptionSpec("token", "the confirmation token", max_length=80),
    hidden=True,
)
async def confirm_delete(ctx: Context, cmd: Command) -> Response:
    now = ctx.now()
    async with ctx.db.begin() as conn:
        created_at = await _created_at(conn, ctx)
        held = _counts(await export_member(conn, ctx.community_id, ctx.member_id))
        if created_at is None or not token_ok(ctx, cmd.opt("token"), created_at, held, now):
            raise UserError(ctx.msg("privacy_token_bad"))
        counts = await erase_member(conn, ctx.community_id, ctx.member_id, now)
    return Response(
        text=ctx.msg("privacy_deleted", summary=_summary(ctx, counts)), data={"erased": counts}
    )
