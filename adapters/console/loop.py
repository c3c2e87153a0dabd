"""Reading lines: readline prompts in a terminal, plain lines from a pipe."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from adapters.console.app import Console

HISTORY = Path.home() / ".rounds_history"


async def run_console(console: Console) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        _readline_setup()
        print(
            f"Rounds console as {console.member} in '{console.community_id}'. "
            "Type /help, '@name /command' to act as someone else, Ctrl-D to quit."
        )
    while True:
        try:
            if interactive:
                line = await asyncio.to_thread(input, "> ")
            else:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line:
                    break
        except EOFError:
            break
        await console.line(line, interactive=interactive)
    if interactive:
        _readline_save()


def _readline_setup() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.read_history_file(HISTORY)


def _readline_save() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.write_history_file(HISTORY)
