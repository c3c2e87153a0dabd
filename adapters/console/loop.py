"""Reading lines: readline prompts in a terminal, plain lines from a pipe.
Multi-line blocks are joined first (blocks.py); `exit`, `quit`, `/quit`, end of
input and Ctrl-C end the session."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from adapters.console.app import Console
from adapters.console.blocks import EXIT_WORDS, Blocks

HISTORY = Path.home() / ".rounds_history"


async def run_console(console: Console) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        _readline_setup()
        print(
            console.rounds.content.msg(
                "console_welcome", member=console.member, community=console.community_id
            )
        )
    blocks = Blocks()
    while True:
        try:
            if interactive:
                line = await asyncio.to_thread(input, "… " if blocks.open else "> ")
            else:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line:
                    break
        except EOFError:
            break
        whole = blocks.feed(line)
        if whole is None:
            continue
        if whole.strip().lower() in EXIT_WORDS:
            break
        await console.line(whole, interactive=interactive)
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
