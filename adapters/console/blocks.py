"""Multi-line input in the console: a line ending in a backslash continues on
the next, and a `\"\"\"` opens a block that a line ending in `\"\"\"` closes (for a
pitch or an email pasted as it is)."""

from __future__ import annotations

FENCE = '"""'
EXIT_WORDS = {"exit", "quit", "/quit", "/exit"}


class Blocks:
    """Collects raw input lines into whole command lines."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._fenced = False

    @property
    def open(self) -> bool:
        return bool(self._parts) or self._fenced

    def feed(self, raw: str) -> str | None:
        """The complete line once it is complete, else None (more lines to come)."""
        line = raw.rstrip("\r\n")
        if self._fenced:
            if line.rstrip().endswith(FENCE):
                self._parts.append(line.rstrip()[: -len(FENCE)])
                return self._done()
            self._parts.append(line)
            return None
        if line.count(FENCE) == 1:
            before, _, after = line.partition(FENCE)
            self._parts.append(before.rstrip())
            if after.strip():
                self._parts.append(after)
            self._fenced = True
            return None
        if line.rstrip().endswith("\\"):
            self._parts.append(line.rstrip()[:-1].rstrip())
            return None
        self._parts.append(line.replace(FENCE, ""))
        return self._done()

    def _done(self) -> str:
        head, *rest = self._parts
        self._parts, self._fenced = [], False
        body = "\n".join(rest).strip("\n")
        return f"{head} {body}".strip() if head and body else (head or body)
