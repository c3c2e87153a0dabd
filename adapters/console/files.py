"""Files that messages carry, written where the console can show their path."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from bot.responses import File

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FileShelf:
    """Writes each file into one folder (a fresh temporary one unless given),
    never over an earlier file of the same name."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def save(self, file: File) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="rounds-files-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE.sub("-", Path(file.name).name).strip(".-") or "rounds-file"
        path, stem, suffix, n = self.folder / name, Path(name).stem, Path(name).suffix, 1
        while path.exists():
            path, n = self.folder / f"{stem}-{n}{suffix}", n + 1
        path.write_bytes(file.content)
        return path
