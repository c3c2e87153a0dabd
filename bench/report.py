"""Turn the sections' rows into the Markdown of bench/RESULTS.md: one block per
section, each with its own measured-at line, so rewriting some sections keeps the
others byte for byte (see `splice`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.scale import table as burst_table

BEFORE_SCALE = Path(__file__).with_name("before_scale.md")

Row = dict[str, Any]


@dataclass(frozen=True)
class Run:
    section: str
    backend: str
    rows: list[Row]
    peak_mb: float  # the section process's peak resident memory
    seconds: float
    started: datetime | None = None
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after


@dataclass(frozen=True)
class Where:
    """Where and how a run was made: what each section's measured-at line says."""

    command: str
    commit: str  # short id, "+ uncommitted changes" when the tree differs
    machine: str


def table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _ms(v: float) -> str:
    return f"{v:.1f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def _pick(rows: list[Row], **match: Any) -> Row:
    return next(r for r in rows if all(r.get(k) == v for k, v in match.items()))


def console(runs: list[Run]) -> str:
    out = []
    for run in runs:
        for r in (r for r in run.rows if r["app"] == "rounds"):
            base = _pick(
                run.rows, app="one SELECT", command=r["command"], concurrent=r["concurrent"]
            )
            out.append(
                (
                    r["command"],
                    r["concurrent"],
                    run.backend,
                    r["statements"],
                    _ms(r["p50_ms"]),
                    _ms(r["p99_ms"]),
                    _ms(base["p50_ms"]),
                    _ms(base["p99_ms"]),
                    _ratio(r["p99_ms"], base["p99_ms"]),
                )
            )
    head = (
        "command",
        "members at once",
        "database",
        "SQL statements",
        "p50 ms",
        "p99 ms",
        "one SELECT p50",
        "one SELECT p99",
        "p99 vs SELECT",
    )
    return _requests(runs) + table(head, out)


def _requests(runs: list[Run]) -> str:
    """How many requests each row's percentiles come from, by level."""
    per = {r["concurrent"]: r["requests"] for run in runs for r in run.rows if "requests" in r}
    said = ", ".join(f"{n:,} at {level} at once" for level, n in sorted(per.items()))
    return f"Requests per row (each app, each command): {said}.\n\n" if said else ""


def slack(runs: list[Run]) -> str:
    out = []
    for run in runs:
        for r in (r for r in run.rows if r["app"] == "rounds"):
            key = {"command": r["command"], "concurrent": r["concurrent"]}
            bare, sel = (
                _pick(run.rows, app="bare", **key),
                _pick(run.rows, app="bare-select", **key),
            )
            modal = (
                f"{_ms(r['modal_p50_ms'])} / {_ms(r['modal_p99_ms'])}"
                if "modal_p50_ms" in r
                else ""
            )
            out.append(
                (
                    r["command"],
                    r["concurrent"],
                    run.backend,
                    _ms(r["p50_ms"]),
                    _ms(r["p99_ms"]),
                    _ms(bare["p50_ms"]),
                    _ms(bare["p99_ms"]),
                    _ms(sel["p50_ms"]),
                    _ms(sel["p99_ms"]),
                    _ratio(r["p99_ms"], bare["p99_ms"]),
                    _ratio(r["p99_ms"], sel["p99_ms"]),
                    modal,
                )
            )
    head = (
        "command",
        "members at once",
        "database",
        "Rounds p50",
        "Rounds p99",
        "bare p50",
        "bare p99",
        "bare+SELECT p50",
        "bare+SELECT p99",
        "p99 vs bare",
        "p99 vs bare+SELECT",
        "modal opened p50 / p99",
    )
    return _requests(runs) + table(head, out)


def fanout(runs: list[Run]) -> str:
    out = []
    for run in runs:
        for r in run.rows:
            posts = f"{r['posts']:,} of {r['expected']:,}" if "expected" in r else ""
            rate = f"{r['posts'] / r['seconds']:,.0f}/s" if r.get("posts") else ""
            lat = f"{_ms(r['p50_ms'])} / {_ms(r['p99_ms'])}" if "p50_ms" in r else ""
            out.append(
                (
                    r["step"],
                    run.backend,
                    f"{r.get('jobs', ''):,}" if "jobs" in r else "",
                    posts,
                    f"{r['seconds']:.2f}",
                    rate,
                    lat,
                    r["duplicates"],
                )
            )
    head = (
        "step",
        "database",
        "jobs",
        "posts (or check-ins) done",
        "seconds",
        "rate",
        "p50 / p99 ms",
        "sent twice",
    )
    return table(head, out)


