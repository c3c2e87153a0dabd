"""Deploying from the README: a token set without its extra gets one line naming
the extra (no traceback), `rounds discord invite` prints the URL with the scopes
and the permissions the code uses, compose publishes the configured port and
does not restart a bot that has nothing to connect to, .env.example is complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest
import yaml

from adapters.cli import _discord_invite, main
from adapters.discord.invite import PERMISSIONS
from bot.config import Settings
from tests.fakes.conftest import fake_discord, loopback_only
from tests.fakes.discord_api import FakeDiscord

__all__ = ["fake_discord", "loopback_only"]
ROOT = Path(__file__).resolve().parents[2]
# Run the CLI with some modules impossible to import, as on an install without extras.
HIDDEN = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {hidden!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")
sys.meta_path.insert(0, Hide())
from adapters.cli import main
sys.exit(main({argv!r}))
"""


def _rounds(tmp_path: Path, argv: list[str], hidden: set[str], **env: str) -> tuple[int, str]:
    """`rounds <argv>` in a fresh process, in an empty directory (no .env)."""
    base = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    base["ROUNDS_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/r.db"
    out = subprocess.run(
        [sys.executable, "-c", HIDDEN.format(hidden=hidden, argv=argv)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**base, **env},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return out.returncode, out.stderr


@pytest.mark.parametrize(
    "argv, hidden, env, extra",
    [
        (["run"], {"discord"}, {"DISCORD_TOKEN": "fake.discord.token"}, "discord"),
        (["discord", "sync"], {"discord"}, {"DISCORD_TOKEN": "fake.discord.token"}, "discord"),
        (
            ["run"],
            {"aiohttp", "slack_bolt", "slack_sdk"},
            {"SLACK_BOT_TOKEN": "xoxb-fake", "SLACK_SIGNING_SECRET": "s"},
            "slack",
        ),
        (
            ["migrate"],
            {"asyncpg"},
            {"ROUNDS_DATABASE_URL": "postgresql+asyncpg://rounds@127.0.0.1:1/rounds"},
            "postgres",
        ),
    ],
)
def test_a_missing_extra_is_named_in_one_line(
    tmp_path: Path, argv: list[str], hidden: set[str], env: dict[str, str], extra: str
) -> None:
    code, err = _rounds(tmp_path, argv, hidden, **env)
    assert code == 2 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert f"'{extra}' extra is not installed" in line
    assert f"pip install -e '.[{extra}]'" in line


def test_without_tokens_a_service_says_so_once_and_exits_cleanly(tmp_path: Path) -> None:
    """Under compose (no terminal) a bot with no tokens must not start a console that
    exits at once and is restarted forever."""
    code, err = _rounds(tmp_path, ["run"], set())
    assert code == 0 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert "No DISCORD_TOKEN or SLACK_BOT_TOKEN is set" in line and ".env.example" in line


def _invite(url: str) -> tuple[str, set[str], discord.Permissions]:
    query = parse_qs(urlparse(url).query)
    (client_id,) = query["client_id"]
    (scopes,) = query["scope"]
    (value,) = query["permissions"]
    return client_id, set(scopes.split()), discord.Permissions(int(value))


def test_invite_url_has_the_scopes_and_the_permissions_in_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["discord", "invite", "--client-id", "123456789012345678"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://discord.com/oauth2/authorize?")
    client_id, scopes, perms = _invite(url)
    assert client_id == "123456789012345678" and scopes == {"bot", "applications.commands"}
    assert perms == PERMISSIONS
    granted = {name for name, on in perms if on}
    assert granted == {
        "read_messages",  # discord.py names view_channel so
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "embed_links",
        "attach_files",
        "read_message_history",
        "use_application_commands",
    }
    assert not (perms.administrator or perms.mention_everyone or perms.manage_guild)


async def test_invite_asks_discord_for_the_application_id(
    fake_discord: FakeDiscord, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(DISCORD_TOKEN=fake_discord.token, DISCORD_API_BASE=fake_discord.api_base)
    assert await _discord_invite(settings, None) == 0
    client_id, _, perms = _invite(capsys.readouterr().out.strip())
    assert client_id == str(fake_discord.application_id) and perms == PERMISSIONS


def test_compose_publishes_the_configured_port_and_stops_on_a_clean_exit() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["environment"]["ROUNDS_HTTP_PORT"] == "3000"  # inside, whatever .env says
    assert bot["environment"]["ROUNDS_WEB_PORT"] == "8080"
    assert bot["ports"] == ["${ROUNDS_HTTP_PORT:-3000}:3000", "${ROUNDS_WEB_PORT:-8080}:8080"]
    assert bot["restart"] == "on-failure"


def test_env_example_names_every_setting() -> None:
    names = {field.alias for field in Settings.model_fields.values()}
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert all(name in text for name in names), names - {n for n in names if n in text}
