"""The public corpus of time phrasings (corpus.yaml): every line must read as
written, both as a whole field and leading a reminder's text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.errors import Worded
from bot.features.reminders.when import Rules, parse, split
from bot.timelang import NeedsChoice

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text(encoding="utf-8"))
KINDS = {
    "relative",
    "hour-only",
    "day parts",
    "weekdays",
    "month names",
    "numeric dates",
    "end of period",
    "repeats",
    "explicit zones",
    "past and nonsense",
}
TEXT = "call Dr Rao at 555 0100"
CASES = [
    pytest.param(s, phrase, expected, id=f"{s['name']}:{phrase}")
    for s in CORPUS["sets"]
    for lines in s["kinds"].values()
    for phrase, expected in lines
]


def _clock(s: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(s["clock"]).replace(tzinfo=ZoneInfo(s["zone"]))


def _shown(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M %Z")


def _outcome(read: Any, tz: str) -> str:
    try:
        when = read()
    except NeedsChoice as exc:
        kind = "choose" if exc.key == "time_ambiguous" else "confirm"
        return kind + " " + " / ".join(_shown(r.at, tz) for r in exc.readings)
    except Worded as exc:
        return "refused " + exc.key.removeprefix("time_").replace("_", " ")
    return _shown(when.due_at, tz) + (f" | {when.every}" if when.every else "")


@pytest.mark.parametrize("s, phrase, expected", CASES)
def test_corpus_phrase_reads_as_written(s: dict[str, Any], phrase: str, expected: str) -> None:
    now, tz = _clock(s), s["zone"]
    assert _outcome(lambda: parse(phrase, now, tz, Rules()), tz) == expected


@pytest.mark.parametrize("s, phrase, expected", CASES)
def test_corpus_phrase_leads_a_reminder_and_no_digit_leaks(
    s: dict[str, Any], phrase: str, expected: str
) -> None:
    now, tz = _clock(s), s["zone"]
    rest: list[str] = []

    def lead() -> Any:
        when, what = split(f"{phrase} {TEXT}", now, tz, Rules())
        rest.append(what)
        return when

    got = _outcome(lead, tz)
    if expected.startswith("refused"):
        assert got.startswith("refused")
        return
    assert got == expected
    assert rest in ([TEXT], [])  # the text is exactly what followed the time


def test_corpus_covers_every_kind_two_zones_and_clock_changes() -> None:
    kinds = {k for s in CORPUS["sets"] for k in s["kinds"]}
    assert kinds >= KINDS
    assert len(CASES) >= 150
    other_zone = [c for c in CASES if c.values[0]["zone"] in ("Asia/Kolkata", "Europe/Berlin")]
    assert len(other_zone) >= 20
    dst = [c for c in CASES if "around a clock change" in c.values[0]["kinds"]]
    assert len(dst) >= 10