def reminders(runs: list[Run]) -> str:
    out = []
    for run in runs:
        for r in run.rows:
            layout = r.get("layout", "strided")
            bare = _pick(run.rows, path="bare loop", layout=layout)
            out.append(
                (
                    run.backend,
                    layout,
                    r["path"],
                    f"{r['delivered']:,}",
                    f"{r['seconds']:.2f}",
                    f"{r['rate']:,.0f}",
                    _ratio(r["seconds"], bare["seconds"]),
                    r["duplicates"],
                    r["lost"],
                )
            )
    head = (
        "database",
        "layout",
        "path",
        "delivered",
        "seconds",
        "per second",
        "time vs bare loop",
        "sent twice",
        "lost",
    )
    return table(head, out)


PREVIEW, PUBLISH = "/mentor round preview", "/mentor round publish"


def matching(runs: list[Run]) -> str:
    solver = next((r for run in runs for r in run.rows if r["step"] == "solver"), None)
    lines = []
    if solver is not None:
        lines += [
            f"Solver: {solver['pairs']:,} pairs, {solver['unmatched']:,} unmatched, "
            f"best of {len(solver['runs'])} {solver['seconds']:.2f} s, "
            f"traced peak {solver['traced_mb']:.0f} MB, process peak {solver['rss_mb']:.0f} MB, "
            f"same result on rerun: {solver['same_on_rerun']}.",
            "",
        ]
    out, side = [], []
    for run in runs:
        steps = {r["step"]: r for r in run.rows if r["step"] != "solver"}
        preview, publish = steps.get(PREVIEW), steps.get(PUBLISH)
        for r in steps.values():
            ratio = _ratio(r["seconds"], preview["seconds"]) if preview else ""
            out.append((r["step"], run.backend, f"{r['seconds']:.2f}", ratio))
        if preview and publish:
            people = f"{publish.get('mentees', 0):,} x {publish.get('mentors', 0):,}"
            side.append(
                (
                    run.backend,
                    people,
                    f"{preview['seconds']:.2f}",
                    f"{publish['seconds']:.2f}",
                    _ratio(publish["seconds"], preview["seconds"]),
                )
            )
    head = ("organiser command", "database", "seconds", "vs preview")
    parts = ["\n".join(lines) + "\n" + table(head, out)]
    if side:
        pair = ("database", "mentees x mentors", "preview s", "publish s", "publish vs preview")
        parts.append(f"The mentor round, publish beside its preview:\n\n{table(pair, side)}")
    return "\n\n".join(parts)


def scale(runs: list[Run]) -> str:
    rows = [r for run in runs for r in run.rows]
    parts = [burst_table(rows) if rows else "Not run (it needs PostgreSQL)."]
    if rows and not any(r["loop"] == "uvloop" for r in rows):
        parts.append("uvloop is not installed here (the fast extra), so only asyncio ran.")
    if BEFORE_SCALE.exists():  # a figure someone recorded by hand, quoted as they wrote it
        parts.append(BEFORE_SCALE.read_text().strip())
    return "\n\n".join(parts)


def memory(runs: list[Run]) -> str:
    """Each backend's section process: peak memory, wall time, and its servers' peaks."""
    out = []
    for run in runs:
        servers = {r["app"]: r["peak_mb"] for r in run.rows if "peak_mb" in r}
        extra = "".join(f", {k} server {v:.0f} MB" for k, v in servers.items())
        out.append(f"{run.backend} {run.peak_mb:.0f} MB in {run.seconds:.0f} s{extra}")
    return "Section process peak memory and wall time: " + "; ".join(out) + "."


def healthy(runs: list[Run]) -> bool:
    """No delivery lost or repeated anywhere."""
    for run in runs:
        for r in run.rows:
            if r.get("duplicates") or r.get("lost"):
                return False
            if "expected" in r and r["posts"] != r["expected"]:
                return False
    return True


