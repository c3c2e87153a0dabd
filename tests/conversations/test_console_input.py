"""The console as a newcomer meets it: multi-line blocks, words that are not
commands, and the ways to leave."""

from __future__ import annotations

from pathlib import Path

from adapters.console.blocks import Blocks
from tests.conversation import run_console_script
from tests.long_text import COLD_EMAIL


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "script.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_six_line_cold_email_is_checked_as_a_block(tmp_path: Path) -> None:
    script = f'/pitch-review check """\n{COLD_EMAIL}\n"""\n'
    (reply,) = run_console_script(_script(tmp_path, script), tmp_path)
    assert reply["title"].startswith("Email check")
    assert reply["data"]["pitch"]["words"] == len(COLD_EMAIL.split())


def test_a_backslash_continues_the_line(tmp_path: Path) -> None:
    lines = COLD_EMAIL.splitlines()
    script = "/pitch-review check cold-email \\\n" + " \\\n".join(lines) + "\n"
    (reply,) = run_console_script(_script(tmp_path, script), tmp_path)
    assert reply["data"]["pitch"]["words"] == len(COLD_EMAIL.split())


def test_exit_ends_the_session_and_plain_words_get_a_hint(tmp_path: Path) -> None:
    for word in ("exit", "quit", "/quit"):
        script = f"clear\n{word}\n/help\n"
        out = run_console_script(_script(tmp_path, script), tmp_path, raw=True)
        assert "'clear' is not a command" in out and "`/help`" in out
        assert "what I can do" not in out  # nothing ran after the exit word


def test_help_says_how_to_type_long_text(tmp_path: Path) -> None:
    (reply,) = run_console_script(_script(tmp_path, "/help\n"), tmp_path)
    assert '"""' in reply["text"] and "form" in reply["text"]


def test_blocks_join_lines() -> None:
    blocks = Blocks()
    assert blocks.feed('/pitch-review check """') is None
    assert blocks.feed("line one") is None
    assert blocks.feed('line two"""') == "/pitch-review check line one\nline two"
    assert blocks.feed("/help") == "/help"
    assert blocks.feed("/remind me tomorrow \\") is None
    assert blocks.feed("at 9 email Dr Rao") == "/remind me tomorrow at 9 email Dr Rao"
