"""Content packs load, and a broken pack names the file, the key and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from adapters.cli import main
from bot.content import CONTENT_DIR, ContentError, load_content


def test_shipped_packs_are_valid() -> None:
    content = load_content()
    assert "ir" in content.packs
    for pack in content.packs.values():
        assert pack.cadences.follow_up_after_meeting_days.min >= 1


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_broken_value_names_file_and_key(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "packs" / "ir" / "pack.yaml"
    data = yaml.safe_load(path.read_text())
    data["cadences"]["follow_up_after_meeting_days"] = {"min": 9, "max": 2}
    data["focus_areas"][0]["label"] = "x" * 60
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as info:
        load_content(root)
    text = str(info.value)
    assert f"{path}: cadences.follow_up_after_meeting_days" in text
    assert "larger than max" in text
    assert "focus_areas.0.label" in text


def test_invalid_yaml_gives_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "packs" / "ir" / "pack.yaml").write_text("id: ir\nname: [unclosed\n")
    with pytest.raises(ContentError, match=r"pack.yaml: line \d+ not valid YAML"):
        load_content(root)


def test_check_content_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy(tmp_path)
    assert main(["check-content", str(root)]) == 0
    assert "OK" in capsys.readouterr().out
    (root / "packs" / "ir" / "pack.yaml").write_text("id: other\n")
    assert main(["check-content", str(root)]) == 1
    err = capsys.readouterr().err
    assert "pack.yaml: name: Field required" in err


def test_unknown_section_file_and_duplicate_message(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "packs" / "ir" / "colours.yaml").write_text("a: 1\n")
    (root / "messages" / "extra.yaml").write_text("help_title: again\n")
    with pytest.raises(ContentError) as info:
        load_content(root)
    text = str(info.value)
    assert "colours.yaml: unknown section file" in text
    assert "extra.yaml: help_title: defined in another messages file too" in text


def test_every_pack_stage_has_a_mentoring_year() -> None:
    """Profiles pick stages from pack.yaml; matching needs each one's year."""
    from bot.features.mentoring.content import MentoringSection

    for pack in load_content().packs.values():
        years = {s.id for s in pack.section("mentoring", MentoringSection).stages}
        assert {s.id for s in pack.stages} <= years, pack.id
