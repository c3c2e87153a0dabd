"""/mentor export: a round as CSV for organisers (a spreadsheet is where most
programmes keep their records). Cells that a spreadsheet would read as a
formula are quoted with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.commands import Command, OptionSpec
from bot.context import Context
from bot.errors import NotFound
from bot.features.mentoring import plans, rounds, store
from bot.features.mentoring.rounds import pool_of
from bot.features.mentoring.store import MENTOR
from bot.registry import registry
from bot.responses import File, Response

_ = rounds  # /mentor round comes before /mentor export in /help
COLUMNS = (
    "round",
    "pair",
    "mentee",
    "mentee_name",
    "mentor",
    "mentor_name",
    "fit_percent",
    "status",
    "mentee_answer",
    "mentor_answer",
    "met",
    "why",
)
PREVIEW_ROWS = 5


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


async def export(ctx: Context, cmd: Command) -> Response:
    raw = cmd.opt("round")
    async with ctx.db.connect() as conn:
        rnd = await store.get_round(conn, ctx.community_id, int(raw) if raw else None)
        if rnd is None:
            raise NotFound(ctx.msg("mentoring_export_none", id=raw[:20]))
        pairs = await store.round_pairs(conn, ctx.community_id, rnd.id)
        pool = await pool_of(conn, ctx.community_id, rnd)
        forbidden = (
            await store.forbidden_pairs(conn, ctx.community_id)
            if rnd.status != "published"
            else set()
        )
        names = await store.names(
            conn, ctx.community_id, [m for p in pairs for m in (p.mentee_id, p.mentor_id)]
        )
    rows: list[list[object]] = []
    if rnd.status == "published":
        for p in pairs:
            rows.append(
                [
                    rnd.id,
                    p.id,
                    p.mentee_id,
                    names.get(p.mentee_id, ""),
                    p.mentor_id,
                    names.get(p.mentor_id, ""),
                    p.score,
                    p.status,
                    p.mentee_answer or "",
                    p.mentor_answer or "",
                    p.met or "",
                    p.explanation,
                ]
            )
        matched = {p.mentee_id for p in pairs}
        unmatched = sorted(
            s.member_id for s in pool if s.role != MENTOR and s.member_id not in matched
        )
        why = {u["member_id"]: u["why"] for u in rnd.unmatched or []}  # kept at publish
        for mentee in unmatched:
            name = next((s.name for s in pool if s.member_id == mentee), "")
            reason = why.get(mentee, "")
            rows.append([rnd.id, "", mentee, name, "", "", "", "unmatched", "", "", "", reason])
    else:
        plan = await plans.round_plan(
            ctx.db, ctx.rounds.content, ctx.community_id, rnd, pool, forbidden, ctx.now()
        )
        for prop in plan.proposals:
            rows.append(
                [
                    rnd.id,
                    "",
                    prop.mentee.member_id,
                    prop.mentee.name,
                    prop.mentor.member_id,
                    prop.mentor.name,
                    prop.fit,
                    "preview",
                    "",
                    "",
                    "",
                    prop.why,
                ]
            )
        for u in plan.unmatched:
            rows.append(
                [
                    rnd.id,
                    "",
                    u.mentee.member_id,
                    u.mentee.name,
                    "",
                    "",
                    "",
                    "unmatched",
                    "",
                    "",
                    "",
                    u.text,
                ]
            )
    text_csv = to_csv(rows)
    preview = "\n".join(f"`{line}`" for line in text_csv.splitlines()[: PREVIEW_ROWS + 1])
    name = f"mentoring-round-{rnd.id}.csv"
    # The reply carries the file: Discord attaches it to the organiser's private
    # reply, Slack uploads it to their DMs, the console writes it to disk.
    return Response(
        title=ctx.msg("mentoring_export_title", id=rnd.id),
        text=ctx.msg("mentoring_export_text", rows=len(rows), status=rnd.status, name=name)
        + "\n"
        + preview,
        data={"csv": text_csv, "filename": name, "round": rnd.id},
        file=File(name, "text/csv", text_csv.encode()),
    )


registry.sub(
    MENTOR,
    "export",
    "Organisers: a round's pairs as CSV",
    OptionSpec("round", "round number (default: the latest)", kind="int", required=False),
    organiser_only=True,
)(export)
