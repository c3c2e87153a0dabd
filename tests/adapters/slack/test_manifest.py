"""The committed manifest lists every core command, as the registry says."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.manifest import render
from adapters.slack.render import slack_command
from bot.registry import registry

ROOT = Path(__file__).resolve().parents[3]


def test_committed_manifest_matches_the_registry() -> None:
    committed = (ROOT / "slack" / "manifest.yml").read_text()
    assert committed == render(), "run: python -m adapters.slack.manifest > slack/manifest.yml"
    names = {c["command"] for c in yaml.safe_load(committed)["features"]["slash_commands"]}
    assert names == {slack_command(n) for n in registry.commands}
    assert "/rounds-remind" in names and "/remind" not in names  # Slack keeps /remind
