"""The mentoring section of every pack loads, and a broken one names the file,
the key and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content import CONTENT_DIR, ContentError, load_content
from bot.features.mentoring.content import MentoringSection


def test_every_pack_has_a_valid_mentoring_section() -> None:
    content = load_content()
    for pack in content.packs.values():
        sec = pack.section("mentoring", MentoringSection)
        assert {k.id for k in sec.kinds} >= {"career", "research", "near-peer", "img-process"}
        assert sec.follow_up.meet_check_days == 14
        assert sec.scoring.near_peer_years.min == 2 and sec.scoring.near_peer_years.max == 5


def test_broken_mentoring_section_names_file_and_key(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "packs" / "ir" / "mentoring.yaml"
    data = yaml.safe_load(path.read_text())
    data["scoring"]["weights"]["focus"] = -1
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=f"{path}: scoring.weights.focus: Input should be"):
        load_content(root)
    data["scoring"]["weights"]["focus"] = 3
    data["scoring"]["timezone_full_hours"] = 10
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="timezone_full_hours must be less than"):
        load_content(root)
    data["scoring"]["timezone_full_hours"] = 2
    data["first_questions"].append({"text": "What now?", "kinds": ["astrology"]})
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=r"unknown kinds \['astrology'\]"):
        load_content(root)
