"""The automatic check against our own hand-labelled pitches (run with -s to see
the per-label table; bench/pitch_agreement.py prints the same figures).

Thresholds: a pitch gives nine yes/no decisions. On the held-out set we require
at least 90% of decisions to agree with the labels - on average less than one
wrong point in a nine-point private checklist, which a member can still act on
(below that, most pitches would get a wrong point, and members stop trusting it).
On the tuning set, which the content rules were written against, we require 95%,
so that editing the pack's phrases cannot quietly break what already worked."""

from __future__ import annotations

from collections import Counter

from bot.content import Content
from tests.pitch.agreement import HELD_OUT, TUNING, evaluate, load


def test_the_corpus_is_varied_enough() -> None:
    items = load(TUNING) + load(HELD_OUT)
    assert len(items) >= 30
    assert len({i["id"] for i in items}) == len(items)
    packs = Counter(i["pack"] for i in items)
    kinds = Counter(i["kind"] for i in items)
    flags = Counter(f for i in items for f in i["flags"])
    assert set(packs) == {"ir", "urology", "prelim-im"} and min(packs.values()) >= 8
    assert set(kinds) == {"spoken", "cold-email", "follow-up", "update", "pre-conference"}
    assert set(flags) == {"too_long", "too_short", "vague_interest", "defensive"}
    assert sum(1 for i in items if len(i["present"]) == 5 and not i["flags"]) >= 10
    assert len(load(HELD_OUT)) >= 12


def test_agreement_on_the_tuning_set(content: Content) -> None:
    report = evaluate(content, TUNING)
    print("\n" + "\n".join(report.lines()))
    assert report.agreement >= 0.95


def test_agreement_on_held_out_pitches(content: Content) -> None:
    report = evaluate(content, HELD_OUT)
    print("\n" + "\n".join(report.lines()))
    assert report.agreement >= 0.90
    # Every flag the labels raise on held-out pitches is found at least most of the time.
    for label in ("flag:vague_interest", "flag:defensive", "flag:too_short", "flag:too_long"):
        recall = report.counts[label].recall
        assert recall is None or recall >= 0.75, label
