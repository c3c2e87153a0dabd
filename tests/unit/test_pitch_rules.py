"""The pitch section of a pack: validation of organiser-edited rules, and the
analyser's language and counting behaviour."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content import CONTENT_DIR, Content, ContentError, load_content
from bot.features.pitch.analyser import analyse, count_words, guess_kind, is_english
from bot.features.pitch.rules import PitchRules
from bot.text import neutralise_mentions


@pytest.fixture
def rules(content: Content) -> PitchRules:
    return content.pack("ir").section("pitch", PitchRules)


def _edit(tmp_path: Path, change: object) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "packs" / "ir" / "pitch.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data))
    return root


def test_every_pack_has_a_pitch_section(content: Content) -> None:
    for pack in content.packs.values():
        rules = pack.section("pitch", PitchRules)
        assert {k.id for k in rules.kinds} == {
            "spoken",
            "cold-email",
            "follow-up",
            "update",
            "pre-conference",
        }


def test_a_broken_pattern_names_file_and_key(tmp_path: Path) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["elements"][0]["needs"][0]["patterns"] = ["(unclosed"]

    with pytest.raises(ContentError) as info:
        load_content(_edit(tmp_path, change))
    assert "ir/pitch.yaml: elements.0.needs.0.patterns" in str(info.value)
    assert "not a valid regular expression" in str(info.value)


def test_unknown_placeholder_and_missing_element_are_refused(tmp_path: Path) -> None:
    def placeholder(d: dict) -> None:  # type: ignore[type-arg]
        d["flags"][0]["suggestion"] = "Cut it to {minutes} minutes"

    def missing(d: dict) -> None:  # type: ignore[type-arg]
        d["elements"] = d["elements"][:4]

    with pytest.raises(ContentError, match=r"unknown placeholders \['minutes'\]"):
        load_content(_edit(tmp_path / "a", placeholder))
    with pytest.raises(ContentError, match="elements must list each of"):
        load_content(_edit(tmp_path / "b", missing))


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Quick note: MS4, IR match, Y-90 poster accepted, SIR next week. Coffee Tuesday?", True),
        ("I'm Ana, MS3, São Paulo, Y-90 and TACE research, could we talk?", True),
        (
            "Bonjour, je suis Camille, étudiante en médecine à Lyon, et je voudrais un conseil.",
            False,
        ),
        (
            "Hallo, ich bin Lukas, Medizinstudent in München, und ich interessiere mich für IR.",
            False,
        ),
        (
            "Olá, sou a Ana, estudante de medicina em Lisboa e tenho interesse em radiologia.",
            False,
        ),
        ("Меня зовут Иван, я студент-медик и интересуюсь интервенционной радиологией.", False),
    ],
)
def test_cheap_english_check(rules: PitchRules, text: str, english: bool) -> None:
    assert is_english(text, rules) is english


def test_counting_kinds_and_mentions(rules: PitchRules) -> None:
    assert count_words("🙂 🎉 —") == 0
    assert count_words("I'm an MS3; Y-90 and TACE, 15-20 minutes.") == 8
    assert guess_kind("Subject: MS3 interested in IR\n\nDear Dr. Kim,", rules).id == "cold-email"
    assert guess_kind("Hi, I'm Sam.", rules).id == "spoken"
    pitch = (
        "Hi, I'm Sam Ortiz, an MS3 at Drexel working on a Y-90 project. Could we talk? @everyone"
    )
    plain = analyse(pitch, rules, rules.kind("spoken"))
    safe = analyse(neutralise_mentions(pitch), rules, rules.kind("spoken"))
    assert plain == safe


def test_aspirations_are_not_evidence(rules: PitchRules) -> None:
    kind = rules.kind("spoken")
    hoping = "I'm Sam Ortiz, an MS2 at Drexel. I'm looking for research projects in Y-90."
    doing = "I'm Sam Ortiz, an MS2 at Drexel. I'm running a retrospective project on Y-90."
    assert "evidence" in analyse(hoping, rules, kind).missing
    assert "evidence" not in analyse(doing, rules, kind).missing
