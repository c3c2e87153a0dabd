"""Every pack's checkin section loads, and a broken one names file, key and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.content import CONTENT_DIR, ContentError, load_content
from bot.features.groups.content import CheckinSection


def test_every_shipped_pack_has_a_valid_checkin_section() -> None:
    content = load_content()
    for pack_dir in (CONTENT_DIR / "packs").iterdir():
        assert (pack_dir / "checkin.yaml").is_file(), pack_dir
    for pack in content.packs.values():
        sec = pack.section("checkin", CheckinSection)
        assert sec.status("Not Done") is not None and sec.status("maybe") is None
        assert len(sec.questions.form_title) <= 24


def test_broken_checkin_section_names_the_problem(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "packs" / "ir" / "checkin.yaml"
    data = yaml.safe_load(path.read_text())
    data["timing"]["nudge_hours_before_deadline"] = 80
    data["questions"]["form_title"] = "A much too long title for Slack"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as info:
        load_content(root)
    text = str(info.value)
    assert f"{path}: timing: Value error, nudge_hours_before_deadline (80)" in text
    assert "questions.form_title" in text
    data = yaml.safe_load((CONTENT_DIR / "packs" / "ir" / "checkin.yaml").read_text())
    data["statuses"][1]["aliases"].append("done")
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="status word 'done' names both done and partly"):
        load_content(root)
