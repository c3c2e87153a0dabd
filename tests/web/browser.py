"""Debian's chromium, headless, driven by Playwright: never a browser Playwright
downloads (`playwright install` is never run). Tests skip where it is missing;
CI (.ci/run) installs it."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots go to docs/ when asked (ROUNDS_SCREENSHOTS=docs), else to the test's tmp dir.
DOCS = Path(__file__).resolve().parents[2] / "docs" / "dashboard"


def screenshot_dir(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("ROUNDS_SCREENSHOTS") == "docs" else tmp_path


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    playwright = pytest.importorskip("playwright.async_api")
    if shutil.which(str(CHROMIUM)) is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()
