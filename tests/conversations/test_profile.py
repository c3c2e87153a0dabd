"""/help and /profile as a member would use them through the console."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import Rounds
from tests.conversation import Conversation

ROOT = Path(__file__).resolve().parents[2]


async def test_help_lists_what_a_member_can_run(chat: Conversation) -> None:
    member = await chat.ok("alice", "/help")
    organiser = await chat.ok("olivia", "/help")
    assert "profile" in member.data["help"]["commands"]
    assert "admin" not in member.data["help"]["commands"]
    assert "admin" in organiser.data["help"]["commands"]
    one = await chat.ok("alice", "/help profile")
    assert "/profile set <field> <value>…" in one.data["help"]["usage"]
    await chat.fails("alice", "/help nosuch")


async def test_profile_set_and_show(chat: Conversation) -> None:
    await chat.ok("alice", "/profile set timezone europe/berlin")
    await chat.ok("alice", "/profile set stage MS3")
    await chat.ok("alice", "/profile set interests interventional-oncology, Venous disease")
    shown = (await chat.ok("alice", "/profile")).data["profile"]
    assert shown["timezone"] == "Europe/Berlin"
    assert shown["stage"] == "ms3"
    assert shown["interests"] == ["interventional-oncology", "venous-disease"]
    other = (await chat.ok("bob", "/profile show @alice")).data["profile"]
    assert other["timezone"] == "Europe/Berlin"


async def test_bad_timezone_names_examples_and_changes_nothing(chat: Conversation) -> None:
    await chat.ok("alice", "/profile set timezone America/Chicago")
    bad = await chat.fails("alice", "/profile set timezone Mars/Phobos")
    assert "not a time zone" in bad.text and "America/Chicago" in bad.text
    assert (await chat.ok("alice", "/profile")).data["profile"]["timezone"] == "America/Chicago"
    near = await chat.fails("alice", "/profile set timezone Europe/Berln")
    assert "Did you mean Europe/Berlin" in near.text


async def test_other_bad_profile_input(chat: Conversation) -> None:
    assert "not a training stage" in (await chat.fails("alice", "/profile set stage wizard")).text
    assert "not a focus area" in (await chat.fails("alice", "/profile set interests cooking")).text
    assert "must be one of" in (await chat.fails("alice", "/profile set colour blue")).text
    long = await chat.fails("alice", "/profile set name " + "x" * 400)
    assert "limit is 300" in long.text
    assert (await chat.ok("alice", "/profile")).data["profile"]["stage"] is None


async def test_mentions_in_a_display_name_never_ping(chat: Conversation) -> None:
    await chat.ok("alice", "/profile set name @everyone <@&123>")
    name = (await chat.ok("alice", "/profile")).data["profile"]["name"]
    assert "@everyone" not in name and "<@&" not in name


async def test_profile_form_answered_with_key_values(chat: Conversation) -> None:
    form = await chat.ok("alice", "/profile edit")
    assert form.form is not None and form.form.submit == "profile save"
    await chat.ok("alice", "/profile edit timezone=Asia/Kolkata stage=ms4")
    shown = (await chat.ok("alice", "/profile")).data["profile"]
    assert (shown["timezone"], shown["stage"]) == ("Asia/Kolkata", "ms4")
    await chat.fails("alice", "/profile save timezone=Nowhere/Land")
    assert (await chat.ok("alice", "/profile")).data["profile"]["timezone"] == "Asia/Kolkata"


async def test_admin_is_for_organisers_only(chat: Conversation) -> None:
    refused = await chat.fails("alice", "/admin set timezone Europe/London")
    assert "for organisers" in refused.text
    assert (await chat.ok("olivia", "/admin show")).data["community"]["timezone"] == "UTC"
    await chat.ok("olivia", "/admin set timezone Europe/London")
    assert (await chat.ok("olivia", "/admin show")).data["community"]["timezone"] == "Europe/London"
    await chat.ok("olivia", "/admin organiser add @alice")
    await chat.ok("alice", "/admin show")
    await chat.ok("olivia", "/admin organiser remove @alice")
    await chat.fails("alice", "/admin show")


@pytest.mark.gap(
    "slack",
    reason="every Slack member has a zone of their own (users.info tz, filled into a new "
    "profile), so none follows the community's zone",
)
async def test_a_member_without_a_zone_follows_the_community(chat: Conversation) -> None:
    await chat.ok("olivia", "/admin set timezone Europe/London")
    assert (await chat.ok("bob", "/profile")).data["profile"]["timezone"] == "Europe/London"


async def test_unknown_command(rounds: Rounds) -> None:
    """Console only: Slack and Discord never send a command the app did not register."""
    chat = Conversation(rounds)
    assert "don't know the command" in (await chat.fails("alice", "/dance")).text


def test_console_script_prints_one_json_line_per_command(tmp_path: Path) -> None:
    """The README's example, run as a real process on a fresh SQLite file."""
    env = {"ROUNDS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/r.db", "PATH": "/usr/bin"}
    script = "/help\n/profile set timezone Europe/Berlin\n/profile show\n"
    out = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "console", "--as", "alice", "--json"],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[2]["data"]["profile"]["timezone"] == "Europe/Berlin"


def test_malformed_setting_is_one_clear_line(tmp_path: Path) -> None:
    env = {"ROUNDS_HTTP_PORT": "lots", "PATH": "/usr/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "migrate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "Configuration error: Setting ROUNDS_HTTP_PORT: Input should be a valid integer, "
        "unable to parse string as an integer (got 'lots')"
    ]
