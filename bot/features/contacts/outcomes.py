"""What a /contact log line says happened, read from the pack's outcome words.

Chosen outcomes (buttons, the form's select) are taken as given. A typed line
is read carefully, because a wrong guess cancels the nudge that matters most:
the "no reply yet" words come first; any other negation ("didn't", "not") means
no positive outcome is read; a line naming none, or several, is `None`: the
member is asked which it was."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.features.contacts.rules import ContactRules


@lru_cache(maxsize=512)
def _pattern(phrase: str) -> re.Pattern[str]:
    if phrase.startswith("n't"):
        return re.compile(r"[a-z]n't(?![a-z])")
    return re.compile(rf"(?<![a-z']){re.escape(phrase)}(?![a-z])")


def _says(text: str, phrase: str) -> bool:
    return _pattern(phrase.lower()).search(text) is not None


def outcome_of(text: str, rules: ContactRules) -> str | None:
    """'no-reply', 'replied', 'met', ... for a typed line, or None when unclear."""
    line = " ".join(text.lower().replace("’", "'").split())
    named = {o.kind for o in rules.outcomes if any(_says(line, w) for w in o.words)}
    if "no-reply" in named:
        return "no-reply"
    if any(_says(line, w) for w in rules.negations):
        return None  # "didn't meet", "not emailed": never the positive outcome
    if named == {"emailed", "replied"}:
        return "replied"  # "emailed, and she replied": the reply is the news
    return next(iter(named)) if len(named) == 1 else None
