"""How often the automatic check agrees with a human's labels on our corpus.

Each pitch gives eleven yes/no decisions: missing:<element> for the five parts and
flag:<id> for the six flags. We report, per decision, precision and recall of
"yes" (the analyser said missing / flagged), and the overall share of decisions
that agree with the labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content import Content
from bot.features.pitch.analyser import analyse
from bot.features.pitch.inputs import focus_keywords
from bot.features.pitch.rules import ELEMENT_IDS, FLAG_IDS, PitchRules

HERE = Path(__file__).resolve().parent
TUNING = HERE / "corpus_tune.yaml"
HELD_OUT = HERE / "corpus_holdout.yaml"
MORE = HERE / "corpus_more.yaml"  # the cases added for issue 18
LABELS = [f"missing:{e}" for e in ELEMENT_IDS] + [f"flag:{f}" for f in FLAG_IDS]


def load(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Report:
    name: str
    pitches: int = 0
    exact: int = 0
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in LABELS})
    disagreements: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        total = sum(c.tp + c.fp + c.fn + c.tn for c in self.counts.values())
        return sum(c.tp + c.tn for c in self.counts.values()) / total

    def lines(self) -> list[str]:
        def pct(v: float | None) -> str:
            return "  n/a" if v is None else f"{v:5.0%}"

        out = [
            f"{self.name}: {self.pitches} pitches, overall agreement {self.agreement:.1%}, "
            f"all {len(LABELS)} labels right on {self.exact}/{self.pitches}",
            f"  {'label':<24} precision recall  (tp fp fn)",
        ]
        for label, c in self.counts.items():
            out.append(
                f"  {label:<24} {pct(c.precision)}   {pct(c.recall)}  ({c.tp} {c.fp} {c.fn})"
            )
        out += [f"  disagreement: {d}" for d in self.disagreements]
        return out


def evaluate(content: Content, path: Path) -> Report:
    report = Report(path.name)
    for item in load(path):
        pack = content.pack(item["pack"])
        assert pack.id == item["pack"], f"pack {item['pack']} is not loaded"
        rules = pack.section("pitch", PitchRules)
        result = analyse(item["text"], rules, rules.kind(item["kind"]), focus_keywords(pack))
        expected = {f"missing:{e}" for e in ELEMENT_IDS if e not in item["present"]}
        expected |= {f"flag:{f}" for f in item["flags"]}
        got = {f"missing:{e}" for e in result.missing} | {f"flag:{f}" for f in result.flags}
        report.pitches += 1
        report.exact += expected == got
        for label in LABELS:
            c = report.counts[label]
            if label in got and label in expected:
                c.tp += 1
            elif label in got:
                c.fp += 1
                report.disagreements.append(f"{item['id']} said {label} (label: no)")
            elif label in expected:
                c.fn += 1
                report.disagreements.append(f"{item['id']} missed {label}")
            else:
                c.tn += 1
    return report