SECTIONS = {
    "console": ("Command latency through the console path", console),
    "slack": ("Command latency through the Slack path (request to ack)", slack),
    "fanout": ("A check-in week for 10,000 members in 2,000 groups", fanout),
    "reminders": ("Reminder dispatch: the Dispatcher against a bare loop", reminders),
    "matching": ("Mentor matching", matching),
    "scale": ("Check in within one second: 1 and 2 processes behind a proxy (PostgreSQL)", scale),
}


READING = """How to read these. Every figure comes from one run on one shared machine;
repeat runs move by about ±30%. Baselines run in the same run on the same database:
the console path beside one SELECT of the member's row; the Slack path beside a
bare slack-bolt app with default settings that acks the same command, with and
without that SELECT. Each Slack app runs in its own process, with the signed
requests and the fake Web API in another. "Members at once" is a closed loop: each
member sends a command when their previous one is answered. Rounds acks /checkin
before working (its answer is a modal, so the ack carries nothing); there a
member's turn ends when the modal opens, and the last column gives that time,
the one they notice. The reminder bare loop is one UPDATE ... RETURNING claim per
batch, a no-op send per row and one UPDATE marking the batch; its "community"
layout has due order follow creation order with a few minutes' jitter, as members
make reminders, and "strided" puts rows next in due order 100 ids apart (the
pathological layout earlier runs used)."""


HEADER = f"""# Bench results

Each section says when, at which commit and on what machine it was measured.
`python -m bench --write` rewrites every section; `python -m bench --write
--sections scale matching` rewrites only those named and keeps the others as
they are.

{READING}
"""
BEGIN, END = "<!-- bench section: {} -->", "<!-- end of bench section: {} -->"
BLOCK = re.compile(
    r"^<!-- bench section: (?P<name>[a-z]+) -->\n.*?^<!-- end of bench section: (?P=name) -->$",
    re.MULTILINE | re.DOTALL,
)


def measured(runs: list[Run], where: Where) -> str:
    """The line that says when, where and how the section's figures were made."""
    start = min((r.started for r in runs if r.started), default=None)
    when = f"{start:%Y-%m-%d %H:%M} UTC" if start else "at an unrecorded time"
    load = ", ".join(f"{r.load[0]:.2f} to {r.load[1]:.2f} ({r.backend})" for r in runs)
    return (
        f"Measured {when} at commit {where.commit} by `{where.command}`; "
        f"1-minute load average from start to end {load}; machine: {where.machine}."
    )


def block(name: str, runs: list[Run], where: Where) -> str:
    """One section's part of RESULTS.md, between its markers."""
    title, fn = SECTIONS[name]
    ok = healthy(runs)
    parts = [
        BEGIN.format(name),
        f"## {title}",
        measured(runs, where),
        fn(runs),
        memory(runs),
        "No delivery lost or sent twice." if ok else "DELIVERIES LOST OR REPEATED.",
        END.format(name),
    ]
    return "\n\n".join(parts)


def blocks(text: str) -> dict[str, str]:
    """Each section's block in a RESULTS.md, exactly as it stands."""
    return {m["name"]: m[0] for m in BLOCK.finditer(text)}


def splice(old: str | None, new: dict[str, str], every: bool = False) -> str:
    """RESULTS.md with the `new` blocks in place of (or beside) the old file's; the
    other sections' blocks stay byte for byte. Sections keep SECTIONS' order. An
    old file without markers can only be replaced by a run of `every` section."""
    kept = blocks(old) if old else {}
    if old and not kept and not every:
        raise ValueError(
            "bench/RESULTS.md has no section markers (an older format): "
            "rewrite every section once, without --sections"
        )
    merged = kept | new
    return HEADER + "".join(f"\n{merged[n]}\n" for n in SECTIONS if n in merged)


def render(runs: list[Run], where: Where) -> tuple[dict[str, str], bool]:
    """The blocks of the sections in `runs`, and whether nothing was lost or repeated."""
    done = {
        name: block(name, mine, where)
        for name in SECTIONS
        if (mine := [r for r in runs if r.section == name])
    }
    return done, healthy(runs)
