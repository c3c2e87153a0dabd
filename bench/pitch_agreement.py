"""Print the pitch analyser's agreement with the hand-labelled corpus.

python bench/pitch_agreement.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content import load_content
from tests.pitch.agreement import HELD_OUT, MORE, TUNING, evaluate


def main() -> None:
    content = load_content()
    for path in (TUNING, HELD_OUT, MORE):
        print("\n".join(evaluate(content, path).lines()))
        print()


if __name__ == "__main__":
    main()
