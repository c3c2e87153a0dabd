"""Turn the sections' rows into the Markdown of bench/RESULTS.md."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.scale import table as burst_table

Row = dict[str, Any]


@dataclass(frozen=True)
class Run:
    section: str
    backend: str
    rows: list[Row]
    peak_mb: float  # the section process's peak resident memory
    seconds: float


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
    return table(head, out)


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
    return table(head, out)


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


def matching(runs: list[Run]) -> str:
    solver = _pick(runs[0].rows, step="solver")
    lines = [
        f"Solver: {solver['pairs']:,} pairs, {solver['unmatched']:,} unmatched, "
        f"best of 3 {solver['seconds']:.2f} s, traced peak {solver['traced_mb']:.0f} MB, "
        f"process peak {solver['rss_mb']:.0f} MB, same result on rerun: {solver['same_on_rerun']}.",
        "",
    ]
    out = []
    for run in runs:
        preview = next((r for r in run.rows if r["step"] == "/mentor round preview"), None)
        for r in run.rows:
            if r["step"] != "solver":
                ratio = _ratio(r["seconds"], preview["seconds"]) if preview else ""
                out.append((r["step"], run.backend, f"{r['seconds']:.2f}", ratio))
    head = ("organiser command", "database", "seconds", "vs preview")
    return "\n".join(lines) + "\n" + table(head, out)


def scale(runs: list[Run]) -> str:
    rows = [r for run in runs for r in run.rows]
    return burst_table(rows) if rows else "Not run (it needs PostgreSQL)."


def memory(runs: list[Run]) -> str:
    out = []
    for run in runs:
        servers = {r["app"]: r["peak_mb"] for r in run.rows if "peak_mb" in r}
        extra = ", ".join(f"{k} server {v:.0f} MB" for k, v in servers.items())
        out.append((run.section, run.backend, f"{run.peak_mb:.0f}", f"{run.seconds:.0f}", extra))
    return table(("section", "database", "peak MB", "wall s", "servers"), out)


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


def render(runs: list[Run], command: str, machine: str, when: datetime) -> tuple[str, bool]:
    parts = [
        "# Bench results",
        "",
        f"Produced by `{command}` on {when:%Y-%m-%d %H:%M} UTC.",
        "",
        f"Machine: {machine}.",
        "",
        READING,
    ]
    for name, (title, fn) in SECTIONS.items():
        mine = [r for r in runs if r.section == name]
        if mine:
            parts += ["", f"## {title}", "", fn(mine)]
    parts += ["", "## Peak memory and wall time per section", "", memory(runs)]
    ok = healthy(runs)
    parts += ["", "No delivery lost or sent twice." if ok else "DELIVERIES LOST OR REPEATED."]
    return "\n".join(parts) + "\n", ok
